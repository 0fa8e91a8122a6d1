package dev.logbuf.testkit.broken;

import dev.logbuf.queue.RecordHandler;
import dev.logbuf.testkit.ClaimUnderTest;
import dev.logbuf.testkit.ConsumerUnderTest;
import dev.logbuf.testkit.ProducerUnderTest;
import dev.logbuf.testkit.RecordUnderTest;
import dev.logbuf.testkit.RingModel;
import dev.logbuf.testkit.RingUnderTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A plain, lock-protected byte[] ring that follows logbuf's record format and
 * rules, with one deliberate bug switched on: the contracts must catch each.
 * With {@link Bug#NONE} it passes them (see {@code HeapRingContractTest}), so a
 * failure of a broken one is the bug's doing, not the heap ring's.
 */
public final class HeapRing implements RingUnderTest {

    /** Which bug this ring has. */
    public enum Bug {
        /** None: a correct (if slow) ring. */
        NONE,
        /** Abort forgets to write the skip marker: the header stays 0 and the consumer stalls there. */
        DROPS_ABORT_MARKER,
        /** Release zeroes the header only, not the payload: the next lap's claims see old bytes. */
        FORGETS_TO_ZERO
    }

    private static final long SKIP = Long.MIN_VALUE;

    private final Bug bug;
    private final boolean multiProducer;
    private final int capacity;
    private final int mask;
    private final ByteBuffer mem;
    private final ProducerUnderTest first;
    private final ConsumerUnderTest consumer = new Consumer();
    private long head;
    private long tail;

    /**
     * A ring.
     *
     * @param requestedCapacity rounded up as logbuf does
     * @param multiProducer whether {@link #newProducer()} works
     * @param bug the bug
     */
    public HeapRing(int requestedCapacity, boolean multiProducer, Bug bug) {
        this.bug = bug;
        this.multiProducer = multiProducer;
        this.capacity = RingModel.capacityFor(requestedCapacity);
        this.mask = capacity - 1;
        this.mem = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        this.first = new Producer();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int maxRecordLength() {
        return capacity - 8;
    }

    @Override
    public boolean multiProducer() {
        return multiProducer;
    }

    @Override
    public ProducerUnderTest producer() {
        return first;
    }

    @Override
    public ProducerUnderTest newProducer() {
        if (!multiProducer) {
            throw new UnsupportedOperationException("one producer");
        }
        return new Producer();
    }

    @Override
    public ConsumerUnderTest consumer() {
        return consumer;
    }

    private synchronized Claim claim(int length) {
        if (length <= 0 || length > maxRecordLength()) {
            throw new IllegalArgumentException("length " + length);
        }
        final int size = RingModel.recordSize(length);
        final int offset = (int) tail & mask;
        final int padding = size <= capacity - offset ? 0 : capacity - offset;
        if (head >= tail + padding + size - capacity) {
            if (padding != 0) {
                mem.putLong(offset, SKIP | padding);
            }
            final Claim c = new Claim((int) (tail + padding) & mask, length);
            tail += padding + size;
            return c;
        }
        if (padding != 0 && head >= tail + padding - capacity) {
            mem.putLong(offset, SKIP | padding);
            tail += padding;
        }
        return null;
    }

    private synchronized void publish(int offset, long header) {
        mem.putLong(offset, header);
    }

    private synchronized byte get(int index) {
        return mem.get(index);
    }

    private synchronized void put(int index, byte[] bytes) {
        mem.put(index, bytes);
    }

    private synchronized void zero(int offset, int length) {
        Arrays.fill(mem.array(), offset, offset + length, (byte) 0);
    }

    /** Steps over skips; returns the offset of a committed header, or -1. */
    private synchronized int next() {
        for (;;) {
            final int offset = (int) head & mask;
            final long header = mem.getLong(offset);
            if (header == 0) {
                return -1;
            }
            if (header < 0) {
                final int span = (int) (header & ~SKIP);
                zero(offset, span);
                head += span;
                continue;
            }
            return offset;
        }
    }

    private synchronized int lengthAt(int offset) {
        return (int) mem.getLong(offset);
    }

    private synchronized byte[] payloadAt(int offset) {
        final byte[] b = new byte[lengthAt(offset)];
        mem.get(offset + 8, b);
        return b;
    }

    private synchronized void release(int offset) {
        final int size = RingModel.recordSize(lengthAt(offset));
        zero(offset, bug == Bug.FORGETS_TO_ZERO ? 8 : size);
        head += size;
    }

    private final class Producer implements ProducerUnderTest {
        private Claim open;

        @Override
        public ClaimUnderTest tryClaim(int length) {
            if (open != null && open.live) {
                throw new IllegalStateException("a claim is open");
            }
            return open = claim(length);
        }
    }

    private final class Claim implements ClaimUnderTest {
        private final int offset;
        private final int length;
        private boolean live = true;

        Claim(int offset, int length) {
            this.offset = offset;
            this.length = length;
        }

        private void checkLive() {
            if (!live) {
                throw new IllegalStateException("the claim has ended");
            }
        }

        @Override
        public int length() {
            checkLive();
            return length;
        }

        @Override
        public byte get(int index) {
            return HeapRing.this.get(offset + 8 + index);
        }

        @Override
        public void put(int index, byte[] bytes) {
            checkLive();
            HeapRing.this.put(offset + 8 + index, bytes);
        }

        @Override
        public void commit() {
            checkLive();
            live = false;
            publish(offset, length);
        }

        @Override
        public void abort() {
            checkLive();
            live = false;
            if (bug != Bug.DROPS_ABORT_MARKER) {
                publish(offset, SKIP | RingModel.recordSize(length));
            }
        }

        @Override
        public void close() {
            if (live) {
                abort();
            }
        }
    }

    private final class Consumer implements ConsumerUnderTest {
        /** How a batch read hands its records over: as the logbuf payloads a handler takes. */
        private final Staging staging = new Staging(HeapRing.this);
        private int held = -1;

        @Override
        public RecordUnderTest tryClaim() {
            if (held >= 0) {
                throw new IllegalStateException("a record is open");
            }
            final int offset = next();
            if (offset < 0) {
                return null;
            }
            held = offset;
            return new RecordUnderTest() {
                private boolean released;

                @Override
                public int length() {
                    checkHeld();
                    return lengthAt(offset);
                }

                @Override
                public byte[] bytes() {
                    checkHeld();
                    return payloadAt(offset);
                }

                private void checkHeld() {
                    if (released) {
                        throw new IllegalStateException("released");
                    }
                }

                @Override
                public void close() {
                    if (!released) {
                        released = true;
                        held = -1;
                        release(offset);
                    }
                }
            };
        }

        @Override
        public int read(RecordHandler handler, int limit) {
            if (held >= 0) {
                throw new IllegalStateException("a record is open");
            }
            int n = 0;
            while (n < limit) {
                final int offset = next();
                if (offset < 0) {
                    break;
                }
                n++;
                try {
                    staging.hand(payloadAt(offset), handler);
                } finally {
                    release(offset);
                }
            }
            return n;
        }
    }
}
