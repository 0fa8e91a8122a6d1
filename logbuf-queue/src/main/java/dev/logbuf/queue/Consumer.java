package dev.logbuf.queue;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The consuming side of an {@link SpscQueue} or an {@link MpscQueue}: the
 * record format is the same, so code that consumes does not change when a
 * producer side moves from SPSC to MPSC.
 *
 * <p>Records come out in the order their claims were made. Aborted claims and
 * wrap padding are stepped over and never shown. Reading is in place: a
 * {@link ReadClaim} (one record) or a batch handed to a {@link RecordHandler}.
 * Releasing a record zeroes its bytes before the producers may reuse them;
 * that is the consumer's cost, never the producers'.
 *
 * <p>Threading: one consumer per queue, used by one thread at a time.
 */
public final class Consumer {

    /*
     * The consumer owns head: it keeps the value in a plain field and
     * publishes it with Ring.headRelease whenever bytes are given back. A
     * skip header (wrap padding or an aborted claim) is zeroed and stepped
     * over inside tryClaim/read; the head store that follows covers it.
     */

    private final Ring ring;
    private final ReadClaim claim;
    /** The batch read's view; the claim has its own so neither disturbs the other. */
    private final ByteBuffer batchView;
    /** The consumer's position; only this thread writes it, published by headRelease. */
    private long head;
    /** Whether a batch read is running (its handler must not reenter). */
    private boolean reading;

    Consumer(Ring ring) {
        this.ring = ring;
        this.claim = new ReadClaim(this, ring.readOnlyView());
        this.batchView = ring.readOnlyView();
    }

    /**
     * Claims the next committed record, if there is one.
     *
     * @return the record, valid until closed; or {@code null} when no
     *         committed record is waiting
     * @throws IllegalStateException if the previous record is still open, or
     *         if called from inside a batch read's handler
     */
    public ReadClaim tryClaim() {
        checkIdle();
        final Ring ring = this.ring;
        final long start = head;
        long head = start;
        for (;;) {
            final int offset = ring.offset(head);
            // acquire: pairs with the producer's publishRelease of this header
            final long header = ring.headerAcquire(offset);
            if (header == RecordDescriptor.UNPUBLISHED) {
                if (head != start) {
                    advance(head);
                }
                return null;
            }
            if (RecordDescriptor.isSkip(header)) {
                final int span = RecordDescriptor.span(header);
                ring.zero(offset, span);
                head += span;
                continue;
            }
            if (head != start) {
                advance(head);
            }
            return claim.open(offset, RecordDescriptor.length(header));
        }
    }

    /**
     * Hands up to {@code limit} committed records to {@code handler}, in
     * order, then zeroes them and gives them back with one head store.
     *
     * <p>The batch's records stay in place until it ends: after the last one,
     * {@link RecordHandler#onBatchEnd()} is called, then the batch is zeroed
     * and released.
     *
     * <p>If the handler throws, the records handed to it so far, the one it
     * threw on included, count as consumed: they are released and the
     * exception propagates.
     *
     * @param handler receives each record's payload
     * @param limit the most records to read, at least 1
     * @return the number of records handed to the handler; 0 when none was waiting
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if a claim of this consumer is open, or if
     *         called from inside a handler
     */
    public int read(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " is below 1");
        }
        checkIdle();
        final Ring ring = this.ring;
        final ByteBuffer view = batchView;
        final long start = head;
        long head = start;
        int count = 0;
        reading = true;
        try {
            // a batch ends after one lap at most: its bytes are zeroed only when it ends, so the
            // header one lap on is this batch's first, not a new one
            final long lapEnd = start + ring.capacity;
            while (count < limit && head < lapEnd) {
                final int offset = ring.offset(head);
                // acquire: pairs with the producer's publishRelease of this header
                final long header = ring.headerAcquire(offset);
                if (header == RecordDescriptor.UNPUBLISHED) {
                    break;
                }
                if (RecordDescriptor.isSkip(header)) {
                    head += RecordDescriptor.span(header); // zeroed with the batch below
                    continue;
                }
                final int length = RecordDescriptor.length(header);
                // the record counts as consumed even if the handler throws
                head += RecordDescriptor.recordSize(length);
                count++;
                handler.onRecord(frame(view, offset, length));
            }
            if (count != 0) {
                handler.onBatchEnd(); // the batch is still in place: it is zeroed below
            }
        } finally {
            reading = false;
            if (head != start) {
                // the whole batch, skips included, is zeroed in one or two runs, then released at once
                ring.zeroRange(start, head);
                advance(head);
            }
        }
        return count;
    }

    /**
     * The ring's capacity in bytes (a power of two).
     *
     * @return the capacity
     */
    public int capacity() {
        return ring.capacity;
    }

    /** Called by the claim's close: zero the record, then give it back. */
    void release(int offset, int length) {
        final int size = RecordDescriptor.recordSize(length);
        ring.zero(offset, size);
        advance(head + size);
    }

    /** Positions {@code view} on the payload of the record whose header is at {@code offset}. */
    static ByteBuffer frame(ByteBuffer view, int offset, int length) {
        final int start = offset + RecordDescriptor.HEADER_LENGTH;
        view.limit(start + length);
        view.position(start);
        return view;
    }

    private void advance(long head) {
        this.head = head;
        // release: the zeroing above is visible to a producer that acquires this head
        ring.headRelease(head);
    }

    private void checkIdle() {
        if (claim.isOpen()) {
            throw new IllegalStateException("the previous record is still open: close it first");
        }
        if (reading) {
            throw new IllegalStateException("a batch read is running: its handler must not call the consumer");
        }
    }
}
