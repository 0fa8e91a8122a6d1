package dev.logbuf.queue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A producer thread and a consumer thread, for either variant; the MPSC
 * suite adds several producer threads. See {@link Stress} for what is checked.
 */
abstract class ConcurrencyContract extends QueueContract {

    @Test
    @DisplayName("one producer thread: 100k records of 12..200 bytes through a 1 KiB ring, in order, intact")
    void shouldCarryRecordsFromOneProducerThread() {
        final Variant.TestQueue queue = variant().create(1024);
        Stress.run(queue.consumer, queue.producers(1), 100_000, 200);
    }

    @Test
    @DisplayName("one producer thread through a 64-byte ring: padding and full on almost every record")
    void shouldCarryRecordsThroughATinyRing() {
        final Variant.TestQueue queue = variant().create(64);
        Stress.run(queue.consumer, queue.producers(1), 30_000, queue.maxRecordLength);
    }
}
