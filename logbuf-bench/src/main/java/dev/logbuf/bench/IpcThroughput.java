package dev.logbuf.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-process throughput: {@link Throughput}'s method with the producer and
 * the consumer in two JVMs that share a ring through a memory-mapped file.
 * JMH cannot span two processes, so this is a plain main class, one
 * measurement per run:
 *
 * <pre>
 * java -cp benchmarks.jar dev.logbuf.bench.IpcThroughput \
 *     --scenario spsc|mpsc1|mpsc2 --subject logbuf|agrona --size random|64 \
 *     [--warmup 2s] [--iterations 5] [--iteration 1s] [--dir logbuf-bench/target/ipc] \
 *     [--round 1] [--out result.json]
 * </pre>
 *
 * <p>The parent creates a fresh 2 MiB ring file ({@link SharedSubject#create}),
 * starts a consumer JVM and waits until it holds the consumer role, then
 * starts the producer JVM(s) ({@code mpsc2}: two). Each child attaches to the
 * file itself. As in {@link Throughput}, a producer loops on one
 * {@code offer} attempt at a time (a full ring returns at once, so the loop is
 * the spin), walking the fixed-seed length table of {@link Payloads} and
 * stamping every record; the consumer loops on
 * {@code drain(}{@value Throughput#READ_LIMIT}{@code )} through the same
 * batch reads, verifying every record with {@link Verifier}. Nothing in
 * either loop allocates.
 *
 * <p>The consumer's clock starts at the first record it receives: after
 * {@code --warmup}, it takes {@code --iterations} iterations of
 * {@code --iteration} each, reading {@link System#nanoTime()} every 16 polls
 * and dividing by the time actually elapsed. An iteration's figure is the
 * verified payload bytes (and records) per second; the run's score is the
 * mean of its iterations (a JMH fork's score). Then the consumer reports,
 * the parent closes the producers' standard input, they stop and report how
 * many records they sent and how many attempts found the ring full (most
 * attempts full: the consumer is the bottleneck).
 *
 * <p>Written to {@code --out} (and standard output): one JSON object with the
 * parameters, the children's JVM options, the load average before and after,
 * and both sides' reports. {@code scripts/ipc.sh} runs the subjects
 * alternately in fresh processes and {@code scripts/ipc-summary.py} pools the
 * runs (medians, ranges, logbuf/Agrona ratios of medians).
 */
public final class IpcThroughput {

    private IpcThroughput() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("consume")) {
            consume(IpcChild.options(args, 1));
        } else if (args.length > 0 && args[0].equals("produce")) {
            produce(IpcChild.options(args, 1));
        } else {
            run(IpcChild.options(args, 0));
        }
    }

    private static int producers(String scenario) {
        return switch (scenario) {
            case "spsc", "mpsc1" -> 1;
            case "mpsc2" -> 2;
            default -> throw new IllegalArgumentException("scenario " + scenario + " (spsc, mpsc1, mpsc2)");
        };
    }

    // ---- the parent ----------------------------------------------------------------------

    private static void run(Map<String, String> given) throws Exception {
        final Map<String, String> o = new LinkedHashMap<>();
        o.put("scenario", given.getOrDefault("scenario", "spsc"));
        o.put("subject", given.getOrDefault("subject", "logbuf"));
        o.put("size", given.getOrDefault("size", "random"));
        o.put("warmup", given.getOrDefault("warmup", "2s"));
        o.put("iterations", given.getOrDefault("iterations", "5"));
        o.put("iteration", given.getOrDefault("iteration", "1s"));
        final String dir = given.getOrDefault("dir", "logbuf-bench/target/ipc");
        final String round = given.getOrDefault("round", "0");
        final String out = given.get("out");

        final String scenario = o.get("scenario");
        final String subject = o.get("subject");
        final int producers = producers(scenario);
        final boolean multiProducer = !scenario.equals("spsc");
        Payloads.lengths(o.get("size")); // rejects a bad size before any process starts
        final Duration measured = IpcChild.duration(o.get("iteration")).multipliedBy(Integer.parseInt(o.get("iterations")));
        final Duration consumerTimeout = IpcChild.duration(o.get("warmup")).plus(measured).plusSeconds(60);

        final Path file = Path.of(dir, "throughput-" + scenario + "-" + subject + "-" + ProcessHandle.current().pid() + ".ring");
        final String loadBefore = IpcChild.loadAverage();
        final Instant started = Instant.now();
        final long[] ticksBefore = IpcChild.machineTicks();
        final long parentCpuBefore = IpcChild.processCpuNanos();
        SharedSubject.create(subject, multiProducer, file, Payloads.RING_BYTES);
        final List<String> childArgs = new ArrayList<>(IpcChild.words(o));
        childArgs.add("--file");
        childArgs.add(file.toString());

        final List<IpcChild> children = new ArrayList<>();
        final String consumerReport;
        final List<String> producerReports = new ArrayList<>();
        try {
            final List<String> consumerArgs = new ArrayList<>(List.of("consume"));
            consumerArgs.addAll(childArgs);
            final IpcChild consumer = IpcChild.start("consumer", IpcThroughput.class, consumerArgs);
            children.add(consumer);
            consumer.await("READY", Duration.ofSeconds(60));
            final List<IpcChild> producing = new ArrayList<>();
            for (int id = 0; id < producers; id++) {
                final List<String> producerArgs = new ArrayList<>(List.of("produce", "--producer-id", Integer.toString(id)));
                producerArgs.addAll(childArgs);
                final IpcChild producer = IpcChild.start("producer-" + id, IpcThroughput.class, producerArgs);
                children.add(producer);
                producing.add(producer);
            }
            for (IpcChild producer : producing) {
                producer.await("READY", Duration.ofSeconds(60));
            }
            consumerReport = consumer.await("RESULT", consumerTimeout);
            for (IpcChild producer : producing) {
                producer.closeInput();
            }
            for (IpcChild producer : producing) {
                producerReports.add(producer.await("RESULT", Duration.ofSeconds(30)));
            }
            for (IpcChild child : children) {
                final int status = child.waitFor(Duration.ofSeconds(30));
                if (status != 0) {
                    throw new IllegalStateException("a child exited with status " + status);
                }
            }
        } finally {
            children.forEach(IpcChild::close);
            Files.deleteIfExists(file);
        }
        long ownCpu = IpcChild.processCpuNanos() - parentCpuBefore + IpcChild.longField(consumerReport, "processCpuNanos");
        for (String report : producerReports) {
            ownCpu += IpcChild.longField(report, "processCpuNanos");
        }
        final double otherCpu = IpcChild.otherCpuShare(ticksBefore, IpcChild.machineTicks(), ownCpu);

        final StringBuilder json = new StringBuilder("{\n");
        json.append("  \"benchmark\": \"IpcThroughput\",\n");
        for (Map.Entry<String, String> e : o.entrySet()) {
            json.append("  ").append(IpcChild.quote(e.getKey())).append(": ").append(IpcChild.quote(e.getValue())).append(",\n");
        }
        json.append("  \"round\": ").append(IpcChild.quote(round)).append(",\n");
        json.append("  \"ringBytes\": ").append(Payloads.RING_BYTES).append(",\n");
        json.append("  \"readLimit\": ").append(Throughput.READ_LIMIT).append(",\n");
        json.append("  \"file\": ").append(IpcChild.quote(file.toAbsolutePath().toString())).append(",\n");
        json.append("  \"java\": ").append(IpcChild.quote(System.getProperty("java.vm.version"))).append(",\n");
        json.append("  \"childJvmArgs\": ").append(IpcChild.array(IpcChild.jvmArgs())).append(",\n");
        json.append("  \"started\": ").append(IpcChild.quote(started.toString())).append(",\n");
        json.append("  \"loadavgBefore\": ").append(IpcChild.quote(loadBefore)).append(",\n");
        json.append("  \"loadavgAfter\": ").append(IpcChild.quote(IpcChild.loadAverage())).append(",\n");
        json.append("  \"otherCpuShare\": ").append(IpcChild.number(otherCpu)).append(",\n");
        json.append("  \"consumer\": ").append(consumerReport).append(",\n");
        json.append("  \"producers\": [").append(String.join(", ", producerReports)).append("]\n");
        json.append("}\n");
        if (out != null) {
            final Path path = Path.of(out);
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            Files.writeString(path, json, StandardCharsets.UTF_8);
        }
        System.out.print(json);
    }

    // ---- the consumer --------------------------------------------------------------------

    private static void consume(Map<String, String> o) throws IOException {
        final int[] lengths = Payloads.lengths(o.get("size"));
        final SharedSubject ring = SharedSubject.attach(o.get("subject"), !o.get("scenario").equals("spsc"), Path.of(o.get("file")));
        final Verifier verifier = new Verifier(lengths);
        final Subject.Receiver receiver = ring.receiver(verifier);
        IpcChild.onInputClosed(() -> Runtime.getRuntime().halt(3)); // the parent died
        IpcChild.tell("READY");

        final int iterations = Integer.parseInt(o.get("iterations"));
        final long[] times = new long[iterations + 1];
        final long[] bytes = new long[iterations + 1];
        final long[] records = new long[iterations + 1];
        measure(receiver, verifier, IpcChild.duration(o.get("warmup")).toNanos(),
                IpcChild.duration(o.get("iteration")).toNanos(), times, bytes, records);

        final double[] bytesPerSecond = new double[iterations];
        final double[] recordsPerSecond = new double[iterations];
        double bytesMean = 0;
        double recordsMean = 0;
        for (int i = 0; i < iterations; i++) {
            final double seconds = (times[i + 1] - times[i]) / 1e9;
            bytesPerSecond[i] = (bytes[i + 1] - bytes[i]) / seconds;
            recordsPerSecond[i] = (records[i + 1] - records[i]) / seconds;
            bytesMean += bytesPerSecond[i] / iterations;
            recordsMean += recordsPerSecond[i] / iterations;
        }
        IpcChild.tell("RESULT {\"bytesPerSecond\": " + IpcChild.number(bytesMean)
                + ", \"recordsPerSecond\": " + IpcChild.number(recordsMean)
                + ", \"iterationBytesPerSecond\": " + IpcChild.array(bytesPerSecond)
                + ", \"iterationRecordsPerSecond\": " + IpcChild.array(recordsPerSecond)
                + ", \"totalRecords\": " + verifier.records
                + ", \"processCpuNanos\": " + IpcChild.processCpuNanos()
                + ", \"pid\": " + ProcessHandle.current().pid() + "}");
        if (receiver instanceof LogbufSubject.BatchReceiver logbuf) {
            logbuf.consumer.close();
        }
    }

    /**
     * The measured loop: drains and verifies until the warm-up and every
     * iteration have passed, noting at each boundary the time and the
     * verifier's byte and record counts. No allocation.
     */
    private static void measure(Subject.Receiver receiver, Verifier verifier, long warmupNanos, long iterationNanos,
                                long[] times, long[] bytes, long[] records) {
        final int limit = Throughput.READ_LIMIT;
        while (receiver.drain(limit) == 0) {
            Thread.onSpinWait(); // before the first record only: the producer JVM is starting
        }
        long deadline = System.nanoTime() + warmupNanos;
        int boundary = 0;
        int polls = 0;
        for (;;) {
            receiver.drain(limit);
            if ((++polls & 15) == 0) {
                final long now = System.nanoTime();
                if (now - deadline >= 0) {
                    times[boundary] = now;
                    bytes[boundary] = verifier.bytes;
                    records[boundary] = verifier.records;
                    if (++boundary == times.length) {
                        return;
                    }
                    deadline = now + iterationNanos;
                }
            }
        }
    }

    // ---- a producer ----------------------------------------------------------------------

    private static volatile boolean stop;

    private static void produce(Map<String, String> o) throws IOException {
        final int id = Integer.parseInt(o.get("producer-id"));
        final int[] lengths = Payloads.lengths(o.get("size"));
        final SharedSubject ring = SharedSubject.attach(o.get("subject"), !o.get("scenario").equals("spsc"), Path.of(o.get("file")));
        final Subject.Sender sender = ring.sender(id);
        IpcChild.onInputClosed(() -> stop = true); // the parent's signal, or its death
        IpcChild.tell("READY");
        final long[] counts = produce(sender, lengths, id);
        IpcChild.tell("RESULT {\"producerId\": " + id + ", \"sent\": " + counts[0]
                + ", \"fullAttempts\": " + counts[1]
                + ", \"fullFraction\": " + IpcChild.number((double) counts[1] / Math.max(1, counts[0] + counts[1]))
                + ", \"processCpuNanos\": " + IpcChild.processCpuNanos()
                + ", \"pid\": " + ProcessHandle.current().pid() + "}");
        if (sender instanceof LogbufSubject.LogbufSender logbuf) {
            logbuf.producer.close();
        }
    }

    /** The producing loop, {@link Throughput.Producing#offer()} until told to stop; returns {sent, full attempts}. */
    private static long[] produce(Subject.Sender sender, int[] lengths, int id) {
        final byte[] source = Payloads.SOURCE;
        final int mask = lengths.length - 1;
        long sequence = 0;
        long full = 0;
        while (!stop) {
            if (sender.offer(source, lengths[(int) sequence & mask], Payloads.stamp(id, sequence))) {
                sequence++;
            } else {
                full++;
            }
        }
        return new long[] {sequence, full};
    }
}
