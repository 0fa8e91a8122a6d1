package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker is stopped while a producer writes and the shipper ships, then
 * started again on the same log directories: while it is down the records
 * wait in the ring, which fills, and the producer finds it full; once it is
 * back the shipper reconnects by itself and every record reaches the topic,
 * exactly once.
 */
@DisplayName("broker outage")
class BrokerOutageTest {

    /** Records written after the broker is back, before the producer stops. */
    static final long AFTER = 5_000;

    @Test
    @DisplayName("broker stopped mid-run and restarted: the ring fills meanwhile, then nothing is lost and nothing comes twice")
    @Timeout(180)
    void shouldRideOutABrokerRestart() throws Exception {
        final String topic = TestBroker.newTopic("outage");
        final MpscQueue queue = MpscQueue.create(1 << 16); // 64 KiB: full within moments of the outage
        final KafkaShipper shipper = KafkaShipper.builder(queue.consumer())
                .bootstrapServers(TestBroker.servers())
                .topic(topic)
                .guarantee(Guarantee.EXACTLY_ONCE)
                .timeout(Duration.ofSeconds(2))
                .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .build();
        final Running shipping = Running.start(shipper);
        final MpscProducer producer = queue.newProducer();
        final AtomicLong written = new AtomicLong();
        final AtomicLong fullSpins = new AtomicLong();
        final AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
        final Thread producing = new Thread(() -> {
            // paced at 5,000 records/s on a schedule (a late park is caught up), so that it is still
            // writing when the broker stops, and fills the 64 KiB ring within a second of the outage
            final long start = System.nanoTime();
            for (long seq = 0; seq < stopAt.get(); seq++) {
                final long due = start + seq * 200_000;
                while (System.nanoTime() - due < 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
                final int length = TestRecords.lengthOf(seq);
                dev.logbuf.queue.WriteClaim claim;
                while ((claim = producer.tryClaim(length)) == null) {
                    fullSpins.incrementAndGet(); // counted as it happens: the outage is watched from outside
                    Thread.onSpinWait();
                }
                TestRecords.write(claim, 0, seq);
                claim.commit();
                written.set(seq + 1);
            }
        }, "producer");
        producing.start();
        // some records shipped before the outage
        shipping.awaitShipped(2_000, Duration.ofSeconds(60));
        final long[] during = new long[2];
        TestBroker.restart(() -> {
            final long spinsBefore = fullSpins.get();
            final long shippedAtStop = shipper.stats().shipped();
            // down for a while: long enough for the ring to fill and the shipper to retry
            final long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < until && fullSpins.get() == spinsBefore) {
                Thread.sleep(10);
            }
            Thread.sleep(500);
            during[0] = fullSpins.get() - spinsBefore;
            during[1] = shipper.stats().shipped() - shippedAtStop;
        });
        stopAt.set(written.get() + AFTER);
        producing.join(120_000);
        final long records = written.get();
        shipping.awaitShipped(records, Duration.ofSeconds(120));
        shipping.closeAndCheck();
        final ShipperStats stats = shipper.stats();
        System.out.println("broker outage: " + during[0] + " claim attempts found the ring full while the"
                + " broker was down, " + during[1] + " records shipped meanwhile; " + records + " records; " + stats);
        assertTrue(during[0] > 0, "the producer found the ring full while the broker was down");
        assertTrue(stats.retries() > 0, "the shipper retried: " + stats);
        assertEquals(records, stats.shipped(), stats.toString());
        // read_committed stops at the first transaction still open. Once in 11 runs (CI, JDK 17) this read saw
        // 8,822 of 10,096 records and then nothing for 10 s, though every batch had committed: suspected, not
        // confirmed, a transaction left open across the restart, which the broker aborts only after the
        // transaction timeout (8 s here) and its next check for timed-out transactions (every 10 s by
        // default). So the read waits up to 30 s for more; a record lost still fails it, naming the gaps
        final TestRecords.Tally tally = new TestRecords.Tally(
                TestBroker.readCommitted(topic, records, Duration.ofSeconds(30)));
        tally.assertComplete(1, records);
        assertEquals(0, tally.duplicates, "exactly once across the outage");
        assertEquals(records, tally.records);
    }
}
