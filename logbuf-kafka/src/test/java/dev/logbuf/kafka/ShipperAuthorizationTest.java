package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A refused authorisation, from the real test broker's ACL authorizer (no
 * mock): with WRITE denied on the topic, from the start or from a point while
 * it ships, the shipper's next batch is refused and it stops, without
 * retrying, with an error that says Kafka refused the rights for that topic
 * and that nothing was released; with DESCRIBE denied, its start fails with
 * that error. Either way within a bounded time, and every record it did not
 * ship is still in the ring, in order. Both guarantees.
 */
@DisplayName("refused authorisation")
@Timeout(120)
class ShipperAuthorizationTest {

    private static final Duration SHORT = Duration.ofSeconds(3);
    /** How long the shipper may take to stop: the start, one batch and its timeouts, with room to spare. */
    private static final Duration STOPS_WITHIN = Duration.ofSeconds(30);
    private static final int RECORDS = 10;

    private final MpscQueue queue = MpscQueue.create(1 << 16);
    private final MpscProducer producer = queue.newProducer();
    private final Consumer consumer = queue.consumer();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    @DisplayName("WRITE denied on the topic: the first batch stops the shipper with a clear error; every record stays in the ring")
    void shouldStopWhenWriteIsDenied(Guarantee guarantee) {
        final String topic = TestBroker.deniedTopic("no-write-" + guarantee.name().toLowerCase(), AclOperation.WRITE);
        refusedAndKept(shipper(topic, guarantee), topic, 0, guarantee);
        // the clients may still read the topic: nothing of the refused batch is in it
        assertEquals(0, TestBroker.readCommitted(topic, -1, Duration.ofSeconds(2)).size(), "records in the topic");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    @DisplayName("WRITE denied while it ships: the next batch stops the shipper with a clear error and stays in the ring")
    void shouldStopWhenWriteIsDeniedWhileShipping(Guarantee guarantee) {
        final String topic = TestBroker.newTopic("revoked-" + guarantee.name().toLowerCase());
        final KafkaShipper shipper = shipper(topic, guarantee);
        for (int i = 0; i < RECORDS; i++) {
            TestRecords.send(producer, 0, i);
        }
        assertEquals(RECORDS, shipper.shipOnce(), "the first batch is shipped: " + shipper.stats());
        TestBroker.deny(topic, AclOperation.WRITE);
        refusedAndKept(shipper, topic, RECORDS, guarantee);
        final TestRecords.Tally tally = new TestRecords.Tally(
                TestBroker.readCommitted(topic, RECORDS, Duration.ofSeconds(5)));
        tally.assertComplete(1, RECORDS);
        assertEquals(RECORDS, tally.records, "the first batch, once; nothing of the refused one");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    @DisplayName("DESCRIBE denied on the topic: the start fails with a clear error; every record stays in the ring")
    void shouldNotStartWhenDescribeIsDenied(Guarantee guarantee) {
        final String topic = TestBroker.deniedTopic("no-describe-" + guarantee.name().toLowerCase(),
                AclOperation.DESCRIBE);
        refusedAndKept(shipper(topic, guarantee), topic, 0, guarantee);
    }

    private KafkaShipper shipper(String topic, Guarantee guarantee) {
        return KafkaShipper.builder(consumer)
                .bootstrapServers(TestBroker.servers())
                .topic(topic)
                .guarantee(guarantee)
                .timeout(SHORT)
                .build();
    }

    /**
     * Sends records {@code from} to {@code from + RECORDS - 1}, then ships to
     * {@code topic}, where the rights are refused: asserts how the shipper
     * stops, and that those records are still in the ring, in order.
     */
    private void refusedAndKept(KafkaShipper shipper, String topic, int from, Guarantee guarantee) {
        for (int i = from; i < from + RECORDS; i++) {
            TestRecords.send(producer, 0, i);
        }
        final long shippedBefore = shipper.stats().shipped();
        final long before = queue.size();
        final long start = System.nanoTime();
        final ShipperException e = shipUntilStopped(shipper);
        final long took = System.nanoTime() - start;
        shipper.close();
        final ShipperStats stats = shipper.stats();
        System.out.println("refused authorisation, " + guarantee + ", topic " + topic + ": stopped after "
                + took / 1_000_000 + " ms (ring position " + e.position() + "): " + e.getMessage());
        assertTrue(e.getMessage().contains("refused this shipper's credentials or rights for topic " + topic),
                e.getMessage());
        assertTrue(e.getMessage().contains("nothing was released from the ring"), e.getMessage());
        assertInstanceOf(TopicAuthorizationException.class, e.getCause(), e.getMessage());
        assertTrue(took < STOPS_WITHIN.toNanos(), "took " + took / 1_000_000 + " ms");
        assertEquals(shippedBefore, stats.shipped(), "records shipped: " + stats);
        assertEquals(0, stats.retries(), "a refusal is not retried: " + stats);
        assertEquals(0, stats.inFlight(), stats.toString());
        assertEquals(before, queue.size(), "nothing was released from the ring: " + stats);
        assertEquals(before, stats.lagBytes(), stats.toString());
        final List<long[]> left = held();
        assertEquals(RECORDS, left.size(), "records still in the ring: " + stats);
        for (int i = 0; i < RECORDS; i++) {
            assertEquals(from + i, left.get(i)[1], "the ring's record " + i + " is seq " + left.get(i)[1]);
        }
    }

    /** Calls shipOnce() until it throws; fails if it releases a record or has not stopped within the bound. */
    private static ShipperException shipUntilStopped(KafkaShipper shipper) {
        final long deadline = System.nanoTime() + STOPS_WITHIN.toNanos();
        long released = 0;
        while (System.nanoTime() < deadline) {
            try {
                released += shipper.shipOnce();
            } catch (ShipperException e) {
                assertEquals(0, released, "records released before the shipper stopped: " + shipper.stats());
                return e;
            }
        }
        throw new AssertionError("the shipper did not stop within " + STOPS_WITHIN + "; released " + released
                + ": " + shipper.stats());
    }

    /** The records in the ring, as {producer, seq}, read and left there. */
    private List<long[]> held() {
        final List<long[]> records = new ArrayList<>();
        consumer.hold(payload -> {
            final byte[] value = new byte[payload.length()];
            payload.get(0, value, 0, value.length);
            records.add(TestRecords.check(value));
        }, 1000);
        consumer.rewindHeld();
        return records;
    }
}
