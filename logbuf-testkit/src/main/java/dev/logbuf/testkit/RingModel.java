package dev.logbuf.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A sequential model of a logbuf ring: predicts, for operations made one at a
 * time, whether each claim must succeed or find the ring full, and what the
 * consumer must see next.
 *
 * <p>The rules it follows (those of logbuf's rings, SPSC and MPSC alike when
 * driven from one thread):
 * <ul>
 *   <li>the capacity is the request rounded up to a power of two (16 to 2^30);
 *       the longest payload is {@code capacity - 8}; a record occupies
 *       {@code align8(8 + length)} bytes;</li>
 *   <li>positions {@code head} and {@code tail} are free-running; a claim at
 *       {@code tail} needs wrap padding of {@code capacity - offset} bytes when
 *       the record does not fit before the end of the region;</li>
 *   <li>the claim succeeds when {@code head >= tail + padding + size - capacity};
 *       failing that, if there is padding and the bytes up to the end are free
 *       ({@code head >= tail + padding - capacity}), the padding alone is
 *       written and the claim reports full;</li>
 *   <li>records are consumed in claim order; padding and aborted claims are
 *       stepped over (moving head); a claim neither committed nor aborted stops
 *       the consumer there, whatever was committed after it;</li>
 *   <li>head moves when the consumer steps over skips, releases a record, or
 *       ends a batch read;</li>
 *   <li>a record put back ({@link #putBack()}) stays first, unchanged, and
 *       its bytes stay taken;</li>
 *   <li>a controlled read ({@link #controlledRead(int)}) consumes the records
 *       its handler continues, breaks or commits at, leaves the one it aborts
 *       (or throws on) first in the ring, and moves head only at a commit
 *       (to just past the committed record) and when it ends (to just past
 *       what it consumed or stepped over); the skips it steps over are given
 *       back with them.</li>
 * </ul>
 *
 * <p>Not thread-safe: it models one thread's view.
 */
public final class RingModel {

    /** What a claim does. */
    public enum Outcome {
        /** The claim succeeded (after wrap padding, if it needed some). */
        CLAIMED,
        /** Full: nothing was written. */
        FULL,
        /** Full, but the bytes up to the end were free: the padding was written, tail moved past it. */
        PADDED_THEN_FULL
    }

    private enum State { OPEN, COMMITTED, SKIP }

    private static final class Slot {
        final long position;
        final int size;
        final int length;
        final int producer;
        State state;
        byte[] payload;

        Slot(long position, int size, int length, int producer, State state) {
            this.position = position;
            this.size = size;
            this.length = length;
            this.producer = producer;
            this.state = state;
            this.payload = new byte[Math.max(length, 0)];
        }
    }

    private final int capacity;
    private final int mask;
    private final int maxRecordLength;
    /** Everything between head and tail, in ring order. */
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private final Map<Integer, Slot> open = new HashMap<>();
    private Slot reading;
    private ControlledRead controlled;
    private long head;
    private long tail;
    private long committed;
    private long committedBytes;
    private long consumed;
    private long consumedBytes;
    private long refused;
    private long aborted;

    /**
     * A model of an empty ring.
     *
     * @param requestedCapacity the capacity asked for
     * @throws IllegalArgumentException if it is below 16 or above 2^30
     */
    public RingModel(int requestedCapacity) {
        this.capacity = capacityFor(requestedCapacity);
        this.mask = capacity - 1;
        this.maxRecordLength = capacity - 8;
    }

    /**
     * The capacity a ring rounds {@code requested} up to.
     *
     * @param requested the capacity asked for
     * @return the power of two at or above it
     * @throws IllegalArgumentException if it is below 16 or above 2^30
     */
    public static int capacityFor(int requested) {
        if (requested < 16 || requested > (1 << 30)) {
            throw new IllegalArgumentException("capacity " + requested + " is outside 16..2^30");
        }
        return Integer.highestOneBit(requested - 1) << 1;
    }

    /**
     * The bytes a record of {@code length} occupies: {@code align8(8 + length)}.
     *
     * @param length the payload length
     * @return the record size
     */
    public static int recordSize(int length) {
        return (8 + length + 7) & -8;
    }

    /** {@return the capacity in bytes} */
    public int capacity() {
        return capacity;
    }

    /** {@return the longest payload} */
    public int maxRecordLength() {
        return maxRecordLength;
    }

    /** {@return the consumer's published position} */
    public long head() {
        return head;
    }

    /** {@return the producers' position} */
    public long tail() {
        return tail;
    }

    /**
     * The payload length that fills the ring exactly up to its end from the
     * current tail (at least 1), the edge case where a record just fits.
     *
     * @return the length
     */
    public int lengthToWrap() {
        final int toEnd = capacity - (int) (tail & mask);
        return Math.max(1, Math.min(maxRecordLength, toEnd - 8));
    }

    /**
     * Whether {@code producer} holds an open claim.
     *
     * @param producer the producer's index
     * @return true if it does
     */
    public boolean hasOpenClaim(int producer) {
        return open.containsKey(producer);
    }

    /**
     * The length of {@code producer}'s open claim.
     *
     * @param producer the producer's index
     * @return the length
     */
    public int openClaimLength(int producer) {
        return open.get(producer).length;
    }

    /** {@return whether the consumer holds a record, or is in a controlled read} */
    public boolean isReading() {
        return reading != null || controlled != null;
    }

    /**
     * A producer claims {@code length} bytes.
     *
     * @param producer the producer's index
     * @param length the payload length
     * @return the outcome the ring must show
     * @throws IllegalArgumentException if length is outside 1..maxRecordLength
     * @throws IllegalStateException if the producer already holds a claim
     */
    public Outcome claim(int producer, int length) {
        final Outcome outcome = outcomeOf(length); // checks the length first
        if (open.containsKey(producer)) {
            throw new IllegalStateException("producer " + producer + " holds a claim");
        }
        final int size = recordSize(length);
        final int offset = (int) (tail & mask);
        final int padding = size <= capacity - offset ? 0 : capacity - offset;
        if (outcome == Outcome.CLAIMED) {
            if (padding != 0) {
                slots.add(new Slot(tail, padding, -1, -1, State.SKIP));
            }
            final Slot slot = new Slot(tail + padding, size, length, producer, State.OPEN);
            slots.add(slot);
            open.put(producer, slot);
            tail += padding + size;
            return Outcome.CLAIMED;
        }
        if (outcome == Outcome.PADDED_THEN_FULL) {
            slots.add(new Slot(tail, padding, -1, -1, State.SKIP));
            tail += padding;
        }
        refused++;
        return outcome;
    }

    /**
     * What a claim of {@code length} bytes would do now, without making it.
     *
     * @param length the payload length
     * @return the outcome {@link #claim(int, int)} would have
     * @throws IllegalArgumentException if length is outside 1..maxRecordLength
     */
    public Outcome outcomeOf(int length) {
        if (length <= 0 || length > maxRecordLength) {
            throw new IllegalArgumentException("length " + length + " is outside 1.." + maxRecordLength);
        }
        final int size = recordSize(length);
        final int offset = (int) (tail & mask);
        final int padding = size <= capacity - offset ? 0 : capacity - offset;
        if (head >= tail + padding + size - capacity) {
            return Outcome.CLAIMED;
        }
        if (padding != 0 && head >= tail + padding - capacity) {
            return Outcome.PADDED_THEN_FULL;
        }
        return Outcome.FULL;
    }

    /**
     * Writes into {@code producer}'s open claim.
     *
     * @param producer the producer's index
     * @param index the payload index
     * @param bytes the bytes
     */
    public void write(int producer, int index, byte[] bytes) {
        System.arraycopy(bytes, 0, openSlot(producer).payload, index, bytes.length);
    }

    /**
     * Commits {@code producer}'s open claim.
     *
     * @param producer the producer's index
     */
    public void commit(int producer) {
        final Slot slot = openSlot(producer);
        slot.state = State.COMMITTED;
        committed++;
        committedBytes += slot.length;
        open.remove(producer);
    }

    /**
     * Aborts {@code producer}'s open claim: it becomes a skip.
     *
     * @param producer the producer's index
     */
    public void abort(int producer) {
        openSlot(producer).state = State.SKIP;
        aborted++;
        open.remove(producer);
    }

    /**
     * The consumer's {@code tryClaim}: steps over skips and returns the next
     * committed payload, or {@code null} when the next slot is open or there
     * is none.
     *
     * @return a copy of the payload the consumer must see, or null
     * @throws IllegalStateException if the consumer holds a record
     */
    public byte[] consumerClaim() {
        checkConsumerIdle();
        skipOver();
        final Slot first = slots.peekFirst();
        if (first == null || first.state != State.COMMITTED) {
            return null;
        }
        reading = first;
        return first.payload.clone();
    }

    /**
     * The consumer puts back the record it holds: the record stays first in
     * the ring, unchanged, and head does not move (the skips before it were
     * stepped over when it was claimed).
     *
     * @throws IllegalStateException if the consumer holds no record
     */
    public void putBack() {
        if (reading == null) {
            throw new IllegalStateException("the consumer holds no record");
        }
        reading = null;
    }

    /** The consumer releases its record: head moves past it. */
    public void release() {
        if (reading == null) {
            throw new IllegalStateException("the consumer holds no record");
        }
        slots.removeFirst();
        head += reading.size;
        consumed++;
        consumedBytes += reading.length;
        reading = null;
    }

    /**
     * The consumer's batch read: up to {@code limit} committed payloads, released.
     *
     * @param limit the most records
     * @return the payloads, in order
     */
    public List<byte[]> read(int limit) {
        checkConsumerIdle();
        final List<byte[]> out = new ArrayList<>();
        while (out.size() < limit) {
            skipOver();
            final Slot first = slots.peekFirst();
            if (first == null || first.state != State.COMMITTED) {
                break;
            }
            out.add(first.payload);
            slots.removeFirst();
            head += first.size;
            consumed++;
            consumedBytes += first.length;
        }
        // the limit reached, skips after the last record stay for the next look
        return out;
    }

    /**
     * Begins the consumer's controlled read of at most {@code limit} records.
     * Drive it record by record: {@link ControlledRead#next()} says which
     * record the handler must be handed next (or that the read must end),
     * {@link ControlledRead#reply(Op.Reply)} applies the handler's answer,
     * {@link ControlledRead#end()} ends it. Producers may claim, commit and
     * abort meanwhile (a handler may do so), against the head as the read has
     * published it so far.
     *
     * @param limit the most records to consume, at least 1
     * @return the read in progress
     * @throws IllegalStateException if the consumer holds a record or is reading
     */
    public ControlledRead controlledRead(int limit) {
        checkConsumerIdle();
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " is below 1");
        }
        controlled = new ControlledRead(limit);
        return controlled;
    }

    /**
     * A controlled read in progress, made by {@link #controlledRead(int)}: the
     * sequence of records its handler must see, and where head moves.
     */
    public final class ControlledRead {
        private final int limit;
        /** The first byte not yet consumed or stepped over: where the read looks next. */
        private long cursor;
        private int consumed;
        private boolean stopped;
        private Slot offered;

        private ControlledRead(int limit) {
            this.limit = limit;
            this.cursor = head;
        }

        /**
         * The next record the handler must be handed: steps over skips (their
         * bytes are given back with the records, at the next commit or at the
         * end) and returns the payload of the committed record after them.
         *
         * @return a copy of the payload, or {@code null} when the read must
         *         end here (the limit is reached, the handler stopped it, or the
         *         next slot is an open claim or there is none)
         * @throws IllegalStateException if the last record handed out has no reply yet
         */
        public byte[] next() {
            checkActive();
            if (offered != null) {
                throw new IllegalStateException("the record handed out has no reply yet");
            }
            if (stopped || consumed == limit) {
                return null;
            }
            Slot first;
            while ((first = slots.peekFirst()) != null && first.state == State.SKIP) {
                slots.removeFirst();
                cursor += first.size;
            }
            if (first == null || first.state != State.COMMITTED) {
                return null;
            }
            offered = first;
            return first.payload.clone();
        }

        /**
         * Applies the handler's answer to the record {@link #next()} handed
         * out: consumes it or leaves it first in the ring, stops the read or
         * not, gives back what was consumed at a {@code COMMIT}.
         *
         * @param reply the answer ({@link Op.Reply#THROW} and {@link Op.Reply#NULL} act as {@code ABORT})
         * @throws IllegalStateException if no record is handed out
         */
        public void reply(Op.Reply reply) {
            checkActive();
            if (offered == null) {
                throw new IllegalStateException("no record is handed out");
            }
            final Slot slot = offered;
            offered = null;
            if (!reply.consumes()) {
                stopped = true; // the record stays first, unchanged
                return;
            }
            slots.removeFirst();
            cursor += slot.size;
            consumed++;
            RingModel.this.consumed++;
            consumedBytes += slot.length;
            if (reply == Op.Reply.BREAK) {
                stopped = true;
            } else if (reply == Op.Reply.COMMIT) {
                head = cursor;
            }
        }

        /**
         * Ends the read: what it consumed or stepped over is given back (head
         * moves to where it looked last).
         *
         * @return how many records it consumed
         * @throws IllegalStateException if a record handed out has no reply yet
         */
        public int end() {
            checkActive();
            if (offered != null) {
                throw new IllegalStateException("the record handed out has no reply yet");
            }
            head = cursor;
            controlled = null;
            return consumed;
        }

        /** {@return how many records the read consumed so far} */
        public int consumed() {
            return consumed;
        }

        /** {@return whether the handler stopped the read (break, abort, throw)} */
        public boolean stopped() {
            return stopped;
        }

        private void checkActive() {
            if (controlled != this) {
                throw new IllegalStateException("this controlled read has ended");
            }
        }
    }

    /**
     * Records committed so far (what {@code QueueStats.committed()} must say).
     *
     * @return the count
     */
    public long committed() {
        return committed;
    }

    /**
     * Payload bytes committed so far ({@code QueueStats.committedBytes()}).
     *
     * @return the bytes
     */
    public long committedBytes() {
        return committedBytes;
    }

    /**
     * Records the consumer released so far, one by one or in batches
     * ({@code QueueStats.consumed()}).
     *
     * @return the count
     */
    public long consumed() {
        return consumed;
    }

    /**
     * Payload bytes of the records released so far ({@code QueueStats.consumedBytes()}).
     *
     * @return the bytes
     */
    public long consumedBytes() {
        return consumedBytes;
    }

    /**
     * Claims that found the ring full, with or without writing wrap padding
     * ({@code QueueStats.full()}; the model makes single attempts, so also
     * {@code QueueStats.refused()}).
     *
     * @return the count
     */
    public long refused() {
        return refused;
    }

    /**
     * Claims aborted or closed without a commit ({@code QueueStats.aborted()}).
     *
     * @return the count
     */
    public long aborted() {
        return aborted;
    }

    /** {@return how many committed records wait, blocked or not} */
    public int committedWaiting() {
        int n = 0;
        for (Iterator<Slot> it = slots.iterator(); it.hasNext(); ) {
            if (it.next().state == State.COMMITTED) {
                n++;
            }
        }
        return n;
    }

    private void checkConsumerIdle() {
        if (reading != null) {
            throw new IllegalStateException("the consumer holds a record");
        }
        if (controlled != null) {
            throw new IllegalStateException("a controlled read is in progress");
        }
    }

    /** Skips at the front are stepped over, moving head (the consumer does this as it looks). */
    private void skipOver() {
        Slot first;
        while ((first = slots.peekFirst()) != null && first.state == State.SKIP) {
            slots.removeFirst();
            head += first.size;
        }
    }

    private Slot openSlot(int producer) {
        final Slot slot = open.get(producer);
        if (slot == null) {
            throw new IllegalStateException("producer " + producer + " holds no claim");
        }
        return slot;
    }

    @Override
    public String toString() {
        return "RingModel[capacity " + capacity + ", head " + head + ", tail " + tail + ", "
                + slots.size() + " slots]";
    }
}
