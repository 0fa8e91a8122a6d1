package dev.logbuf.bench;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code Consumer.isDisconnected()} costs on a ring shared between
 * processes while {@code producers} producer processes hold a slot each: the
 * question a shared ring's receiver asks whenever it finds the ring empty.
 * Each producer is a small child JVM ({@link Holder}) that attaches, takes a
 * slot and waits until its standard input closes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Benchmark)
public class SharedDisconnect {

    /** How many producer processes hold a slot, one each. */
    @Param({"3"})
    public int producers;

    private Path directory;
    private final List<Process> children = new ArrayList<>();
    private Consumer consumer;

    /**
     * Creates the ring in a temporary directory, starts the producer processes
     * and waits until each holds its slot, then attaches the consumer.
     *
     * @throws IOException if the ring or a process cannot be made
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("logbuf-disconnect");
        final Path file = directory.resolve("ring");
        MpscQueue.createFile(file, 1 << 16);
        for (int i = 0; i < producers; i++) {
            final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    Holder.class.getName(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            children.add(child);
            final String line = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            if (!"READY".equals(line)) {
                throw new IllegalStateException("producer process " + i + " said " + line + ", not READY");
            }
        }
        consumer = MpscQueue.attachFile(file).consumer();
        if (consumer.isDisconnected()) {
            throw new IllegalStateException("the consumer does not see the producer processes");
        }
    }

    /**
     * One call, as an idle receiver makes it.
     *
     * @return the answer (false: the producers are alive)
     */
    @Benchmark
    public boolean isDisconnected() {
        return consumer.isDisconnected();
    }

    /**
     * Stops the producer processes (by closing their standard input) and
     * removes the ring.
     *
     * @throws IOException if a file cannot be removed
     * @throws InterruptedException if interrupted while waiting for a process
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        for (Process child : children) {
            child.getOutputStream().close();
        }
        for (Process child : children) {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        consumer.close();
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }

    /** A producer process: attaches the ring named by its argument, takes a slot, holds it until stdin closes. */
    public static final class Holder {

        private Holder() {
        }

        /**
         * Runs the producer process.
         *
         * @param args the ring file
         * @throws IOException if the ring cannot be attached
         */
        public static void main(String[] args) throws IOException {
            final MpscProducer producer = MpscQueue.attachFile(Path.of(args[0])).newProducer();
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() != -1) {
                // wait for the parent to close our standard input
            }
            producer.close();
        }
    }
}
