package dev.logbuf.kafka;


import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Four producer threads write into one MPSC ring while a shipper drains it
 * into a topic of the real test broker; a {@code read_committed} consumer then
 * finds every record once, each producer's in order, with its ring position
 * in a header. Both guarantees.
 */
@DisplayName("shipping a ring to Kafka")
class ShipperTest {

    static final int PRODUCERS = 4;

    /**
     * 10^5 records in all: the 10^6-record run, 4 producer threads in a second JVM, is
     * {@link SecondJvmShipperTest}'s.
     */
    static final long PER_PRODUCER = 25_000;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    @DisplayName("10^5 records from 4 producer threads reach the topic, each once, each producer's in order")
    @Timeout(180)
    void shouldShipEveryRecordOnceAndInOrder(Guarantee guarantee) throws Exception {
        final String topic = TestBroker.newTopic("ship-" + guarantee.name().toLowerCase());
        final MpscQueue queue = MpscQueue.create(4 << 20);
        final KafkaShipper shipper = KafkaShipper.builder(queue.consumer())
                .bootstrapServers(TestBroker.servers())
                .topic(topic)
                .guarantee(guarantee)
                .timeout(Duration.ofSeconds(20))
                .build();
        final Running shipping = Running.start(shipper);
        final long perProducer = PER_PRODUCER;
        final MpscProducer first = queue.newProducer();
        final List<Thread> producers = new ArrayList<>();
        final List<MpscProducer> handles = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            handles.add(p == 0 ? first : first.duplicate());
        }
        for (int p = 0; p < PRODUCERS; p++) {
            final int id = p;
            final MpscProducer handle = handles.get(p);
            final Thread thread = new Thread(() -> {
                for (long seq = 0; seq < perProducer; seq++) {
                    TestRecords.send(handle, id, seq);
                }
                handle.close();
            }, "producer-" + p);
            producers.add(thread);
            thread.start();
        }
        for (Thread thread : producers) {
            thread.join();
        }
        final long total = PRODUCERS * perProducer;
        shipping.awaitShipped(total, Duration.ofSeconds(120));
        shipping.closeAndCheck();
        TestRecords.assertShippedOnceInOrder(shipper, topic, PRODUCERS, perProducer, queue.consumer().ringId());
    }
}
