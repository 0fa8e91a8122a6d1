package dev.logbuf.bench;

import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.Payload;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.SpscProducer;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.WriteClaim;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPOutputStream;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Cross-process wake-up latency of a polling consumer, per backoff: how long
 * after a producer process commits a record does a consumer process that
 * polls a shared ring with a given {@link Backoff} receive it, and how much
 * CPU does the consumer burn while it waits.
 *
 * <pre>
 * java -cp benchmarks.jar dev.logbuf.bench.IpcWakeup --backoff NAME \
 *     [--interval 1ms] [--warmup 2s] [--duration 10s] [--burst 200000] \
 *     [--dir logbuf-bench/target/ipc] [--round 1] [--out result.json]
 * </pre>
 *
 * Backoff names: {@code spinning}, {@code yielding}, {@code parking-DUR}
 * (e.g. {@code parking-50us}), {@code progressive} (100 spins, 10 yields,
 * parks from 1 µs to 1 ms: the spec's idiom) or
 * {@code progressive-SPINS-YIELDS-MIN-MAX}, and, as a peer,
 * {@code agrona-backoff} (Agrona's {@code BackoffIdleStrategy} with the same
 * four settings, polling an Agrona {@code OneToOneRingBuffer} in a mapped
 * file) or {@code agrona-backoff-SPINS-YIELDS-MIN-MAX}. Every other backoff
 * polls a logbuf {@code SpscQueue} in a mapped file.
 *
 * <p>The producer process writes 64-byte records: {@link System#nanoTime()}
 * in the first 8 bytes (taken just before {@code commit}; on Linux it is
 * CLOCK_MONOTONIC, comparable between processes), a kind and sequence in the
 * next 8. First a burst of {@code --burst} records back to back (so both
 * sides' read and write paths are compiled), then one record after each
 * random pause, uniform in [interval/2, 3·interval/2] from a fixed seed
 * (random so that the arrivals cannot lock into step with a park period),
 * for {@code --warmup}, then a mark, then the same for {@code --duration},
 * then an end record. The producer waits with {@code parkNanos}, so between
 * records the consumer is alone with an empty ring.
 *
 * <p>The consumer loops on {@code read(handler, 64)}: nothing read, it calls
 * {@code backoff.idle()}; something read, {@code backoff.reset()}. The handler
 * reads {@code System.nanoTime()} first and stores the difference for every
 * record between the mark and the end in a preallocated array. At the mark and
 * at the end it reads its own thread's CPU time ({@link ThreadMXBean}), the
 * process's ({@code OperatingSystemMXBean.getProcessCpuTime}) and its poll
 * count, so the report gives CPU milliseconds per second of the measurement
 * and polls per second. The consumer checks the sequence of every record; a
 * gap, a repeat or a record out of order fails the run. Nothing in either
 * loop allocates.
 *
 * <p>Report (to {@code --out} and standard output): the parameters, the load
 * average before and after, the consumer's samples count, p50, p90, p99,
 * p99.9, max and mean latency in nanoseconds, CPU per second and polls per
 * second. The raw samples (nanoseconds, one a line, in arrival order) go
 * gzipped beside the report ({@code <out>.samples.gz}), so that rounds can be
 * pooled ({@code scripts/ipc-summary.py}).
 */
public final class IpcWakeup {

    /** Record payload bytes. */
    static final int LENGTH = 64;
    /** The consumer's batch limit. */
    static final int READ_LIMIT = 64;
    /** Seed of the producer's pauses. */
    static final long SEED = 0x5EED_1DL;

    /** Record kinds, in the top byte of the second word; the sequence is below. */
    static final long WARM = 0;
    static final long MEASURED = 1;
    static final long MARK = 2;
    static final long END = 3;
    private static final long SEQUENCE_MASK = (1L << 56) - 1;

    private IpcWakeup() {
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

    /** True if the backoff is Agrona's, polling Agrona's ring. */
    static boolean agrona(String backoff) {
        return backoff.startsWith("agrona-backoff");
    }

    /** The four settings of a progressive backoff: its name's, or 100, 10, 1 µs, 1 ms. */
    private static long[] progressive(String name, String prefix) {
        if (name.equals(prefix)) {
            return new long[] {100, 10, 1_000, 1_000_000};
        }
        final String[] parts = name.substring(prefix.length() + 1).split("-");
        if (parts.length != 4) {
            throw new IllegalArgumentException("backoff " + name + " (" + prefix + "-SPINS-YIELDS-MINPARK-MAXPARK)");
        }
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]),
            IpcChild.duration(parts[2]).toNanos(), IpcChild.duration(parts[3]).toNanos()};
    }

    /** A fresh idler for a backoff name. */
    static Idler idler(String name) {
        if (agrona(name)) {
            final long[] p = progressive(name, "agrona-backoff");
            return new AgronaIdler(new BackoffIdleStrategy(p[0], p[1], p[2], p[3]));
        }
        final Backoff backoff;
        if (name.equals("spinning")) {
            backoff = Backoff.spinning();
        } else if (name.equals("yielding")) {
            backoff = Backoff.yielding();
        } else if (name.startsWith("parking-")) {
            backoff = Backoff.parking(IpcChild.duration(name.substring("parking-".length())));
        } else if (name.startsWith("progressive")) {
            final long[] p = progressive(name, "progressive");
            backoff = Backoff.progressive((int) p[0], (int) p[1], Duration.ofNanos(p[2]), Duration.ofNanos(p[3]));
        } else {
            throw new IllegalArgumentException("backoff " + name + " (spinning, yielding, parking-DUR, progressive[-S-Y-MIN-MAX],"
                    + " agrona-backoff[-S-Y-MIN-MAX])");
        }
        return new LogbufIdler(backoff);
    }

    // ---- the parent ----------------------------------------------------------------------

    private static void run(Map<String, String> given) throws Exception {
        final Map<String, String> o = new LinkedHashMap<>();
        o.put("backoff", given.getOrDefault("backoff", "progressive"));
        o.put("interval", given.getOrDefault("interval", "1ms"));
        o.put("warmup", given.getOrDefault("warmup", "2s"));
        o.put("duration", given.getOrDefault("duration", "10s"));
        o.put("burst", given.getOrDefault("burst", "200000"));
        final String dir = given.getOrDefault("dir", "logbuf-bench/target/ipc");
        final String round = given.getOrDefault("round", "0");
        final String out = given.get("out");
        final String backoff = o.get("backoff");
        idler(backoff); // rejects a bad name before any process starts
        final boolean agrona = agrona(backoff);

        final Path file = Path.of(dir, "wakeup-" + backoff + "-" + ProcessHandle.current().pid() + ".ring");
        final Path samples = out != null
                ? Path.of(out.endsWith(".json") ? out.substring(0, out.length() - 5) + ".samples.gz" : out + ".samples.gz")
                : null;
        final Duration timeout = IpcChild.duration(o.get("warmup")).plus(IpcChild.duration(o.get("duration")))
                .plusSeconds(90);
        final String loadBefore = IpcChild.loadAverage();
        final Instant started = Instant.now();
        final long[] ticksBefore = IpcChild.machineTicks();
        final long parentCpuBefore = IpcChild.processCpuNanos();
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (samples != null) {
            Files.createDirectories(samples.toAbsolutePath().getParent());
        }
        Files.deleteIfExists(file);
        if (agrona) {
            SharedSubject.createZeroed(file, Payloads.RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH);
        } else {
            SpscQueue.createFile(file, Payloads.RING_BYTES);
        }
        final List<String> childArgs = new ArrayList<>(IpcChild.words(o));
        childArgs.add("--file");
        childArgs.add(file.toString());
        if (samples != null) {
            childArgs.add("--samples");
            childArgs.add(samples.toString());
        }

        final String consumerReport;
        final String producerReport;
        IpcChild consumer = null;
        IpcChild producer = null;
        try {
            final List<String> consumerArgs = new ArrayList<>(List.of("consume"));
            consumerArgs.addAll(childArgs);
            consumer = IpcChild.start("consumer", IpcWakeup.class, consumerArgs);
            consumer.await("READY", Duration.ofSeconds(60));
            final List<String> producerArgs = new ArrayList<>(List.of("produce"));
            producerArgs.addAll(childArgs);
            producer = IpcChild.start("producer", IpcWakeup.class, producerArgs);
            consumerReport = consumer.await("RESULT", timeout);
            producerReport = producer.await("DONE", Duration.ofSeconds(30));
            for (IpcChild child : List.of(consumer, producer)) {
                final int status = child.waitFor(Duration.ofSeconds(30));
                if (status != 0) {
                    throw new IllegalStateException("a child exited with status " + status);
                }
            }
        } finally {
            if (consumer != null) {
                consumer.close();
            }
            if (producer != null) {
                producer.close();
            }
            Files.deleteIfExists(file);
        }
        final long ownCpu = IpcChild.processCpuNanos() - parentCpuBefore
                + IpcChild.longField(consumerReport, "processCpuNanos") + IpcChild.longField(producerReport, "processCpuNanos");
        final double otherCpu = IpcChild.otherCpuShare(ticksBefore, IpcChild.machineTicks(), ownCpu);

        final StringBuilder json = new StringBuilder("{\n");
        json.append("  \"benchmark\": \"IpcWakeup\",\n");
        for (Map.Entry<String, String> e : o.entrySet()) {
            json.append("  ").append(IpcChild.quote(e.getKey())).append(": ").append(IpcChild.quote(e.getValue())).append(",\n");
        }
        json.append("  \"ring\": ").append(IpcChild.quote(agrona ? "agrona OneToOneRingBuffer" : "logbuf SpscQueue")).append(",\n");
        json.append("  \"round\": ").append(IpcChild.quote(round)).append(",\n");
        json.append("  \"recordBytes\": ").append(LENGTH).append(",\n");
        json.append("  \"java\": ").append(IpcChild.quote(System.getProperty("java.vm.version"))).append(",\n");
        json.append("  \"childJvmArgs\": ").append(IpcChild.array(IpcChild.jvmArgs())).append(",\n");
        json.append("  \"started\": ").append(IpcChild.quote(started.toString())).append(",\n");
        json.append("  \"loadavgBefore\": ").append(IpcChild.quote(loadBefore)).append(",\n");
        json.append("  \"loadavgAfter\": ").append(IpcChild.quote(IpcChild.loadAverage())).append(",\n");
        json.append("  \"otherCpuShare\": ").append(IpcChild.number(otherCpu)).append(",\n");
        if (samples != null) {
            json.append("  \"samplesFile\": ").append(IpcChild.quote(samples.getFileName().toString())).append(",\n");
        }
        json.append("  \"consumer\": ").append(consumerReport).append(",\n");
        json.append("  \"producer\": ").append(producerReport).append("\n");
        json.append("}\n");
        if (out != null) {
            final Path path = Path.of(out);
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, json, StandardCharsets.UTF_8);
        }
        System.out.print(json);
    }

    // ---- the consumer --------------------------------------------------------------------

    /** A backoff, logbuf's or Agrona's, behind one call site. */
    interface Idler {
        void idle();

        void reset();
    }

    private static final class LogbufIdler implements Idler {
        private final Backoff backoff;

        LogbufIdler(Backoff backoff) {
            this.backoff = backoff;
        }

        @Override
        public void idle() {
            backoff.idle();
        }

        @Override
        public void reset() {
            backoff.reset();
        }
    }

    private static final class AgronaIdler implements Idler {
        private final IdleStrategy strategy;

        AgronaIdler(IdleStrategy strategy) {
            this.strategy = strategy;
        }

        @Override
        public void idle() {
            strategy.idle();
        }

        @Override
        public void reset() {
            strategy.reset();
        }
    }

    /** One poll of a ring: reads what is waiting (up to a limit) into the recorder. */
    interface Poller {
        int poll();
    }

    /** What the consumer keeps: latencies, the sequence check, CPU snapshots. No allocation per record. */
    static final class Recorder {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        final long[] samples;
        int count;
        long dropped;
        long expected;
        long badSequence = -1;
        long polls;
        boolean done;
        long markWall;
        long markThreadCpu;
        long markProcessCpu;
        long markPolls;
        long endWall;
        long endThreadCpu;
        long endProcessCpu;
        long endPolls;

        Recorder(int capacity) {
            samples = new long[capacity];
        }

        void onRecord(long now, long sent, long tag) {
            final long kind = tag >>> 56;
            final long sequence = tag & SEQUENCE_MASK;
            if (sequence != expected && badSequence < 0) {
                badSequence = sequence;
            }
            expected = sequence + 1;
            if (kind == MEASURED) {
                if (count < samples.length) {
                    samples[count++] = now - sent;
                } else {
                    dropped++;
                }
            } else if (kind == MARK) {
                markWall = now;
                markThreadCpu = THREADS.getCurrentThreadCpuTime();
                markProcessCpu = OS.getProcessCpuTime();
                markPolls = polls;
            } else if (kind == END) {
                endWall = System.nanoTime();
                endThreadCpu = THREADS.getCurrentThreadCpuTime();
                endProcessCpu = OS.getProcessCpuTime();
                endPolls = polls;
                done = true;
            }
        }
    }

    private static final class LogbufPoller implements Poller, RecordHandler {
        private final Consumer consumer;
        private final Recorder recorder;

        LogbufPoller(Consumer consumer, Recorder recorder) {
            this.consumer = consumer;
            this.recorder = recorder;
        }

        @Override
        public int poll() {
            return consumer.read(this, READ_LIMIT);
        }

        @Override
        public void onRecord(Payload payload) {
            final long now = System.nanoTime();
            recorder.onRecord(now, payload.getLong(0), payload.getLong(8));
        }
    }

    private static final class AgronaPoller implements Poller, MessageHandler {
        private final RingBuffer ring;
        private final Recorder recorder;

        AgronaPoller(RingBuffer ring, Recorder recorder) {
            this.ring = ring;
            this.recorder = recorder;
        }

        @Override
        public int poll() {
            return ring.read(this, READ_LIMIT);
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            final long now = System.nanoTime();
            recorder.onRecord(now, buffer.getLong(index), buffer.getLong(index + 8));
        }
    }

    private static void consume(Map<String, String> o) throws IOException {
        final String name = o.get("backoff");
        final long interval = IpcChild.duration(o.get("interval")).toNanos();
        final long duration = IpcChild.duration(o.get("duration")).toNanos();
        final Recorder recorder = new Recorder((int) Math.min(Integer.MAX_VALUE - 8, 2 * duration / interval + 1024));
        final Idler idler = idler(name);
        final Path file = Path.of(o.get("file"));
        final Poller poller;
        Consumer consumer = null;
        if (agrona(name)) {
            poller = new AgronaPoller(new OneToOneRingBuffer(new UnsafeBuffer(SharedSubject.map(file))), recorder);
        } else {
            consumer = SpscQueue.attachFile(file).consumer();
            poller = new LogbufPoller(consumer, recorder);
        }
        IpcChild.onInputClosed(() -> Runtime.getRuntime().halt(3)); // the parent died
        IpcChild.tell("READY");

        poll(poller, idler, recorder);

        if (recorder.badSequence >= 0) {
            throw new IllegalStateException("record sequence " + recorder.badSequence + " arrived out of order"
                    + " (a record was lost, repeated or reordered)");
        }
        final long[] sorted = Arrays.copyOf(recorder.samples, recorder.count);
        final String samplesFile = o.get("samples");
        if (samplesFile != null) {
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(Path.of(samplesFile))), StandardCharsets.US_ASCII))) {
                for (long s : sorted) {
                    w.write(Long.toString(s));
                    w.write('\n');
                }
            }
        }
        Arrays.sort(sorted);
        final double seconds = (recorder.endWall - recorder.markWall) / 1e9;
        double sum = 0;
        for (long s : sorted) {
            sum += s;
        }
        final StringBuilder r = new StringBuilder("{");
        r.append("\"samples\": ").append(sorted.length);
        r.append(", \"dropped\": ").append(recorder.dropped);
        r.append(", \"p50\": ").append(percentile(sorted, 0.50));
        r.append(", \"p90\": ").append(percentile(sorted, 0.90));
        r.append(", \"p99\": ").append(percentile(sorted, 0.99));
        r.append(", \"p999\": ").append(percentile(sorted, 0.999));
        r.append(", \"max\": ").append(sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
        r.append(", \"mean\": ").append(IpcChild.number(sorted.length == 0 ? -1 : sum / sorted.length));
        r.append(", \"seconds\": ").append(IpcChild.number(seconds));
        r.append(", \"threadCpuMsPerSecond\": ")
                .append(IpcChild.number((recorder.endThreadCpu - recorder.markThreadCpu) / 1e6 / seconds));
        r.append(", \"processCpuMsPerSecond\": ")
                .append(IpcChild.number((recorder.endProcessCpu - recorder.markProcessCpu) / 1e6 / seconds));
        r.append(", \"pollsPerSecond\": ").append(IpcChild.number((recorder.endPolls - recorder.markPolls) / seconds));
        r.append(", \"processCpuNanos\": ").append(IpcChild.processCpuNanos());
        r.append(", \"pid\": ").append(ProcessHandle.current().pid());
        r.append('}');
        IpcChild.tell("RESULT " + r);
        if (consumer != null) {
            consumer.close();
        }
    }

    /** Nearest rank. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        final int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** The measured loop: the spec's idiom, counting polls. No allocation. */
    private static void poll(Poller poller, Idler idler, Recorder recorder) {
        long polls = 0;
        for (;;) {
            final int n = poller.poll();
            recorder.polls = ++polls;
            if (n == 0) {
                idler.idle();
            } else {
                idler.reset();
                if (recorder.done) {
                    return;
                }
            }
        }
    }

    // ---- the producer --------------------------------------------------------------------

    /** Writes one record; spins while the ring is full (only during the burst). */
    interface Writer {
        void write(long tag);
    }

    private static final class LogbufWriter implements Writer {
        private final SpscProducer producer;

        LogbufWriter(SpscProducer producer) {
            this.producer = producer;
        }

        @Override
        public void write(long tag) {
            WriteClaim claim;
            while ((claim = producer.tryClaim(LENGTH)) == null) {
                Thread.onSpinWait();
            }
            claim.put(Payloads.SOURCE, 0, LENGTH);
            claim.putLong(8, tag);
            claim.putLong(0, System.nanoTime());
            claim.commit();
        }
    }

    private static final class AgronaWriter implements Writer {
        private final RingBuffer ring;
        private final AtomicBuffer buffer;

        AgronaWriter(RingBuffer ring) {
            this.ring = ring;
            this.buffer = ring.buffer();
        }

        @Override
        public void write(long tag) {
            int index;
            while ((index = ring.tryClaim(AgronaSubject.MSG_TYPE, LENGTH)) < 0) {
                Thread.onSpinWait();
            }
            buffer.putBytes(index, Payloads.SOURCE, 0, LENGTH);
            buffer.putLong(index + 8, tag);
            buffer.putLong(index, System.nanoTime());
            ring.commit(index);
        }
    }

    private static void produce(Map<String, String> o) throws IOException {
        final String name = o.get("backoff");
        final Path file = Path.of(o.get("file"));
        final Writer writer;
        SpscProducer producer = null;
        if (agrona(name)) {
            writer = new AgronaWriter(new OneToOneRingBuffer(new UnsafeBuffer(SharedSubject.map(file))));
        } else {
            producer = SpscQueue.attachFile(file).producer();
            writer = new LogbufWriter(producer);
        }
        IpcChild.onInputClosed(() -> Runtime.getRuntime().halt(3)); // the parent died
        final long interval = IpcChild.duration(o.get("interval")).toNanos();
        final long[] counts = produce(writer, Long.parseLong(o.get("burst")), interval,
                IpcChild.duration(o.get("warmup")).toNanos(), IpcChild.duration(o.get("duration")).toNanos());
        IpcChild.tell("DONE {\"paced\": " + counts[0] + ", \"measured\": " + counts[1]
                + ", \"processCpuNanos\": " + IpcChild.processCpuNanos() + "}");
        if (producer != null) {
            producer.close();
        }
    }

    /** The producing loop; returns {paced records, measured records}. No allocation. */
    private static long[] produce(Writer writer, long burst, long interval, long warmup, long duration) {
        long sequence = 0;
        for (long i = 0; i < burst; i++) {
            writer.write(WARM << 56 | sequence++);
        }
        LockSupport.parkNanos(100_000_000L);
        final SplittableRandom random = new SplittableRandom(SEED);
        final long lo = interval / 2;
        final long hi = interval * 3 / 2 + 1;
        long paced = 0;
        long end = System.nanoTime() + warmup;
        while (System.nanoTime() - end < 0) {
            pause(random.nextLong(lo, hi));
            writer.write(WARM << 56 | sequence++);
            paced++;
        }
        pause(random.nextLong(lo, hi));
        writer.write(MARK << 56 | sequence++);
        long measured = 0;
        end = System.nanoTime() + duration;
        while (System.nanoTime() - end < 0) {
            pause(random.nextLong(lo, hi));
            writer.write(MEASURED << 56 | sequence++);
            measured++;
        }
        pause(random.nextLong(lo, hi));
        writer.write(END << 56 | sequence);
        return new long[] {paced, measured};
    }

    private static void pause(long nanos) {
        final long until = System.nanoTime() + nanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
