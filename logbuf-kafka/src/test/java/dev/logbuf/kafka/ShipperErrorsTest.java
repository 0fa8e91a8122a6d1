package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.WriteClaim;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each bad input gives its error within a bounded time, naming what is wrong
 * (and the ring position where one record is), and leaves in the ring every
 * record it did not ship; a second shipper of the same transactional id
 * fences the first. All against the real test broker.
 */
@DisplayName("shipper errors")
@Timeout(120)
class ShipperErrorsTest {

    private static final Duration SHORT = Duration.ofSeconds(3);

    private final MpscQueue queue = MpscQueue.create(1 << 16);
    private final MpscProducer producer = queue.newProducer();
    private final Consumer consumer = queue.consumer();

    private void sendRecords(int count) {
        for (int i = 0; i < count; i++) {
            TestRecords.send(producer, 0, i);
        }
    }

    /** Sends a record of {@code length} bytes of {@code b}; returns its ring position (before the commit). */
    private long sendBig(int length, byte b) {
        final WriteClaim claim = producer.tryClaim(length);
        assertNotNull(claim);
        for (int i = 0; i < length; i++) {
            claim.putByte(i, b);
        }
        final long size = queue.size();
        claim.commit();
        return consumer.position() + size - KafkaShipper.recordSpan(length);
    }

    @Test
    @DisplayName("a topic that does not exist: a clear error within the timeout, and the records stay in the ring")
    void shouldReportAnUnknownTopic() {
        sendRecords(10);
        final long before = queue.size();
        final KafkaShipper shipper = KafkaShipper.builder(consumer)
                .bootstrapServers(TestBroker.servers())
                .topic("no-such-topic-here")
                .timeout(SHORT)
                .build();
        final long start = System.nanoTime();
        final ShipperException e = assertThrows(ShipperException.class, shipper::shipOnce);
        final long took = System.nanoTime() - start;
        shipper.close();
        assertTrue(e.getMessage().contains("topic no-such-topic-here does not exist"), e.getMessage());
        assertTrue(took < Duration.ofSeconds(30).toNanos(), "took " + took / 1_000_000 + " ms");
        assertEquals(before, queue.size(), "nothing was released from the ring");
        assertEquals(0, shipper.stats().shipped());
    }

    @Test
    @DisplayName("a server nobody listens on: a clear error naming it within the timeout; the records stay")
    void shouldReportAnUnreachableServer() {
        sendRecords(10);
        final long before = queue.size();
        final KafkaShipper shipper = KafkaShipper.builder(consumer)
                .bootstrapServers("127.0.0.1:1")
                .topic("anything")
                .timeout(SHORT)
                .build();
        final long start = System.nanoTime();
        final ShipperException e = assertThrows(ShipperException.class, shipper::shipOnce);
        final long took = System.nanoTime() - start;
        shipper.close();
        assertTrue(e.getMessage().contains("no Kafka broker answered at 127.0.0.1:1 within PT3S"), e.getMessage());
        assertTrue(took < Duration.ofSeconds(30).toNanos(), "took " + took / 1_000_000 + " ms");
        assertEquals(before, queue.size());
    }

    @Test
    @DisplayName("a record larger than the topic accepts: STOP names its ring position and leaves it, and what follows, in the ring")
    void shouldStopAtARecordTheTopicRefuses() {
        final String topic = TestBroker.newTopic("small", Map.of("max.message.bytes", "2048"));
        sendRecords(5);
        final long big = sendBig(4000, (byte) 7);
        sendRecords(3);
        final KafkaShipper shipper = KafkaShipper.builder(consumer)
                .bootstrapServers(TestBroker.servers())
                .topic(topic)
                .guarantee(Guarantee.EXACTLY_ONCE)
                .timeout(Duration.ofSeconds(10))
                .build();
        final ShipperException e = assertThrows(ShipperException.class, () -> {
            while (shipper.shipOnce() >= 0) {
                // until it stops
            }
        });
        shipper.close();
        assertEquals(big, e.position(), e.getMessage());
        assertTrue(e.getMessage().contains("ring position " + big), e.getMessage());
        // exactly once, the transaction holding the batch was aborted: nothing of it is visible
        assertEquals(0, TestBroker.readCommitted(topic, -1, Duration.ofSeconds(2)).size());
        // the whole batch is still in the ring, the big record included
        final int[] seen = {0};
        final long[] bigSeen = {-1};
        consumer.hold(payload -> {
            seen[0]++;
            if (payload.length() == 4000) {
                bigSeen[0] = payload.position();
            }
        }, 100);
        consumer.rewindHeld();
        assertEquals(9, seen[0], "records still in the ring");
        assertEquals(big, bigSeen[0]);
    }

    @Test
    @DisplayName("a record larger than the topic accepts, SKIP: stepped over and counted; every other record shipped once")
    void shouldSkipARecordTheTopicRefuses() {
        final String topic = TestBroker.newTopic("small", Map.of("max.message.bytes", "2048"));
        sendRecords(5);
        sendBig(4000, (byte) 7);
        for (int i = 5; i < 8; i++) {
            TestRecords.send(producer, 0, i);
        }
        final KafkaShipper shipper = KafkaShipper.builder(consumer)
                .bootstrapServers(TestBroker.servers())
                .topic(topic)
                .guarantee(Guarantee.EXACTLY_ONCE)
                .badRecords(BadRecords.SKIP)
                .timeout(Duration.ofSeconds(10))
                .build();
        int released = 0;
        for (int round = 0; round < 10 && released < 9; round++) {
            released += shipper.shipOnce();
        }
        shipper.close();
        final ShipperStats stats = shipper.stats();
        assertEquals(9, released, stats.toString());
        assertEquals(1, stats.skipped());
        assertEquals(8, stats.shipped());
        assertNotNull(stats.lastError());
        final List<ConsumerRecord<byte[], byte[]>> read = TestBroker.readCommitted(topic, 8, Duration.ofSeconds(10));
        final TestRecords.Tally tally = new TestRecords.Tally(read);
        tally.assertComplete(1, 8);
        assertEquals(0, tally.duplicates);
        assertEquals(0, queue.size(), "the ring is empty: the refused record was released too");
    }

    @Test
    @DisplayName("two shippers with one transactional id: the later fences the earlier, which stops and releases nothing more")
    void shouldFenceTheEarlierShipper() {
        final String topic = TestBroker.newTopic("fence");
        final String id = "fence-test-" + System.nanoTime();
        final MpscQueue otherQueue = MpscQueue.create(1 << 16);
        final MpscProducer otherProducer = otherQueue.newProducer();
        final KafkaShipper earlier = KafkaShipper.builder(consumer)
                .bootstrapServers(TestBroker.servers()).topic(topic)
                .guarantee(Guarantee.EXACTLY_ONCE).transactionalId(id).timeout(Duration.ofSeconds(10)).build();
        sendRecords(3);
        assertEquals(3, earlier.shipOnce());
        final KafkaShipper later = KafkaShipper.builder(otherQueue.consumer())
                .bootstrapServers(TestBroker.servers()).topic(topic)
                .guarantee(Guarantee.EXACTLY_ONCE).transactionalId(id).timeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 2; i++) {
            TestRecords.send(otherProducer, 1, i);
        }
        assertEquals(2, later.shipOnce(), "the later shipper took over the id");
        for (int i = 3; i < 6; i++) {
            TestRecords.send(producer, 0, i);
        }
        final long before = queue.size();
        final ShipperException e = assertThrows(ShipperException.class, earlier::shipOnce);
        assertTrue(e.getMessage().startsWith("fenced: another shipper with transactional id " + id), e.getMessage());
        assertEquals(before, queue.size(), "the fenced shipper released nothing");
        earlier.close();
        later.close();
        final TestRecords.Tally tally = new TestRecords.Tally(TestBroker.readCommitted(topic, 5, Duration.ofSeconds(5)));
        assertEquals(5, tally.records, "3 from the earlier shipper, 2 from the later; none of the fenced batch");
        assertEquals(0, tally.duplicates);
    }

    @Test
    @DisplayName("settings the guarantee decides are refused by name")
    void shouldRefuseDecidedSettings() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaShipper.builder(consumer).clientConfig("acks", "1"));
        assertTrue(e.getMessage().startsWith("acks is decided by the shipper's guarantee"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> KafkaShipper.builder(consumer).topic("t").build());
    }
}
