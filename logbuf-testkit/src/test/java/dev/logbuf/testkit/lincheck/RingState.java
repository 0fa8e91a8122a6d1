package dev.logbuf.testkit.lincheck;

import static dev.logbuf.testkit.lincheck.Records.CAPACITY;
import static dev.logbuf.testkit.lincheck.Records.CLAIMED;
import static dev.logbuf.testkit.lincheck.Records.FULL;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The ring as the stepped specifications see it: {@code RingModel}'s rules
 * (claim order, wrap padding, the pad-then-full rule, skips stepped over,
 * a claim neither committed nor aborted stopping the consumer), with the two
 * things a concurrent observer can see that a one-thread model never shows
 * kept apart:
 * <ul>
 *   <li>{@code head}, the consumer's own position, and {@code publishedHead},
 *       the head store producers see; the consumer moves the first when it
 *       looks and the second in a later step ({@link PublishHead}), as the
 *       real consumer publishes head at the end of its call;</li>
 *   <li>wrap padding reserved by a tail CAS but whose skip header is not yet
 *       stored ({@link Kind#PAD_PENDING}): the consumer stops there as at any
 *       unpublished header, until the claim's later step
 *       ({@link PublishPadding}).</li>
 * </ul>
 * {@code StepSpecTest} checks that, with every later step made at once, this
 * answers exactly as the testkit's {@code RingModel} does.
 */
final class RingState {

    /** A later step: the consumer's head store. */
    record PublishHead(long head) {
    }

    /** A later step: the skip header of wrap padding at {@code position} is stored. */
    record PublishPadding(long position) {
    }

    enum Kind { OPEN, COMMITTED, SKIP, PAD_PENDING }

    private static final class Slot {
        final long position;
        final int size;
        Kind kind;
        final String record;

        Slot(long position, int size, Kind kind, String record) {
            this.position = position;
            this.size = size;
            this.kind = kind;
            this.record = record;
        }

        Slot copy() {
            return new Slot(position, size, kind, record);
        }

        @Override
        public String toString() {
            return position + "+" + size + kind + (record == null ? "" : record);
        }
    }

    private final int capacity = CAPACITY;
    private final int mask = CAPACITY - 1;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private final Slot[] open = new Slot[2];
    private final int[] seq = new int[2];
    private Slot held;
    private long head;
    private long publishedHead;
    private long tail;

    RingState copy() {
        final RingState c = new RingState();
        for (Slot s : slots) {
            final Slot copy = s.copy();
            c.slots.add(copy);
            for (int p = 0; p < open.length; p++) {
                if (open[p] == s) {
                    c.open[p] = copy;
                }
            }
        }
        c.seq[0] = seq[0];
        c.seq[1] = seq[1];
        c.held = held == null ? null : held.copy();
        c.head = head;
        c.publishedHead = publishedHead;
        c.tail = tail;
        return c;
    }

    String state() {
        return "h" + head + "/" + publishedHead + " t" + tail + " " + slots + " open["
                + (open[0] == null ? "-" : open[0].position) + "," + (open[1] == null ? "-" : open[1].position)
                + "] seq" + seq[0] + "," + seq[1] + " held" + held;
    }

    boolean hasOpenClaim(int producer) {
        return open[producer] != null;
    }

    boolean isHolding() {
        return held != null;
    }

    /**
     * A claim, decided and reserved at the tail CAS against the head the
     * producers see; wrap padding is published in a later step.
     *
     * @return {@link Records#CLAIMED} or {@link Records#FULL}
     */
    String claim(int producer, int length, List<Object> later) {
        final int size = (8 + length + 7) & -8;
        final int offset = (int) (tail & mask);
        final int padding = size <= capacity - offset ? 0 : capacity - offset;
        if (publishedHead >= tail + padding + size - capacity) {
            pad(padding, later);
            final Slot slot = new Slot(tail, size, Kind.OPEN,
                    Records.describe(Records.payload(producer, seq[producer]++, length)));
            slots.add(slot);
            open[producer] = slot;
            tail += size;
            return CLAIMED;
        }
        if (padding != 0 && publishedHead >= tail + padding - capacity) {
            pad(padding, later); // the padding alone: the next claim starts at offset 0
        }
        return FULL;
    }

    private void pad(int padding, List<Object> later) {
        if (padding != 0) {
            slots.add(new Slot(tail, padding, Kind.PAD_PENDING, null));
            later.add(new PublishPadding(tail));
            tail += padding;
        }
    }

    void commit(int producer) {
        open[producer].kind = Kind.COMMITTED;
        open[producer] = null;
    }

    void abort(int producer) {
        open[producer].kind = Kind.SKIP;
        open[producer] = null;
    }

    /**
     * Aborts a claim the caller never saw (a channel sender that finds the
     * receiver closed aborts what it just claimed): its number is reused, as
     * the harness numbers only the claims it was handed.
     */
    void abortUnseen(int producer) {
        abort(producer);
        seq[producer]--;
    }

    /**
     * The consumer's tryClaim: steps over skips and takes the next committed
     * record, or stops at an unpublished header. Its head store for the
     * skipped bytes is a later step.
     *
     * @return the record, or null
     */
    String take(List<Object> later) {
        final long start = head;
        skipOver();
        final Slot first = slots.peekFirst();
        if (head != start) {
            later.add(new PublishHead(head));
        }
        if (first == null || first.kind != Kind.COMMITTED) {
            return null;
        }
        slots.removeFirst();
        held = first;
        return first.record;
    }

    /** The consumer releases the record it holds; the head store is a later step. */
    void release(List<Object> later) {
        head += held.size;
        held = null;
        later.add(new PublishHead(head));
    }

    /**
     * The consumer's batch read: up to {@code limit} records within one lap,
     * skips stepped over until the limit is reached; one head store, later.
     */
    List<String> read(int limit, List<Object> later) {
        final long start = head;
        final long lapEnd = start + capacity;
        final List<String> records = new ArrayList<>();
        while (records.size() < limit && head < lapEnd) {
            final Slot first = slots.peekFirst();
            if (first == null || first.kind == Kind.OPEN || first.kind == Kind.PAD_PENDING) {
                break;
            }
            slots.removeFirst();
            head += first.size;
            if (first.kind == Kind.COMMITTED) {
                records.add(first.record);
            }
        }
        if (head != start) {
            later.add(new PublishHead(head));
        }
        return records;
    }

    /**
     * Makes a later step of the ring ({@link PublishHead} or {@link PublishPadding}).
     *
     * @return whether the token was the ring's
     */
    boolean step(Object token) {
        if (token instanceof PublishHead) {
            publishedHead = ((PublishHead) token).head();
            return true;
        }
        if (token instanceof PublishPadding) {
            final long position = ((PublishPadding) token).position();
            for (Slot s : slots) {
                if (s.position == position && s.kind == Kind.PAD_PENDING) {
                    s.kind = Kind.SKIP;
                    return true;
                }
            }
            throw new IllegalStateException("no pending padding at " + position + " in " + state());
        }
        return false;
    }

    private void skipOver() {
        Slot first;
        while ((first = slots.peekFirst()) != null && first.kind == Kind.SKIP) {
            slots.removeFirst();
            head += first.size;
        }
    }
}
