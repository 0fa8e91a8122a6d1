package dev.logbuf.testkit.broken;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.Payload;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.SpscProducer;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.WriteClaim;
import dev.logbuf.testkit.RingUnderTest;

/**
 * Hands a record of a ring of the kit's own to a {@link RecordHandler} as a
 * logbuf {@link Payload}. {@code Payload} is sealed, made only by a logbuf
 * consumer, so each record is staged through a real SPSC queue, and that
 * queue's batch read hands it over: the handler gets exactly what a logbuf
 * read gives it (getters counting from the record's first byte, a payload
 * that ends with the read), except that {@link Payload#position()} is the
 * staging queue's, not the heap ring's.
 *
 * <p>Used by the consumer's thread, one record at a time.
 */
final class Staging {

    private final RingUnderTest ring;
    /** Made at the first record: most rings a contract makes are never batch-read. */
    private SpscProducer producer;
    private Consumer consumer;

    /**
     * A staging queue for the records of {@code ring}.
     *
     * @param ring the ring whose records it hands over; asked its
     *        {@link RingUnderTest#maxRecordLength()} at the first record, so it
     *        may still be under construction
     */
    Staging(RingUnderTest ring) {
        this.ring = ring;
    }

    /**
     * Hands {@code record} to {@code handler} as a payload, valid during the call.
     *
     * @param record the record's bytes
     * @param handler the handler; what it throws gets through, and the record is gone from the staging queue
     */
    void hand(byte[] record, RecordHandler handler) {
        if (producer == null) {
            // twice the longest record: drained, it fits at once or after one wrap padding
            final SpscQueue queue = SpscQueue.create(2 * (ring.maxRecordLength() + 8));
            producer = queue.producer();
            consumer = queue.consumer();
        }
        WriteClaim claim = producer.tryClaim(record.length);
        if (claim == null) {
            claim = producer.tryClaim(record.length); // the first wrote wrap padding
        }
        if (claim == null) {
            throw new AssertionError("the drained staging queue refused a record of " + record.length + " bytes");
        }
        claim.put(record);
        claim.commit();
        final int handed = consumer.read(handler, 1);
        if (handed != 1) {
            throw new AssertionError("the staging queue handed over " + handed + " records instead of 1");
        }
    }
}
