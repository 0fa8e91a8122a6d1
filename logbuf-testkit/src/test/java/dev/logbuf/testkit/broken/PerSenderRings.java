package dev.logbuf.testkit.broken;

import dev.logbuf.queue.RecordHandler;
import dev.logbuf.testkit.ConsumerUnderTest;
import dev.logbuf.testkit.ProducerUnderTest;
import dev.logbuf.testkit.RecordUnderTest;
import dev.logbuf.testkit.RingModel;
import dev.logbuf.testkit.RingUnderTest;
import java.util.ArrayList;
import java.util.List;

/**
 * A broken MPSC ring that reorders two senders' records: each producer
 * writes into a ring of its own and the consumer takes from them in turn,
 * so each sender's order survives but the claim order across senders does
 * not. The model-equivalence contract must catch it.
 */
public final class PerSenderRings implements RingUnderTest {

    private final int requestedCapacity;
    private final List<HeapRing> rings = new ArrayList<>();
    private final ConsumerUnderTest consumer = new RoundRobin();
    private int nextRing;

    /**
     * A ring set.
     *
     * @param requestedCapacity each sender's ring's capacity
     */
    public PerSenderRings(int requestedCapacity) {
        this.requestedCapacity = requestedCapacity;
        rings.add(new HeapRing(requestedCapacity, false, HeapRing.Bug.NONE));
    }

    @Override
    public int capacity() {
        return RingModel.capacityFor(requestedCapacity);
    }

    @Override
    public int maxRecordLength() {
        return capacity() - 8;
    }

    @Override
    public boolean multiProducer() {
        return true;
    }

    @Override
    public ProducerUnderTest producer() {
        return rings.get(0).producer();
    }

    @Override
    public synchronized ProducerUnderTest newProducer() {
        final HeapRing ring = new HeapRing(requestedCapacity, false, HeapRing.Bug.NONE);
        rings.add(ring);
        return ring.producer();
    }

    @Override
    public ConsumerUnderTest consumer() {
        return consumer;
    }

    private final class RoundRobin implements ConsumerUnderTest {
        /** How a batch read hands its records over: as the logbuf payloads a handler takes. */
        private final Staging staging = new Staging(PerSenderRings.this);

        @Override
        public RecordUnderTest tryClaim() {
            synchronized (PerSenderRings.this) {
                for (int i = 0; i < rings.size(); i++) {
                    final int r = (nextRing + i) % rings.size();
                    final RecordUnderTest record = rings.get(r).consumer().tryClaim();
                    if (record != null) {
                        nextRing = r + 1;
                        return record;
                    }
                }
                return null;
            }
        }

        @Override
        public int read(RecordHandler handler, int limit) {
            int n = 0;
            RecordUnderTest r;
            while (n < limit && (r = tryClaim()) != null) {
                try {
                    staging.hand(r.bytes(), handler);
                } finally {
                    r.close();
                }
                n++;
            }
            return n;
        }
    }
}
