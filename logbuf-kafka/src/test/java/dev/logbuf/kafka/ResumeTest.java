package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly once across a shipper that died after Kafka committed its batch and
 * before it released the batch from the ring. That window is too narrow for a
 * random SIGKILL to hit reliably ({@link ShipperCrashTest} mostly lands
 * elsewhere), so the state is made exactly: a copy of the ring file taken
 * before the first shipper ran is the ring as that shipper would have left it
 * (the same ring id, every record still in it), and a second shipper starts
 * on the copy.
 */
@DisplayName("exactly once: resuming after a committed batch that was not released")
class ResumeTest {

    @Test
    @DisplayName("the restarted shipper steps over the records Kafka has and ships the rest, each once")
    @Timeout(120)
    void shouldResumePastTheCommittedPosition() throws Exception {
        final String topic = TestBroker.newTopic("resume");
        final Path dir = Files.createDirectories(Path.of("target", "resume-" + UUID.randomUUID()));
        final Path ring = dir.resolve("ring");
        final Path left = dir.resolve("ring-as-left");
        final MpscQueue queue = MpscQueue.createFile(ring, 1 << 16);
        final MpscProducer producer = queue.newProducer();
        for (int i = 0; i < 10; i++) {
            TestRecords.send(producer, 0, i);
        }
        Files.copy(ring, left); // the ring with records 0..9 in it, as a shipper that died would leave it

        try (KafkaShipper first = KafkaShipper.builder(queue.consumer())
                .bootstrapServers(TestBroker.servers()).topic(topic)
                .guarantee(Guarantee.EXACTLY_ONCE).timeout(Duration.ofSeconds(10)).build()) {
            assertEquals(10, first.shipOnce(), "the first shipper commits records 0..9");
        }

        final MpscQueue restarted = MpscQueue.attachFile(left);
        final MpscProducer later = restarted.newProducer();
        for (int i = 10; i < 15; i++) {
            TestRecords.send(later, 0, i);
        }
        final KafkaShipper second = KafkaShipper.builder(restarted.consumer())
                .bootstrapServers(TestBroker.servers()).topic(topic)
                .guarantee(Guarantee.EXACTLY_ONCE).timeout(Duration.ofSeconds(10)).build();
        int released = 0;
        for (int round = 0; round < 5 && released < 15; round++) {
            released += second.shipOnce();
        }
        second.close();
        final ShipperStats stats = second.stats();
        assertEquals(15, released, stats.toString());
        assertEquals(10, stats.resumedPast(), "records 0..9 were found committed and stepped over");
        assertEquals(5, stats.shipped());
        final TestRecords.Tally tally = new TestRecords.Tally(
                TestBroker.readCommitted(topic, 15, Duration.ofSeconds(10)));
        tally.assertComplete(1, 15);
        assertEquals(0, tally.duplicates, "no record twice");
        assertEquals(15, tally.records);
    }
}
