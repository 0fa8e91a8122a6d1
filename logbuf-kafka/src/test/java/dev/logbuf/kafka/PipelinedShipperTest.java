package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.WriteClaim;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At least once, {@code run()} keeps two batches in flight and releases each
 * as Kafka acknowledges it, oldest first. A record the topic refuses in a
 * later batch: with STOP the batches before it are released (Kafka has
 * them), and it and every record after it, sent or not, stay in the ring;
 * with SKIP it is stepped over and every other record reaches the topic.
 * Batches of 50 records, so several are shipped before the refused one.
 */
@DisplayName("pipelined shipping (at least once)")
@Timeout(120)
class PipelinedShipperTest {

    private static final int BEFORE = 300;
    private static final int AFTER = 100;
    private static final int BIG = 4000;

    private final MpscQueue queue = MpscQueue.create(1 << 16);
    private final MpscProducer producer = queue.newProducer();
    private final Consumer consumer = queue.consumer();

    /** 300 records, one of 4000 bytes the topic refuses, 100 more; returns the big one's ring position. */
    private long fill() {
        for (int i = 0; i < BEFORE; i++) {
            TestRecords.send(producer, 0, i);
        }
        final long big = consumer.position() + queue.size();
        final WriteClaim claim = producer.tryClaim(BIG);
        assertNotNull(claim);
        claim.commit();
        for (int i = BEFORE; i < BEFORE + AFTER; i++) {
            TestRecords.send(producer, 0, i);
        }
        return big;
    }

    private KafkaShipper shipper(String topic, BadRecords policy) {
        return KafkaShipper.builder(consumer)
                .bootstrapServers(TestBroker.servers())
                .topic(topic)
                .guarantee(Guarantee.AT_LEAST_ONCE)
                .badRecords(policy)
                .batchRecords(50)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    /** The sequence numbers the topic holds. */
    private static Set<Long> sequences(String topic, int expected) {
        final List<ConsumerRecord<byte[], byte[]>> read = TestBroker.readCommitted(topic, expected,
                Duration.ofSeconds(5));
        final Set<Long> seqs = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : read) {
            seqs.add(TestRecords.check(record.value())[1]);
        }
        return seqs;
    }

    @Test
    @DisplayName("STOP: the batches before the refused record are released; it and all after it stay in the ring")
    void shouldReleaseTheBatchesBeforeARefusedRecordAndKeepTheRest() throws Exception {
        final String topic = TestBroker.newTopic("pipelined-stop", Map.of("max.message.bytes", "2048"));
        final long big = fill();
        final KafkaShipper shipper = shipper(topic, BadRecords.STOP);
        final AtomicReference<Throwable> stopped = new AtomicReference<>();
        final Thread shipping = new Thread(() -> {
            try {
                shipper.run();
            } catch (Throwable t) {
                stopped.set(t);
            }
        }, "shipper");
        shipping.start();
        shipping.join(60_000);
        assertFalse(shipping.isAlive(), "run() stops at the refused record");
        final ShipperException e = assertInstanceOf(ShipperException.class, stopped.get());
        assertEquals(big, e.position(), e.getMessage());
        final ShipperStats stats = shipper.stats();
        shipper.close();

        assertEquals(BEFORE, stats.shipped(), "the six batches before the refused record were released: " + stats);
        assertEquals(0, stats.inFlight(), stats.toString());
        assertEquals(big, consumer.position(), "the head is at the refused record");
        final Set<Long> shipped = sequences(topic, BEFORE);
        for (long seq = 0; seq < BEFORE; seq++) {
            assertTrue(shipped.contains(seq), "record " + seq + " is in the topic");
        }
        // the refused record and every one after it, sent or not, are still in the ring
        final int[] records = {0};
        final int[] bigOnes = {0};
        consumer.hold(payload -> {
            records[0]++;
            bigOnes[0] += payload.length() == BIG ? 1 : 0;
        }, 1000);
        consumer.rewindHeld();
        assertEquals(1 + AFTER, records[0]);
        assertEquals(1, bigOnes[0]);
    }

    @Test
    @DisplayName("SKIP: the refused record is stepped over and counted; every other record reaches the topic")
    void shouldStepOverARefusedRecordAndShipTheRest() throws Exception {
        final String topic = TestBroker.newTopic("pipelined-skip", Map.of("max.message.bytes", "2048"));
        fill();
        final KafkaShipper shipper = shipper(topic, BadRecords.SKIP);
        final Running running = Running.start(shipper);
        running.awaitShipped(BEFORE + AFTER, Duration.ofSeconds(60));
        running.closeAndCheck();
        final ShipperStats stats = shipper.stats();
        assertEquals(1, stats.skipped(), stats.toString());
        assertTrue(stats.shipped() >= BEFORE + AFTER, "at least once: " + stats);
        assertEquals(0, queue.size(), "the ring is empty: the refused record was released too");
        assertInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class, stats.lastError());
        final Set<Long> shipped = sequences(topic, BEFORE + AFTER);
        for (long seq = 0; seq < BEFORE + AFTER; seq++) {
            assertTrue(shipped.contains(seq), "record " + seq + " is in the topic");
        }
    }
}
