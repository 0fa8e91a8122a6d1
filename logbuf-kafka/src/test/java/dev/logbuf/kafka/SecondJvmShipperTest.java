package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.MpscQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ring is shared between processes: this JVM creates the ring file and
 * ships it exactly once while a child JVM ({@link ProducerProcess}) attaches
 * it and writes 10^6 records from 4 producer threads, 250,000 each. The child
 * exits 0, and a {@code read_committed} consumer then finds every record once,
 * each producer's in order, with the ring's id and each record's position in
 * headers.
 */
@DisplayName("shipping a ring that another JVM writes")
class SecondJvmShipperTest {

    static final int PRODUCERS = 4;
    static final long PER_PRODUCER = 250_000;

    @Test
    @DisplayName("10^6 records from 4 producer threads of a second JVM reach the topic exactly once, each producer's in order")
    @Timeout(300)
    void shouldShipWhatASecondJvmWrites() throws Exception {
        final long start = System.nanoTime();
        final String topic = TestBroker.newTopic("second-jvm");
        final Path dir = Files.createDirectories(Path.of("target", "second-jvm-" + UUID.randomUUID()));
        final Path ring = dir.resolve("ring");
        final Path stdout = dir.resolve("producers.out");
        final Path stderr = dir.resolve("producers.err");
        final MpscQueue queue = MpscQueue.createFile(ring, 4 << 20);
        final KafkaShipper shipper = KafkaShipper.builder(queue.consumer())
                .bootstrapServers(TestBroker.servers())
                .topic(topic)
                .guarantee(Guarantee.EXACTLY_ONCE)
                .timeout(Duration.ofSeconds(20))
                .build();
        final Running shipping = Running.start(shipper);
        final Process child = new ProcessBuilder(ChildJvm.command(ProducerProcess.class,
                ring.toString(), String.valueOf(PRODUCERS), String.valueOf(PER_PRODUCER)))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        final long shippedMeanwhile;
        try {
            final boolean exited = child.waitFor(180, TimeUnit.SECONDS);
            shippedMeanwhile = shipper.stats().shipped();
            assertTrue(exited, () -> "the producer JVM did not finish within 180 s; " + shipper.stats()
                    + "; its stderr: " + read(stderr));
            assertEquals(0, child.exitValue(), () -> "the producer JVM's exit status; its stdout: " + read(stdout)
                    + "; its stderr: " + read(stderr));
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
        }
        final long total = PRODUCERS * PER_PRODUCER;
        shipping.awaitShipped(total, Duration.ofSeconds(120));
        shipping.closeAndCheck();
        TestRecords.assertShippedOnceInOrder(shipper, topic, PRODUCERS, PER_PRODUCER, queue.consumer().ringId());
        final ShipperStats stats = shipper.stats();
        System.out.println("second JVM: " + read(stdout).strip() + "; " + shippedMeanwhile + " records shipped"
                + " before it exited; " + total + " records in the topic in " + (System.nanoTime() - start) / 1_000_000
                + " ms; " + stats);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
