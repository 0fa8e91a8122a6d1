package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipper runs in a child JVM over a ring in a file that this JVM's two
 * producer threads write; the child is killed with SIGKILL at random points,
 * twice, and started again each time (the new one takes the dead one's
 * consumer role over). Exactly once, a {@code read_committed} consumer finds
 * every record once; at least once, every record at least once, and the
 * duplicates are counted and reported.
 */
@DisplayName("shipper killed mid-run")
class ShipperCrashTest {

    static final int PRODUCERS = 2;
    static final long PER_PRODUCER = 15_000;
    static final int KILLS = 2;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    @DisplayName("SIGKILLed twice at random points while it ships: nothing lost; exactly once, nothing twice")
    @Timeout(240)
    void shouldSurviveKills(Guarantee guarantee) throws Exception {
        final String topic = TestBroker.newTopic("crash-" + guarantee.name().toLowerCase());
        final Path dir = Files.createDirectories(Path.of("target", "crash-" + UUID.randomUUID()));
        final Path ring = dir.resolve("ring");
        final MpscQueue queue = MpscQueue.createFile(ring, 1 << 20);
        final MpscProducer first = queue.newProducer();
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            final int id = p;
            final MpscProducer handle = p == 0 ? first : first.duplicate();
            final Thread thread = new Thread(() -> {
                for (long seq = 0; seq < PER_PRODUCER; seq++) {
                    TestRecords.send(handle, id, seq);
                    if (seq % 50 == 0) {
                        // spread the records over the kills: about 3 s of writing, while a shipper drains
                        // them in well under a second
                        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                    }
                }
            }, "producer-" + p);
            producers.add(thread);
        }
        producers.forEach(Thread::start);
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int kill = 0; kill < KILLS; kill++) {
            final long headBefore = queue.stats().head();
            final Process child = start(ring, topic, guarantee, dir.resolve("shipper-" + kill + ".err"));
            // killed while it ships: once it released a first batch, at a random point of what follows
            final long shipping = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (queue.stats().head() == headBefore && System.nanoTime() < shipping
                    && !(queue.size() == 0 && producers.stream().noneMatch(Thread::isAlive))) {
                Thread.sleep(5); // (an empty ring that no producer writes any more has nothing to ship)
            }
            Thread.sleep(random.nextInt(0, 400));
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed shipper was not reaped");
        }
        final Process last = start(ring, topic, guarantee, dir.resolve("shipper-last.err"));
        for (Thread thread : producers) {
            thread.join(120_000);
        }
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (queue.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, queue.size(), "the last shipper drained the ring");
        last.getOutputStream().close(); // asks it to stop
        assertTrue(last.waitFor(60, TimeUnit.SECONDS), "the last shipper did not stop");

        final long total = PRODUCERS * PER_PRODUCER;
        final TestRecords.Tally tally = new TestRecords.Tally(
                TestBroker.readCommitted(topic, guarantee == Guarantee.EXACTLY_ONCE ? total : -1, Duration.ofSeconds(5)));
        tally.assertComplete(PRODUCERS, PER_PRODUCER);
        System.out.println("shipper killed " + KILLS + " times, " + guarantee + ": " + tally.records + " records in"
                + " the topic for " + total + " sent, " + tally.duplicates + " duplicates");
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            assertEquals(0, tally.duplicates, "exactly once: no record twice");
            assertEquals(total, tally.records);
        }
    }

    /** Starts a shipper JVM and waits until it ships. */
    private static Process start(Path ring, String topic, Guarantee guarantee, Path stderr) throws Exception {
        final List<String> command = ChildJvm.command(ShipperProcess.class,
                ring.toString(), TestBroker.servers(), topic, guarantee.name());
        final Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        final String line = out.readLine();
        if (!"SHIPPING".equals(line)) {
            process.destroyForcibly();
            throw new AssertionError("the shipper process printed " + line + " instead of SHIPPING; stderr: "
                    + Files.readString(stderr));
        }
        return process;
    }
}
