package dev.logbuf.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

/**
 * The consuming side of an {@link SpscQueue} or an {@link MpscQueue}: the
 * record format is the same, so code that consumes does not change when a
 * producer side moves from SPSC to MPSC.
 *
 * <p>Records come out in the order their claims were made. Aborted claims and
 * wrap padding are stepped over and never shown. Reading is in place: a
 * {@link ReadClaim} (one record, which can be put back with
 * {@link ReadClaim#putBack()}), a batch handed to a {@link RecordHandler}, or a
 * controlled batch whose {@link ControlledRecordHandler} decides after each
 * record whether to go on, stop, leave the record in the ring, or give back
 * what it has read so far. Releasing a record zeroes its bytes before the
 * producers may reuse them; that is the consumer's cost, never the producers'.
 *
 * <p>A claim that a producer has not ended holds the consumer at its record
 * (records come out in claim order). {@link #unblock()} steps over it when its
 * owner is known to be gone — its thread has terminated, or its handle was
 * closed or collected — and otherwise reports it as a stall and frees
 * nothing: bytes a live producer may still write are never handed to anyone
 * else. {@link #unblockAfter(Duration)} makes the consumer do that by itself.
 *
 * <p>Lifecycle: {@link #isDisconnected()} says every producer handle has
 * closed, as soon as the last one closes; records committed before are still
 * readable, so read until a read finds nothing, then stop. {@link #close()}
 * tells the producers. {@link #stats()} is a snapshot of the queue's
 * positions and counters, for any thread.
 *
 * <p>Threading: one consumer per queue, used by one thread at a time
 * ({@link #stats()}, {@link #isDisconnected()} and {@link #capacity()} from any
 * thread).
 */
public final class Consumer implements AutoCloseable {

    /*
     * The consumer owns head: it keeps the value in a plain field and
     * publishes it with Ring.headRelease whenever bytes are given back. A
     * skip header (wrap padding or an aborted claim) is zeroed and stepped
     * over inside tryClaim/read; the head store that follows covers it. An
     * in-progress header stops the consumer as 0 does; unblock() turns it into
     * a skip with a CAS once its claimant is gone.
     *
     * Counters are the consumer's own fields, written by it (opaque, at the
     * end of a batch or a release) and read by any thread for a snapshot.
     */

    private static final VarHandle CONSUMED;
    private static final VarHandle CONSUMED_BYTES;
    private static final VarHandle RECOVERED;
    private static final VarHandle STALLS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMED = lookup.findVarHandle(Consumer.class, "consumed", long.class);
            CONSUMED_BYTES = lookup.findVarHandle(Consumer.class, "consumedBytes", long.class);
            RECOVERED = lookup.findVarHandle(Consumer.class, "recovered", long.class);
            STALLS = lookup.findVarHandle(Consumer.class, "stalls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** unblockAfter's "off". */
    private static final long NEVER = -1;

    private final Ring ring;
    private final Handles handles;
    /** Shared between processes: each release is announced first (see Ring.announceRelease). */
    private final boolean announce;
    private final ReadClaim claim;
    /** The batch read's view; the claim has its own so neither disturbs the other. */
    /** What a batch read hands its handler: one flyweight over its own view, reused for every record. */
    private final Payload.Handed handed;
    /** The consumer's position; only this thread writes it, published by headRelease. */
    private long head;
    /** Counted where head moves, and declared next to it, so they share its cache line. */
    private long consumed;
    private long consumedBytes;
    /** Whether a batch read is running (its handler must not reenter). */
    private boolean reading;
    private boolean closed;
    /** The end of the records {@link #hold} handed out and kept: {@code head} when none are held. */
    private long heldTo;
    /** The records and payload bytes held, counted as consumed when they are released. */
    private int heldCount;
    private long heldBytes;
    /** Identifies the ring: a shared ring's creation id, else drawn when this queue was made. */
    private final long ringId;

    /** How long a claim may hold the head before tryClaim/read call unblock by themselves; NEVER when off. */
    private long unblockAfterNanos = NEVER;
    /** The position an open claim was last seen holding, and since when (for unblockAfter). */
    private long heldAt = -1;
    private long heldSince;
    /** The position of the last stall reported, so each stalled claim counts once. */
    private long stalledAt = -1;
    private StallListener stallListener;

    private long recovered;
    private long stalls;

    Consumer(Ring ring, Handles handles) {
        this.ring = ring;
        this.handles = handles;
        this.announce = handles instanceof SharedHandles;
        this.claim = new ReadClaim(this, ring.readOnlyView());
        this.handed = new Payload.Handed(ring.readOnlyView());
        // a shared ring's consumer resumes where the last one stopped (0 for a new ring)
        this.head = ring.headAcquire();
        this.heldTo = head;
        this.ringId = handles instanceof SharedHandles ? ((SharedHandles) handles).file.creationId : newRingId();
    }

    private static long newRingId() {
        long id;
        do {
            id = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /**
     * Identifies the ring this consumer reads: on a ring shared between
     * processes, its creation id (random, written in the file's header when
     * the ring was created, the same in every process and across restarts);
     * on a queue in one process, a random number drawn when the queue was
     * made. Never 0. With {@link #position()} it names a record uniquely:
     * positions are never reused in the life of a ring.
     *
     * @return the ring's id
     */
    public long ringId() {
        return ringId;
    }

    /**
     * Hands up to {@code limit} committed records after those already held to
     * {@code handler}, and keeps them: nothing is given back until
     * {@link #releaseHeld()}. For a consumer that must not let a record go
     * until somewhere else has it (a remote store that acknowledges
     * asynchronously): hold a batch, send it, wait for the acknowledgement,
     * then release it; or {@link #rewindHeld()} to have it handed again.
     *
     * <p>Held records keep their bytes in the ring, so producers see the ring
     * as full as if they were unread; at most one lap (the capacity) can be
     * held. While records are held, this consumer's other reads, claims and
     * {@link #unblock()} throw {@link IllegalStateException}; {@code hold}
     * goes on after the held records. A claim in progress after them is
     * treated as {@link #read(RecordHandler, int)} treats one at the head
     * (with {@link #unblockAfter} on, a dead one is stepped over).
     *
     * <p>If the handler throws, the record it threw on is not held (the next
     * {@code hold} hands it again); those before it stay held, and the
     * exception propagates. Closing the consumer with records held gives
     * nothing back: on a shared ring the next consumer reads them again.
     *
     * @param handler receives each record's payload, valid until the record
     *        is released or rewound (the same rules as a batch read's)
     * @param limit the most records to hand out, at least 1
     * @return the number of records handed out (and now held); 0 when none
     *         was waiting after those held
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if a claim of this consumer is open, if
     *         called from inside a handler, or if this consumer is closed
     */
    public int hold(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        checkLimit(limit);
        checkOpenAndNotReading();
        final Ring ring = this.ring;
        final Payload.Handed payload = handed;
        // nothing held is given back (or zeroed) before release: one lap from the head at most
        final long lapEnd = head + ring.capacity;
        long to = heldTo;
        int count = 0;
        long bytes = 0;
        reading = true;
        payload.open = true;
        try {
            while (count < limit && to < lapEnd) {
                final int offset = ring.offset(to);
                // acquire: pairs with the producer's publishRelease of this header
                final long header = ring.headerAcquire(offset);
                if (header > 0) {
                    final int length = RecordDescriptor.length(header);
                    handler.onRecord(payload.at(to, offset, length));
                    // held only once the handler returned
                    to += RecordDescriptor.recordSize(length);
                    count++;
                    bytes += length;
                    continue;
                }
                final long next = pastNonRecord(to, offset, header);
                if (next < 0) {
                    break;
                }
                to = next;
            }
            if (count != 0) {
                handler.onBatchEnd();
            }
        } finally {
            payload.open = false;
            reading = false;
            // the skips stepped over count as held too: released with the records
            heldTo = to;
            heldCount += count;
            heldBytes += bytes;
        }
        return count;
    }

    /**
     * Gives back every record {@link #hold} handed out and kept (zeroed, with
     * one head store), and counts them as consumed. Nothing when none are
     * held.
     *
     * @throws IllegalStateException if called from inside a handler, or if
     *         this consumer is closed
     */
    public void releaseHeld() {
        checkOpenAndNotReading();
        final long from = head;
        final long to = heldTo;
        countConsumed(heldCount, heldBytes);
        heldCount = 0;
        heldBytes = 0;
        release(from, to);
    }

    /**
     * Gives back the first {@code records} of the held records, in the order
     * {@link #hold} handed them out (zeroed, with one head store, the skips
     * among them too), and counts them as consumed; the rest stay held, and
     * {@code hold} goes on after them. For a consumer with several held
     * batches in flight whose acknowledgements come in order: release each
     * batch as its acknowledgement comes, while the later ones wait for
     * theirs.
     *
     * @param records how many of the held records to give back, 0 to
     *        {@link #heldCount()}; all of them is {@link #releaseHeld()}
     * @throws IllegalArgumentException if {@code records} is negative or more
     *         than are held
     * @throws IllegalStateException if called from inside a handler, or if
     *         this consumer is closed
     */
    public void releaseHeld(int records) {
        checkOpenAndNotReading();
        if (records < 0 || records > heldCount) {
            throw new IllegalArgumentException("cannot release " + records + " records: " + heldCount + " are held");
        }
        if (records == heldCount) {
            releaseHeld();
            return;
        }
        final Ring ring = this.ring;
        final long from = head;
        long to = from;
        long bytes = 0;
        for (int released = 0; released < records;) {
            final int offset = ring.offset(to);
            // hold read every header up to heldTo on this thread already: each is a record or a skip
            final long header = ring.headerAcquire(offset);
            if (RecordDescriptor.isSkip(header)) {
                to += RecordDescriptor.span(header);
                continue;
            }
            final int length = RecordDescriptor.length(header);
            to += RecordDescriptor.recordSize(length);
            bytes += length;
            released++;
        }
        final long stillHeldTo = heldTo;
        countConsumed(records, bytes);
        heldCount -= records;
        heldBytes -= bytes;
        release(from, to);
        heldTo = stillHeldTo; // advance() drops what is held past the head; the rest is still held
    }

    /**
     * Keeps the held records in the ring and stops holding them: the next
     * read, claim or {@link #hold} hands them out again, from the first.
     *
     * @throws IllegalStateException if called from inside a handler, or if
     *         this consumer is closed
     */
    public void rewindHeld() {
        checkOpenAndNotReading();
        heldTo = head;
        heldCount = 0;
        heldBytes = 0;
    }

    /**
     * The number of records {@link #hold} handed out and has not released.
     *
     * @return the records held; 0 when none are
     */
    public int heldCount() {
        return heldCount;
    }

    /**
     * Claims the next committed record, if there is one.
     *
     * @return the record, valid until closed; or {@code null} when no
     *         committed record is waiting (the next one may be a claim still
     *         in progress)
     * @throws IllegalStateException if the previous record is still open, if
     *         called from inside a batch read's handler, or if this consumer
     *         is closed
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
            if (header > 0) {
                if (head != start) {
                    advance(head); // past the skips stepped over on the way, zeroed in the loop
                }
                return claim.open(head, offset, RecordDescriptor.length(header));
            }
            final long next = pastNonRecord(head, offset, header);
            if (next < 0) {
                if (head != start) {
                    advance(head);
                }
                return null;
            }
            if (next != head) {
                if (announce) {
                    ring.announceRelease(next);
                }
                // a skip, zeroed at once: with no lap bound here, a lap of skips must end at a 0 header
                ring.zero(offset, (int) (next - head));
            }
            head = next;
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
     * @throws IllegalStateException if a claim of this consumer is open, if
     *         called from inside a handler, or if this consumer is closed
     */
    public int read(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        checkLimit(limit);
        checkIdle();
        final Ring ring = this.ring;
        final Payload.Handed payload = handed;
        final long start = head;
        long head = start;
        int count = 0;
        long bytes = 0;
        reading = true;
        payload.open = true;
        try {
            // a batch ends after one lap at most: its bytes are zeroed only when it ends, so the
            // header one lap on is this batch's first, not a new one
            final long lapEnd = start + ring.capacity;
            while (count < limit && head < lapEnd) {
                final int offset = ring.offset(head);
                // acquire: pairs with the producer's publishRelease of this header
                final long header = ring.headerAcquire(offset);
                if (header > 0) {
                    final int length = RecordDescriptor.length(header);
                    final long position = head;
                    // the record counts as consumed even if the handler throws
                    head += RecordDescriptor.recordSize(length);
                    count++;
                    bytes += length;
                    handler.onRecord(payload.at(position, offset, length));
                    continue;
                }
                final long next = pastNonRecord(head, offset, header);
                if (next < 0) {
                    break;
                }
                head = next;
            }
            if (count != 0) {
                handler.onBatchEnd(); // the batch is still in place: it is zeroed below
            }
        } finally {
            payload.open = false;
            reading = false;
            countConsumed(count, bytes);
            release(start, head);
        }
        return count;
    }

    /**
     * Hands up to {@code limit} committed records to {@code handler}, in
     * order, and does with each what the handler returns: go on, stop, leave
     * it in the ring, or give back what was read so far. The actions, and what
     * each does to the record in hand, are described on
     * {@link ControlledRecordHandler}.
     *
     * <p>Consumed records are zeroed and given back with one head store when
     * the read ends, and at each {@link ControlledRecordHandler.Action#COMMIT
     * COMMIT}. A record the handler aborts stays where it is, unzeroed, and is
     * the first one handed out by the next read or claim.
     *
     * <p>If the handler throws (or returns {@code null}), the record it was
     * given is not consumed, as if it had aborted; the records it accepted
     * before are given back, and the exception propagates. Nothing is lost.
     * (This is where it differs from {@link #read(RecordHandler, int)}, whose
     * handler cannot refuse a record: there the record it threw on counts as
     * consumed.)
     *
     * @param handler receives each record's payload and returns an action
     * @param limit the most records to consume, at least 1
     * @return the number of records consumed (an aborted record is not
     *         counted); 0 when none was waiting or the handler aborted the first
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if a claim of this consumer is open, if
     *         called from inside a handler, or if this consumer is closed
     */
    public int controlledRead(ControlledRecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        checkLimit(limit);
        checkIdle();
        final Ring ring = this.ring;
        final Payload.Handed payload = handed;
        long start = head; // the first byte not yet given back (moves at each COMMIT)
        long head = start; // the first byte not yet consumed
        int count = 0;
        int counted = 0; // of count, the records already given back and counted
        long bytes = 0;
        long countedBytes = 0;
        reading = true;
        payload.open = true;
        try {
            // bytes are zeroed only when given back, so the read ends one lap past the last
            // give-back at most: the header one lap on is one of its own records, not a new one
            long lapEnd = start + ring.capacity;
            while (count < limit && head < lapEnd) {
                final int offset = ring.offset(head);
                // acquire: pairs with the producer's publishRelease of this header
                final long header = ring.headerAcquire(offset);
                if (header > 0) {
                    final int length = RecordDescriptor.length(header);
                    // consumed only once the handler returns an action that consumes it
                    final ControlledRecordHandler.Action action = handler.onRecord(payload.at(head, offset, length));
                    if (action == ControlledRecordHandler.Action.ABORT) {
                        break;
                    }
                    if (action == null) {
                        throw new NullPointerException("the handler returned no action for the record at "
                                + head + "; it stays in the ring");
                    }
                    head += RecordDescriptor.recordSize(length);
                    count++;
                    bytes += length;
                    if (action == ControlledRecordHandler.Action.CONTINUE) {
                        continue;
                    }
                    if (action == ControlledRecordHandler.Action.BREAK) {
                        break;
                    }
                    // COMMIT: give back everything up to here now, as a read's end would
                    countConsumed(count - counted, bytes - countedBytes);
                    counted = count;
                    countedBytes = bytes;
                    release(start, head);
                    start = head;
                    lapEnd = head + ring.capacity;
                    continue;
                }
                final long next = pastNonRecord(head, offset, header);
                if (next < 0) {
                    break;
                }
                head = next;
            }
        } finally {
            payload.open = false;
            reading = false;
            countConsumed(count - counted, bytes - countedBytes);
            release(start, head);
        }
        return count;
    }

    /**
     * Looks at what holds the head, and steps over a claim whose owner is
     * gone.
     *
     * <p>When the next record (past any skipped bytes: wrap padding, aborted
     * claims) is a claim still in progress, its owner is looked up. The claim is <em>recovered</em> — turned into a skip marker,
     * as if it had been aborted, so the records behind it can be read — only
     * when the owner can never end it: the thread that made it has
     * terminated, or its producer handle was closed or collected. A claim held
     * by a live thread is never recovered, however long it has been held: it
     * is reported as a stall (counted once, and passed to the
     * {@linkplain #stallListener(StallListener) stall listener}), and the
     * record arrives when that thread commits it. A slow producer therefore
     * never finds its bytes handed to someone else. The one exception is a
     * claim its handle no longer points at, which nothing can end: two
     * threads used the handle at once and one's claim was opened over the
     * other's (a programming error; see the package documentation). It is
     * recovered though its thread lives.
     *
     * <p>One case cannot be decided: an MPSC producer reserves its bytes with a
     * compare-and-set on the tail and marks the claim in progress just after.
     * If it dies between the two (an asynchronous error such as
     * {@link StackOverflowError} striking there), the head reads as
     * unpublished while the tail is past it, exactly as for a live producer
     * about to mark. That case is reported as a stall with an unknown claimant
     * and never recovered.
     *
     * <p>The recovery and a late end of the same claim (a commit or an abort
     * from another thread) are settled by one compare-and-set: exactly one
     * takes effect. A claim whose owner committed just before it terminated is
     * delivered, not recovered.
     *
     * @return what held the head: {@link Unblock#NOT_BLOCKED} when nothing
     *         did (a record or nothing is next), {@link Unblock#RECOVERED} when
     *         a dead claim was stepped over, {@link Unblock#STALLED} when a live
     *         (or unknown) claimant holds it
     * @throws IllegalStateException if a record of this consumer is open, if
     *         called from inside a batch read's handler, or if this consumer
     *         is closed
     */
    public Unblock unblock() {
        checkIdle();
        final Ring ring = this.ring;
        // what holds the head is the first header that is not a skip: look past skips (wrap
        // padding, aborts) without releasing them; the next tryClaim or read steps over them
        final long lapEnd = head + ring.capacity;
        long position = head;
        for (;;) {
            final int offset = ring.offset(position);
            // acquire: pairs with the producer's publishRelease; a mark comes with its owner thread
            final long header = ring.headerAcquire(offset);
            if (RecordDescriptor.isSkip(header)) {
                position += RecordDescriptor.span(header);
                if (position >= lapEnd) {
                    return Unblock.NOT_BLOCKED; // a lap of skips: nothing holds anything
                }
                continue;
            }
            return unblock(position, offset, header);
        }
    }

    /**
     * Recovers what holds the head at {@code position}, a header that is no
     * record and no skip, if its owner is gone, else reports a stall.
     */
    private Unblock unblock(long position, int offset, long header) {
        if (header == RecordDescriptor.UNPUBLISHED) {
            // opaque: any value will do; a reservation not yet marked is only reported, or recovered
            // when its owner is known to be a process that died before it could mark it
            if (handles.tail(ring) <= position) {
                return Unblock.NOT_BLOCKED;
            }
            final long end = handles.deadReservationEnd(ring, position);
            // volatile CAS: the owner is gone, but the CAS fails if the header changed since it was read
            if (end > position && ring.casHeader(offset, RecordDescriptor.UNPUBLISHED,
                    RecordDescriptor.skip((int) (end - position)))) {
                RECOVERED.setOpaque(this, recovered + 1);
                return Unblock.RECOVERED;
            }
            return stalled(position, null);
        }
        if (!RecordDescriptor.isInProgress(header)) {
            return Unblock.NOT_BLOCKED;
        }
        final Object owner = handles.owner(RecordDescriptor.claimant(header), position);
        if (owner != null) {
            return stalled(position, owner instanceof Thread ? (Thread) owner : null);
        }
        // gone: the handle left (closed or collected), or its thread terminated. Thread termination
        // and the handle's leaving both precede what this thread saw, so a commit made before them
        // is visible to the CAS, which fails on it. Volatile CAS: pairs with WriteClaim.endElsewhere
        if (ring.casHeader(offset, header, RecordDescriptor.skip(RecordDescriptor.span(header)))) {
            RECOVERED.setOpaque(this, recovered + 1);
            return Unblock.RECOVERED;
        }
        return Unblock.NOT_BLOCKED; // ended meanwhile: committed or aborted
    }

    private Unblock stalled(long position, Thread owner) {
        if (position != stalledAt) {
            stalledAt = position;
            STALLS.setOpaque(this, stalls + 1);
            final StallListener listener = stallListener;
            if (listener != null) {
                listener.onStall(position, owner);
            }
        }
        return Unblock.STALLED;
    }

    /**
     * With {@link #unblockAfter} on: whether the claim in progress at
     * {@code position} has held the head long enough to look at its owner,
     * and was then recovered. Runs only when the consumer found no record.
     */
    private boolean heldTooLong(long position, int offset, long header) {
        final long after = unblockAfterNanos;
        if (after == NEVER) {
            return false;
        }
        if (header == RecordDescriptor.UNPUBLISHED && handles.tail(ring) <= position) {
            return false; // nothing reserved: the ring is empty (shared rings ask; see pastNonRecord)
        }
        final long now = System.nanoTime();
        if (position != heldAt) {
            heldAt = position;
            heldSince = now;
            return false;
        }
        if (now - heldSince < after) {
            return false;
        }
        heldSince = now; // a live claimant is looked at again one period later, not on every poll
        return unblock(position, offset, header) == Unblock.RECOVERED;
    }

    /**
     * Makes {@link #tryClaim()} and {@link #read(RecordHandler, int)} call
     * {@link #unblock()} by themselves once the same claim in progress has
     * held the head for {@code after}, and again every {@code after} while it
     * holds it. Off by default on a raw queue; the channel's receiver turns it
     * on. Recovery never takes a live producer's claim, so {@code after} only
     * bounds how long a dead claim holds back the records behind it, and how
     * soon a live one is reported as a stall.
     *
     * @param after how long a claim may hold the head before its owner is
     *        looked at; {@code null} turns it off
     * @throws IllegalArgumentException if {@code after} is negative
     */
    public void unblockAfter(Duration after) {
        if (after == null) {
            unblockAfterNanos = NEVER;
            return;
        }
        if (after.isNegative()) {
            throw new IllegalArgumentException("unblockAfter " + after + " is negative");
        }
        unblockAfterNanos = after.toNanos();
        heldAt = -1;
    }

    /**
     * Sets what is told about a stall: a claim held by a live thread (or by an
     * unknown claimant) found by {@link #unblock()}. Called on the consumer's
     * thread, once per stalled claim; it must not call this consumer.
     *
     * @param listener the listener, or {@code null} for none
     */
    public void stallListener(StallListener listener) {
        this.stallListener = listener;
    }

    /**
     * Whether every producer handle of the queue has closed (or was
     * collected). This turns true as soon as the last handle closes, not
     * after the drain: records committed before may still be waiting, and
     * they stay readable. To drain, read until a read finds nothing (a handle
     * collected with a claim open holds the records behind it until
     * {@link #unblock()} steps over the claim); then stop. A channel's
     * receiver does that drain itself before it reports the disconnect.
     *
     * <p>Memory consistency effects (a queue in one process): each handle
     * leaves after it has ended its claim, and this reads the count with
     * acquire, so once it returns true every record those handles committed
     * is visible to the reads that follow, and the drain misses none.
     *
     * @return true when no producer handle is open
     */
    public boolean isDisconnected() {
        return handles.producersGone();
    }

    /**
     * Closes the consumer: producers' {@link Producer#isDisconnected()} turns
     * true; records still in the ring are not read. Any further use of this
     * consumer but {@link #stats()} throws {@link IllegalStateException}.
     * Closing again does nothing.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            handles.closeConsumer();
        }
    }

    /**
     * A snapshot of the queue's positions and counters. Callable from any
     * thread; allocates the snapshot, and touches nothing the producers or
     * the consumer write on their hot paths but to read it. On a ring shared
     * between processes the positions and the open producers are the ring's,
     * the producer counters (committed, full, refused, aborted) those of this
     * process's handles only.
     *
     * @return the snapshot
     */
    public QueueStats stats() {
        return stats(ring, handles, this);
    }

    /** The snapshot, with this process's consumer counters when it has the consumer, else zeroes. */
    static QueueStats stats(Ring ring, Handles handles, Consumer consumer) {
        final long[] producers = handles.producerTotals();
        final long head = ring.headOpaque();
        final long tail = handles.tail(ring);
        final boolean here = consumer != null;
        return new QueueStats(ring.capacity, head, Math.max(head, tail), handles.openProducers(),
                producers[0], producers[1],
                here ? (long) CONSUMED.getOpaque(consumer) : 0, here ? (long) CONSUMED_BYTES.getOpaque(consumer) : 0,
                producers[2], producers[3], producers[4],
                here ? (long) RECOVERED.getOpaque(consumer) : 0, here ? (long) STALLS.getOpaque(consumer) : 0);
    }

    /**
     * The ring's capacity in bytes (a power of two).
     *
     * @return the capacity
     */
    public int capacity() {
        return ring.capacity;
    }

    /**
     * The longest payload a record can have: the capacity less the 8-byte
     * header, what the producers' {@code maxRecordLength()} says.
     *
     * @return the bound
     */
    public int maxRecordLength() {
        return ring.maxRecordLength;
    }

    /** Monitoring, for either variant's size(): bytes reserved and not yet released (a snapshot). */
    static long size(Ring ring, Handles handles) {
        // head first: the tail read after it is at least as new, so the difference is not negative
        final long head = ring.headOpaque();
        return Math.max(0, handles.tail(ring) - head);
    }

    /**
     * The ring position of the next record this consumer will read: every
     * record before it has been consumed and released. Positions are
     * free-running and never reused in the life of a ring, so a consumer that
     * must not deliver a record twice across restarts of a shared ring's
     * consumer process can keep the position of what it has stored.
     *
     * @return the head position
     */
    public long position() {
        return head;
    }

    /** Called by the claim's close: zero the record, then give it back. */
    void release(int offset, int length) {
        final int size = RecordDescriptor.recordSize(length);
        if (announce) {
            ring.announceRelease(head + size);
        }
        ring.zero(offset, size);
        advance(head + size);
        countConsumed(1, length);
    }

    /** Zeroes the bytes of positions [from, to), then gives them back; nothing when the range is empty. */
    private void release(long from, long to) {
        if (to != from) {
            if (announce) {
                ring.announceRelease(to);
            }
            // the whole range, skips included, is zeroed in one or two runs, then released at once
            ring.zeroRange(from, to);
            advance(to);
        }
    }

    /**
     * Where a read goes on from a header that is no record: past a skip (wrap
     * padding or an aborted claim), at the same position again when a dead
     * claim there was just recovered (it reads as a skip now), or -1 when the
     * read must stop (nothing published yet, or a claim in progress). On a
     * shared ring, nothing published may also be a reservation whose producer
     * process died before marking it: with unblockAfter on, that is looked at
     * too.
     */
    private long pastNonRecord(long position, int offset, long header) {
        if (RecordDescriptor.isSkip(header)) {
            return position + RecordDescriptor.span(header);
        }
        if ((header != RecordDescriptor.UNPUBLISHED || announce) && heldTooLong(position, offset, header)) {
            return position;
        }
        return -1;
    }

    private void countConsumed(int records, long bytes) {
        if (records != 0) {
            CONSUMED.setOpaque(this, consumed + records);
            CONSUMED_BYTES.setOpaque(this, consumedBytes + bytes);
        }
    }

    private void advance(long head) {
        this.head = head;
        this.heldTo = head; // nothing is held past a give-back: hold releases all it holds at once
        // release: the zeroing above is visible to a producer that acquires this head
        ring.headRelease(head);
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " is below 1");
        }
    }

    private void checkIdle() {
        checkOpenAndNotReading();
        if (heldTo != head) {
            throw new IllegalStateException(heldCount + " records are held (hold): releaseHeld() or rewindHeld()"
                    + " first");
        }
    }

    private void checkOpenAndNotReading() {
        if (closed) {
            throw new IllegalStateException("this consumer is closed");
        }
        if (claim.isOpen()) {
            throw new IllegalStateException("the previous record is still open: close it first");
        }
        if (reading) {
            throw new IllegalStateException("a batch read is running: its handler must not call the consumer");
        }
    }
}
