package dev.logbuf.kafka;

/**
 * What a {@link KafkaShipper} does with a record that Kafka refuses for
 * itself (larger than the topic accepts, for instance), as opposed to an
 * outage that refuses everything.
 */
public enum BadRecords {

    /**
     * Stop: {@link KafkaShipper#run()} throws a {@link ShipperException}
     * naming the record's ring position, and the record, with every record
     * after it, stays in the ring. The default.
     */
    STOP,

    /**
     * Step over it: the record is released from the ring without reaching the
     * topic, counted in {@link ShipperStats#skipped()}, and its error kept as
     * {@link ShipperStats#lastError()}; shipping goes on.
     */
    SKIP
}
