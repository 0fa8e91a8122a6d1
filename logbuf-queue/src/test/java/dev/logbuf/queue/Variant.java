package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The queue variants; the contract suites run once for each: SPSC and MPSC in
 * one process, and both again over shared memory (one attachment, so the
 * shared code paths run under every contract: slots, intents, announced
 * releases).
 */
enum Variant {

    SPSC {
        @Override
        TestQueue create(int capacity) {
            final SpscQueue queue = SpscQueue.create(capacity);
            return new TestQueue(this, queue.producer(), queue.consumer(), queue.capacity(),
                    queue.maxRecordLength(), null);
        }
    },

    MPSC {
        @Override
        TestQueue create(int capacity) {
            final MpscQueue queue = MpscQueue.create(capacity);
            return new TestQueue(this, queue.newProducer(), queue.consumer(), queue.capacity(),
                    queue.maxRecordLength(), queue::newProducer);
        }
    },

    SHARED_SPSC {
        @Override
        TestQueue create(int capacity) {
            final int rounded = Ring.capacityFor(capacity);
            final SpscQueue queue = SpscQueue.create(SharedRingTest.memoryFor(SpscQueue.sharedSize(rounded)), rounded);
            return new TestQueue(this, queue.producer(), queue.consumer(), queue.capacity(),
                    queue.maxRecordLength(), null);
        }
    },

    SHARED_MPSC {
        @Override
        TestQueue create(int capacity) {
            final int rounded = Ring.capacityFor(capacity);
            final MpscQueue queue = MpscQueue.create(SharedRingTest.memoryFor(MpscQueue.sharedSize(rounded)), rounded);
            return new TestQueue(this, queue.newProducer(), queue.consumer(), queue.capacity(),
                    queue.maxRecordLength(), queue::newProducer);
        }
    };

    /** A new queue of at least {@code capacity} bytes, checked for consistent sizes. */
    abstract TestQueue create(int capacity);

    /** Whether the variant takes several producer handles. */
    boolean multiProducer() {
        return this == MPSC || this == SHARED_MPSC;
    }

    /** One queue of either variant, seen through the API both share. */
    static final class TestQueue {
        final Variant variant;
        final Producer producer;
        final Consumer consumer;
        final int capacity;
        final int maxRecordLength;
        private final Supplier<? extends Producer> newProducer;

        TestQueue(Variant variant, Producer producer, Consumer consumer, int capacity, int maxRecordLength,
                Supplier<? extends Producer> newProducer) {
            this.variant = variant;
            this.producer = producer;
            this.consumer = consumer;
            this.capacity = capacity;
            this.maxRecordLength = maxRecordLength;
            this.newProducer = newProducer;
            assertEquals(capacity, producer.capacity(), "producer.capacity()");
            assertEquals(capacity, consumer.capacity(), "consumer.capacity()");
            assertEquals(capacity - 8, maxRecordLength, "maxRecordLength()");
            assertEquals(maxRecordLength, producer.maxRecordLength(), "producer.maxRecordLength()");
        }

        /**
         * {@code count} producer handles for {@code count} threads: the queue's
         * own for SPSC (which has exactly one), new handles for MPSC.
         */
        List<Producer> producers(int count) {
            if (newProducer == null) {
                if (count != 1) {
                    throw new IllegalArgumentException("an SPSC queue has one producer, not " + count);
                }
                return List.of(producer);
            }
            final List<Producer> handles = new ArrayList<>();
            handles.add(producer);
            while (handles.size() < count) {
                handles.add(newProducer.get());
            }
            return handles;
        }
    }
}
