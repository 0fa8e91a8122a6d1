package dev.logbuf.kafka;

import dev.logbuf.queue.Payload;

/**
 * The Kafka key of a record, computed from its payload on the shipper's
 * thread; records with the same key go to the same partition, in ring order.
 * Without one, every record is sent with a {@code null} key.
 */
@FunctionalInterface
public interface RecordKey {

    /**
     * The key of the record in {@code payload}.
     *
     * @param payload the record, valid only during the call (indexes count
     *        from its first byte)
     * @return the key's bytes, or {@code null} for none
     */
    byte[] of(Payload payload);
}
