package dev.logbuf.kafka;

/**
 * A snapshot of a {@link KafkaShipper}'s counters, taken from any thread.
 *
 * @param shipped records acknowledged by Kafka (committed, in exactly-once
 *        mode) and released from the ring
 * @param shippedBytes their payload bytes
 * @param inFlight records held (read from the ring, sent, not yet
 *        acknowledged)
 * @param retries batches sent again after a failure Kafka said was
 *        transient (an outage, a timeout)
 * @param skipped records Kafka refused that were stepped over
 *        ({@link BadRecords#SKIP})
 * @param resumedPast records found already in the topic when the shipper
 *        started (exactly-once mode: at or below the committed position) and
 *        released without being sent again
 * @param lagBytes bytes in the ring not yet released: what waits to be
 *        shipped, headers included
 * @param lastError the latest error met, or {@code null}
 */
public record ShipperStats(long shipped, long shippedBytes, int inFlight, long retries, long skipped,
        long resumedPast, long lagBytes, Throwable lastError) {
}
