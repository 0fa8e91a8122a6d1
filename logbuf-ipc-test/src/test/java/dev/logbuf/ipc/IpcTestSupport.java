package dev.logbuf.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.Consumer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What the tests here share: a per-test name and ring file under
 * {@code target/ipc}, a seed (random, or {@code -Dipc.seed=…} to replay a
 * run), the child processes a test starts (all killed after it, whatever
 * happened), and the context a failure message needs (seed, and each child's
 * output and stderr).
 */
abstract class IpcTestSupport {

    /** How long a child JVM may take to start and attach, on a loaded machine. */
    static final Duration STARTUP = Duration.ofSeconds(20);
    /** How long a child may take to finish its job; a bound on a hang, not an expectation. */
    static final Duration FINISH = Duration.ofSeconds(40);
    /** Records exchanged by the big runs: 10^6, or -Dipc.records=N. */
    static final long RECORDS = Long.getLong("ipc.records", 1_000_000);
    /** A ring small enough that the big runs wrap it often and find it full. */
    static final int SMALL_RING = 1 << 18;

    /** The test's name: file names under {@link #dir} start with it. */
    String name;
    Path dir;
    /** The test's ring file (deleted before the test; created by it). */
    Path ring;
    long seed;
    /** Draws of the test JVM (kill points, delays), from the seed. */
    Random random;

    private final List<Child> children = new ArrayList<>();

    @BeforeEach
    final void prepare(TestInfo test) throws IOException {
        final String method = test.getTestMethod().orElseThrow().getName();
        final String display = test.getDisplayName();
        name = getClass().getSimpleName() + "-" + method
                + (display.startsWith(method) ? "" : "-" + display.replaceAll("[^A-Za-z0-9]+", "_"));
        dir = Path.of(System.getProperty("basedir", "."), "target", "ipc").toAbsolutePath();
        Files.createDirectories(dir);
        final List<Path> old; // the files of this test's last run
        try (var files = Files.list(dir)) {
            old = files.filter(f -> f.getFileName().toString().startsWith(name + ".")).collect(Collectors.toList());
        }
        for (Path file : old) {
            Files.delete(file);
        }
        ring = dir.resolve(name + ".ring");
        final Long fixed = Long.getLong("ipc.seed");
        seed = fixed != null ? fixed : ThreadLocalRandom.current().nextLong();
        random = new Random(seed);
        System.out.println(name + ": seed " + seed);
    }

    @AfterEach
    final void killChildren() {
        for (Child child : children) {
            child.close();
        }
    }

    /** Starts a {@link ProducerProcess} on this test's ring; {@code args} are its own {@code key=value}s. */
    Child startProducer(String childName, SharedRing.Kind kind, String... args) throws IOException {
        return start(childName, ProducerProcess.class, kind, args);
    }

    /** Starts a {@link ConsumerProcess} on this test's ring; {@code args} are its own {@code key=value}s. */
    Child startConsumer(String childName, SharedRing.Kind kind, String... args) throws IOException {
        return start(childName, ConsumerProcess.class, kind, args);
    }

    private Child start(String childName, Class<?> main, SharedRing.Kind kind, String... args) throws IOException {
        final List<String> all = new ArrayList<>(List.of("kind=" + kind.word(), "ring=" + ring, "seed=" + seed,
                "deadline=" + FINISH.toSeconds()));
        all.addAll(List.of(args));
        final Child child = Child.start(name + "." + childName, dir, main, all);
        children.add(child);
        return child;
    }

    /** Asserts that {@code child} exits with {@code status} within {@link #FINISH}. */
    void assertExit(Child child, int status) throws InterruptedException {
        final int exit = child.awaitExit(FINISH);
        assertEquals(status, exit, () -> child.name() + " exit status\n" + context());
    }

    /** The seed and every child's output: to append to a failure message. */
    String context() {
        return "seed " + seed + " (replay: -Dipc.seed=" + seed + ")\n"
                + children.stream().map(Child::describe).collect(Collectors.joining("\n"));
    }

    /** The {@code expect=} argument of a consumer: {@code id:count,...}. */
    static String expectation(Map<Integer, Long> expected) {
        return "expect=" + expected.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** A numeric field of a child's line. */
    static long field(String line, String key) {
        final String value = ChildMain.fields(line).get(key);
        if (value == null) {
            throw new AssertionError("no " + key + "= in: " + line);
        }
        return Long.parseLong(value);
    }

    /**
     * Reads from {@code consumer}, in this thread, into {@code checker} until
     * {@code done} holds, polling with a backoff.
     *
     * @throws AssertionError if it does not hold within {@link #FINISH}
     */
    void readUntil(Consumer consumer, RecordChecker checker, BooleanSupplier done, String what) {
        final long deadline = System.nanoTime() + FINISH.toNanos();
        final Backoff backoff = ChildMain.backoff();
        while (!done.getAsBoolean()) {
            if (consumer.read(checker, 64) > 0) {
                backoff.reset();
                continue;
            }
            assertTrue(System.nanoTime() - deadline < 0, () -> "not " + what + " within " + FINISH + ": "
                    + checker.tally().report() + "\nstats " + consumer.stats() + "\n" + context());
            backoff.idle();
        }
    }
}
