package dev.logbuf.kafka;

/**
 * What a {@link KafkaShipper} promises about the records it ships.
 */
public enum Guarantee {

    /**
     * Every record committed to the ring reaches the topic at least once. The
     * producer is idempotent with {@code acks=all}, and a record is released
     * from the ring only after Kafka acknowledged it, so a crash of the
     * shipper or of the broker loses nothing; a shipper that crashed after
     * Kafka had a batch but before it released it ships that batch again
     * when it restarts (duplicates, each carrying the same ring position).
     */
    AT_LEAST_ONCE,

    /**
     * Every record committed to the ring is in the topic exactly once for a
     * {@code read_committed} consumer. Each batch is one Kafka transaction
     * holding its records and the ring position it ends at (committed as the
     * offset of a consumer group named after the ring); a restarted shipper
     * reads that position and steps over the records at or below it. The
     * transactional id is derived from the ring's id, so a second shipper of
     * the same ring fences the first: a shipper paused while another took
     * over can no longer write.
     */
    EXACTLY_ONCE
}
