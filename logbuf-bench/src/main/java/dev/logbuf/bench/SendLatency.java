package dev.logbuf.bench;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * The hot thread's latency (issue 23): how long a producing thread spends in
 * claim → write → commit (→ wake, for the channel) of one record while a
 * consumer thread drains, at a fixed offered rate or at saturation, as
 * HdrHistogram percentiles, with coordinated omission corrected.
 *
 * <pre>
 * java -Xms1g -Xmx1g --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *     -cp benchmarks.jar dev.logbuf.bench.SendLatency --subject logbuf \
 *     [--producers 1] [--size 64] [--rate 1M] [--warmup 3s] [--duration 10s] \
 *     [--round 1] [--hlog run.hlog]
 * </pre>
 *
 * Not a JMH benchmark: JMH does not pace load. One run is one fresh JVM and
 * one (subject, producers, size, rate); {@code scripts/latency.sh} runs the
 * rounds and {@code scripts/latency-summary.py} pools them.
 *
 * <p>Subjects ({@link #SUBJECTS}; {@link Subjects} builds them, SPSC with one
 * producer, MPSC with more, through a 2 MiB ring; the {@code ArrayBlockingQueue}
 * gets the slots a 2 MiB byte ring holds at the record size,
 * {@link Payloads#elementsFor}):
 * <ul>
 * <li>{@code logbuf}: the queue's {@code tryClaim}, copy, stamp, {@code commit};</li>
 * <li>{@code channel}: {@code trySend}, copy, stamp, {@code commit}, which wakes
 *     a parked receiver by itself;</li>
 * <li>{@code channel-wake}: the same and the fenced {@code wake()} after each commit;</li>
 * <li>{@code channel-send}: {@code send(length)} (waits while full) for {@code trySend};</li>
 * <li>{@code agrona}: {@code OneToOneRingBuffer}/{@code ManyToOneRingBuffer},
 *     {@code tryClaim}, {@code putBytes}, {@code commit};</li>
 * <li>{@code abq}: {@code ArrayBlockingQueue<byte[]>}, a new array per
 *     record, copy, {@code offer}.</li>
 * </ul>
 *
 * <p>The consumer thread verifies every record (sequence per producer,
 * length, last byte: {@link Verifier}) and waits the way each subject's users
 * wait. The channels wait in the receiver's own untimed
 * {@code read(handler, 256)} ({@link Subject.Receiver#await}): it spins, then
 * parks, and a commit (or {@code wake()}) unparks it, so the wake-up the
 * producer pays is in its samples. Every other subject is polled with
 * {@code drain(256)} and, when that finds nothing, Agrona's
 * {@link BackoffIdleStrategy} with its defaults (10 spins, 5 yields, parks
 * from 1 µs to 1 ms) — logbuf's queue included, so that the queues differ in
 * the ring only, not in the idler.
 *
 * <p>Each producer thread paces itself against a schedule: with {@code p}
 * producers and an offered rate of {@code R} records per second (all
 * producers together), producer {@code k}'s record {@code i} is due at
 * {@code start + (i + k/p) · p/R}, so the producers interleave evenly and
 * together offer {@code R}. The producer spins ({@link Thread#onSpinWait()})
 * until the record is due, reads {@link System#nanoTime()} ({@code t0}, or
 * the due time's first reading past it), makes attempts until the subject
 * takes the record (a full ring is retried at once and the retries stay in
 * the same sample: the time the hot thread paid), and reads
 * {@code System.nanoTime()} again ({@code t1}). It records:
 * <ul>
 * <li><b>service time</b> {@code t1 − t0}: what one send costs the thread;</li>
 * <li><b>response time</b> {@code t1 − due}: service time plus any time the
 *     record waited because the producer was behind its schedule (a slow send
 *     before it, or the thread not running at all). This corrects
 *     coordinated omission: a stall of 5 ms shows as the 5,000 records due
 *     during it, not as one slow sample. On a shared virtual machine the
 *     scheduler's gaps (the thread off its core for milliseconds) dominate
 *     these tails; the service time, which a gap only hits when it falls
 *     inside a send, is the subject's own cost.</li>
 * </ul>
 * With {@code --rate max} (saturation) nothing is paced and only the service
 * time is recorded: each producer sends back to back, and a send that finds
 * the ring full spins inside its sample until the consumer makes room.
 *
 * <p>Phases, on the same schedule: {@code --warmup} (default 3 s) recorded
 * into histograms of its own and dropped, then {@code --duration} (default
 * 10 s) recorded; the schedule runs on across the boundary, so a producer
 * behind at the end of the warm-up stays behind. Histograms are
 * {@link Histogram}s of 3 significant digits up to {@value #HIGHEST_SECONDS} s
 * (larger values are recorded as that), allocated before the run: recording
 * a sample allocates nothing. Then the producer stops, the consumer drains
 * the rest, and the run checks that it received every record sent.
 *
 * <p>Output: one line per kind ({@code service}, and {@code response} when
 * paced), all producers' histograms added:
 * <pre>
 * LATENCY subject=logbuf producers=1 size=64 rate=1000000 round=1 kind=service p50=.. p90=.. p99=..
 *     p99.9=.. p99.99=.. max=.. mean=.. count=.. full=.. allocBytes=.. consumerAllocBytes=..
 *     timerNs=.. otherCpu=.. otherProcCpu=.. machine=../../../../.. load=.. [parks=.. wakeups=..]
 * </pre>
 * in nanoseconds, where {@code count} is the samples of the measured window,
 * {@code full} how many of those sends found the ring full at least once,
 * {@code allocBytes} the bytes the producer threads allocated during the
 * measured window ({@code ThreadMXBean.getCurrentThreadAllocatedBytes()} read
 * by each producer at the window's start and end; 0 for a zero-allocation
 * send, about {@code size + 16} per record for {@code abq}; a constant of
 * about 1 KB per run, whatever the window's length, is the switch from
 * warm-up to measurement, not the sends),
 * {@code consumerAllocBytes} the consumer thread's over the whole run,
 * {@code timerNs} the median gap between two back-to-back
 * {@code System.nanoTime()} calls (part of every service time: the clock is
 * read once on each side of a send), {@code otherCpu} the share of the
 * machine's CPU other processes used during the measured window
 * ({@link IpcChild#otherCpuShare}: /proc/stat's busy time less this
 * process's CPU time; 0.5 on two cores is a whole core), {@code otherProcCpu}
 * the same summed over the other processes' /proc/&lt;pid&gt;/stat (a lower
 * bound: a process that exits inside the window is missed), {@code machine}
 * the window's /proc/stat shares (user, system, irq + softirq, steal, idle),
 * {@code load} the 1-minute load average before the run, and for the
 * channels {@code parks} and {@code wakeups}: how many times during the
 * measured window the receiver parked, and a sender's commit (or
 * {@code wake()}) unparked it, a system call on the hot thread ({@code
 * Receiver.stats()}). {@code --hlog}
 * also writes every histogram (per producer and kind, warm-up excluded) as an
 * HdrHistogram log.
 */
public final class SendLatency {

    /** The subjects this benchmark takes. */
    static final List<String> SUBJECTS = List.of("logbuf", "channel", "channel-wake", "channel-send", "agrona", "abq");

    /** The consumer's batch limit; the group benchmarks' too. */
    static final int READ_LIMIT = Throughput.READ_LIMIT;

    /** The largest value a histogram tracks; larger samples are recorded as it. */
    static final long HIGHEST_SECONDS = 10;
    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(HIGHEST_SECONDS);

    /** The most producer threads a run takes. */
    static final int MAX_PRODUCERS = 4;

    /** How long the producers wait after the threads are made, so that all start on the same schedule. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** How long after the scheduled end the run may take to finish before it is declared hung. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private SendLatency() {
    }

    /** One run's settings, checked up front. */
    record Config(String subject, int producers, String size, long rate, long warmupNanos, long durationNanos,
            String round, String hlog) {

        /** The options a run takes, without their leading {@code --}. */
        static final List<String> OPTIONS = List.of("subject", "producers", "size", "rate", "warmup", "duration",
                "round", "hlog");

        /** Paced at {@link #rate}, or saturated (rate 0). */
        boolean paced() {
            return rate > 0;
        }

        /**
         * Reads {@code --key value} options; rejects a value the benchmark
         * cannot run with, naming the option, the value and what is valid.
         */
        static Config parse(String[] args) {
            final Map<String, String> o = IpcChild.options(args, 0);
            for (String key : o.keySet()) {
                if (!OPTIONS.contains(key)) {
                    throw new IllegalArgumentException("SendLatency: unknown option --" + key + "; valid options: --"
                            + String.join(", --", OPTIONS));
                }
            }
            final String subject = o.getOrDefault("subject", "logbuf");
            if (!SUBJECTS.contains(subject)) {
                throw rejected("subject", subject, String.join(", ", SUBJECTS));
            }
            final String producersText = o.getOrDefault("producers", "1");
            final int producers;
            try {
                producers = Integer.parseInt(producersText);
            } catch (NumberFormatException e) {
                throw rejected("producers", producersText, "1.." + MAX_PRODUCERS);
            }
            if (producers < 1 || producers > MAX_PRODUCERS) {
                throw rejected("producers", producersText, "1.." + MAX_PRODUCERS);
            }
            final String size = o.getOrDefault("size", "64");
            try {
                Params.lengths("SendLatency", "size", size, false);
            } catch (IllegalArgumentException e) {
                throw rejected("size", size, Params.FIXED);
            }
            final String rateText = o.getOrDefault("rate", "1M");
            final long rate = rate(rateText);
            if (rate > 0 && (rate < producers || rate > 1_000_000_000L)) {
                throw rejected("rate", rateText, "max, or 1..1G records per second, at least one per producer");
            }
            final long warmup = IpcChild.duration(o.getOrDefault("warmup", "3s")).toNanos();
            final long duration = IpcChild.duration(o.getOrDefault("duration", "10s")).toNanos();
            if (warmup < 0 || duration <= 0) {
                throw rejected(warmup < 0 ? "warmup" : "duration", o.get(warmup < 0 ? "warmup" : "duration"),
                        "a duration (3s, 500ms), above 0 for --duration");
            }
            return new Config(subject, producers, size, rate, warmup, duration, o.getOrDefault("round", "0"),
                    o.get("hlog"));
        }

        /** Records per second: a number with an optional k or M ({@code 1M}, {@code 500k}), or max (0). */
        private static long rate(String text) {
            final String t = text.trim();
            if (t.equals("max")) {
                return 0;
            }
            final long unit = t.endsWith("M") ? 1_000_000 : t.endsWith("k") ? 1_000 : 1;
            try {
                return Math.round(Double.parseDouble(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit);
            } catch (NumberFormatException e) {
                throw rejected("rate", text, "max, or records per second (1M, 500k, 250000)");
            }
        }

        private static IllegalArgumentException rejected(String option, String value, String valid) {
            return new IllegalArgumentException("SendLatency: bad --" + option + " " + value
                    + "; valid values: " + valid);
        }
    }

    public static void main(String[] args) throws Exception {
        final Config config = Config.parse(args);
        final Result result = run(config);
        for (String line : result.lines) {
            System.out.println(line);
        }
        if (config.hlog() != null) {
            result.writeLog(config);
        }
    }

    /** What a run hands back: the report lines and the histograms behind them. */
    static final class Result {
        final List<String> lines = new ArrayList<>();
        final List<Histogram> histograms = new ArrayList<>();
        long startMillis;
        long endMillis;

        void writeLog(Config config) throws FileNotFoundException {
            try (PrintStream out = new PrintStream(config.hlog())) {
                final HistogramLogWriter writer = new HistogramLogWriter(out);
                writer.outputComment("SendLatency " + config);
                writer.outputLogFormatVersion();
                writer.outputStartTime(startMillis);
                writer.setBaseTime(startMillis);
                writer.outputLegend();
                for (Histogram h : histograms) {
                    h.setStartTimeStamp(startMillis);
                    h.setEndTimeStamp(endMillis);
                    writer.outputIntervalHistogram(h);
                }
            }
        }
    }

    static Result run(Config config) throws InterruptedException {
        final int[] lengths = Params.lengths("SendLatency", "size", config.size(), false);
        final int length = lengths[0];
        final Subject subject = Subjects.create(config.subject(), config.producers() > 1, Payloads.RING_BYTES,
                Payloads.elementsFor(Payloads.RING_BYTES, lengths));
        final long timerNs = timerNanos();
        final String load = IpcChild.loadAverage();

        final Consuming consuming = new Consuming(subject, new Verifier(lengths),
                config.subject().startsWith("channel"));
        final Thread consumer = new Thread(consuming, "consumer");
        consumer.setDaemon(true);
        final Producing[] producing = new Producing[config.producers()];
        final Thread[] producers = new Thread[producing.length];
        final long start = System.nanoTime() + START_DELAY_NANOS;
        final long measureStart = start + config.warmupNanos();
        final long end = measureStart + config.durationNanos();
        for (int k = 0; k < producing.length; k++) {
            producing[k] = new Producing(subject, k, producing.length, length, config.rate(), start, measureStart, end);
            producers[k] = new Thread(producing[k], "producer-" + k);
            producers[k].setDaemon(true);
        }
        consumer.start();
        for (Thread t : producers) {
            t.start();
        }

        // the other processes' share of the CPU during the measured window
        sleepUntil(measureStart);
        final long startMillis = System.currentTimeMillis();
        final long[] ticksBefore = IpcChild.machineTicks();
        final long[] statBefore = cpuTicks();
        final Map<Long, Long> othersBefore = otherProcessTicks();
        final long cpuBefore = IpcChild.processCpuNanos();
        final long[] waitsBefore = consuming.parksAndWakeups();
        sleepUntil(end);
        final long[] waitsAfter = consuming.parksAndWakeups();
        final long[] ticksAfter = IpcChild.machineTicks();
        final long[] statAfter = cpuTicks();
        final Map<Long, Long> othersAfter = otherProcessTicks();
        final long cpuAfter = IpcChild.processCpuNanos();
        final long endMillis = System.currentTimeMillis();
        final double otherCpu = IpcChild.otherCpuShare(ticksBefore, ticksAfter, cpuAfter - cpuBefore);
        long othersTicks = 0;
        for (Map.Entry<Long, Long> e : othersAfter.entrySet()) {
            othersTicks += e.getValue() - othersBefore.getOrDefault(e.getKey(), 0L);
        }
        final long totalTicks = ticksAfter[1] - ticksBefore[1];
        final double otherProcCpu = totalTicks > 0 ? Math.max(0, (double) othersTicks / totalTicks) : Double.NaN;
        final StringBuilder machine = new StringBuilder();
        for (int f = 0; f < statAfter.length; f++) {
            machine.append(f == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.2f",
                    totalTicks > 0 ? (double) (statAfter[f] - statBefore[f]) / totalTicks : Double.NaN));
        }

        long sent = 0;
        for (int k = 0; k < producers.length; k++) {
            producers[k].join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end + GRACE_NANOS - System.nanoTime())));
            if (producers[k].isAlive()) {
                throw new IllegalStateException("producer " + k + " did not finish; consumer received "
                        + consuming.received);
            }
            producing[k].checkFailure();
            sent += producing[k].sent;
        }
        final long deadline = System.nanoTime() + GRACE_NANOS;
        while (consuming.received < sent && consuming.failure == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        consuming.stop = true;
        consumer.interrupt(); // ends a channel's waiting read
        consumer.join(TimeUnit.SECONDS.toMillis(5));
        if (consuming.failure != null) {
            throw new IllegalStateException("the consumer failed", consuming.failure);
        }
        if (consuming.received != sent) {
            throw new IllegalStateException("sent " + sent + " records, the consumer received " + consuming.received);
        }

        final Result result = new Result();
        result.startMillis = startMillis;
        result.endMillis = endMillis;
        final String common = "subject=" + config.subject() + " producers=" + config.producers() + " size="
                + config.size() + " rate=" + config.rate() + " round=" + config.round();
        long full = 0;
        long alloc = 0;
        final Histogram service = histogram();
        final Histogram response = histogram();
        for (Producing p : producing) {
            full += p.full;
            alloc += p.allocatedBytes;
            service.add(p.service);
            response.add(p.response);
            p.service.setTag("p" + p.id + "-service");
            result.histograms.add(p.service);
            if (config.paced()) {
                p.response.setTag("p" + p.id + "-response");
                result.histograms.add(p.response);
            }
        }
        String tail = String.format(Locale.ROOT,
                " full=%d allocBytes=%d consumerAllocBytes=%d timerNs=%d otherCpu=%.3f otherProcCpu=%.3f"
                + " machine=%s load=%s", full, alloc, consuming.allocatedBytes, timerNs, otherCpu, otherProcCpu,
                machine, load.split(" ")[0]);
        if (waitsBefore != null && waitsAfter != null) {
            tail += " parks=" + (waitsAfter[0] - waitsBefore[0]) + " wakeups=" + (waitsAfter[1] - waitsBefore[1]);
        }
        result.lines.add("LATENCY " + common + " kind=service " + percentiles(service) + tail);
        if (config.paced()) {
            result.lines.add("LATENCY " + common + " kind=response " + percentiles(response) + tail);
        }
        return result;
    }

    /**
     * The machine's CPU time so far from /proc/stat's first line, in clock
     * ticks: user+nice, system, irq+softirq, steal, idle+iowait; zeros if unreadable.
     */
    static long[] cpuTicks() {
        try {
            final String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            final long[] v = new long[9];
            for (int i = 1; i < 9; i++) {
                v[i] = Long.parseLong(f[i]);
            }
            return new long[] {v[1] + v[2], v[3], v[6] + v[7], v[8], v[4] + v[5]};
        } catch (IOException | RuntimeException e) {
            return new long[5];
        }
    }

    /**
     * The CPU time (user + system, clock ticks) of every process but this
     * one, by pid, from /proc/&lt;pid&gt;/stat; kernel threads included. A
     * process that exits between two readings is missed, so the difference
     * of two readings is a lower bound.
     */
    static Map<Long, Long> otherProcessTicks() {
        final Map<Long, Long> ticks = new HashMap<>();
        final long self = ProcessHandle.current().pid();
        final File[] entries = new File("/proc").listFiles();
        if (entries == null) {
            return ticks;
        }
        for (File entry : entries) {
            final String name = entry.getName();
            if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                continue;
            }
            try {
                final long pid = Long.parseLong(name);
                if (pid == self) {
                    continue;
                }
                final String stat = Files.readString(entry.toPath().resolve("stat"));
                // after the command's closing parenthesis: state, ppid, ... utime (field 14), stime (15)
                final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (IOException | RuntimeException gone) {
                // the process ended meanwhile
            }
        }
        return ticks;
    }

    private static String percentiles(Histogram h) {
        return String.format(Locale.ROOT, "p50=%d p90=%d p99=%d p99.9=%d p99.99=%d max=%d mean=%.1f count=%d",
                h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getValueAtPercentile(99.99), h.getMaxValue(), h.getMean(),
                h.getTotalCount());
    }

    /** 3 significant digits from 1 ns to {@link #HIGHEST}; about 0.4 MB, allocated once. */
    static Histogram histogram() {
        return new Histogram(1, HIGHEST, 3);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** The median gap between two back-to-back {@code System.nanoTime()} calls, in ns. */
    private static long timerNanos() {
        final Histogram gaps = histogram();
        for (int round = 0; round < 2; round++) { // the first round warms the loop up
            gaps.reset();
            long before = System.nanoTime();
            for (int i = 0; i < 1_000_000; i++) {
                final long now = System.nanoTime();
                gaps.recordValue(Math.max(1, Math.min(now - before, HIGHEST)));
                before = now;
            }
        }
        return gaps.getValueAtPercentile(50);
    }

    /** This thread's allocated bytes so far (HotSpot's per-thread TLAB accounting). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    /** One producer thread: its sender, schedule, histograms and counters. */
    private static final class Producing implements Runnable {
        final int id;
        private final Subject subject;
        private final int length;
        /** The offered rate of all producers together, records per second; 0: unpaced (saturation). */
        private final long rate;
        private final int producers;
        private final long start;
        private final long measureStart;
        private final long end;
        /** The warm-up's histograms, dropped, and the measured window's. */
        private final Histogram warmService = histogram();
        private final Histogram warmResponse = histogram();
        final Histogram service = histogram();
        final Histogram response = histogram();
        /** Measured sends that found the ring full at least once. */
        long full;
        /** Bytes this thread allocated during the measured window. */
        long allocatedBytes;
        /** Records sent, warm-up included. */
        volatile long sent;
        private volatile Throwable failure;

        Producing(Subject subject, int id, int producers, int length, long rate, long start, long measureStart,
                long end) {
            this.subject = subject;
            this.id = id;
            this.producers = producers;
            this.length = length;
            this.rate = rate;
            this.start = start;
            this.measureStart = measureStart;
            this.end = end;
        }

        /**
         * When record {@code i} of this producer is due: {@code start + (i·p + id)·10⁹/R}, producer
         * {@code id} of {@code p} offering every p-th slot of the combined rate {@code R}.
         */
        private long due(long i) {
            return start + (i * producers + id) * 1_000_000_000L / rate;
        }

        @Override
        public void run() {
            try {
                final Subject.Sender sender = subject.sender(id); // made on the thread that uses it
                allocatedBytes(); // the first call may set something up
                if (rate > 0) {
                    sent = paced(sender);
                } else {
                    sent = saturated(sender);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** Sends on the schedule until the record due is past the end; returns the records sent. */
        private long paced(Subject.Sender sender) {
            final byte[] source = Payloads.SOURCE;
            final int length = this.length;
            Histogram serviceTimes = warmService;
            Histogram responseTimes = warmResponse;
            boolean measuring = false;
            long allocBefore = 0;
            long fullCount = 0;
            long i = 0;
            for (;; i++) {
                final long due = due(i);
                if (due >= end) {
                    break;
                }
                if (!measuring && due >= measureStart) {
                    measuring = true;
                    serviceTimes = service;
                    responseTimes = response;
                    fullCount = 0;
                    allocBefore = allocatedBytes();
                }
                long t0;
                while ((t0 = System.nanoTime()) < due) {
                    Thread.onSpinWait();
                }
                final long stamp = Payloads.stamp(id, i);
                if (!sender.offer(source, length, stamp)) {
                    fullCount++;
                    do {
                        Thread.onSpinWait();
                    } while (!sender.offer(source, length, stamp));
                }
                final long t1 = System.nanoTime();
                serviceTimes.recordValue(clamp(t1 - t0));
                responseTimes.recordValue(clamp(t1 - due));
            }
            allocatedBytes = allocatedBytes() - allocBefore;
            full = fullCount;
            return i;
        }

        /** Sends back to back until the end; returns the records sent. */
        private long saturated(Subject.Sender sender) {
            final byte[] source = Payloads.SOURCE;
            final int length = this.length;
            Histogram serviceTimes = warmService;
            boolean measuring = false;
            long allocBefore = 0;
            long fullCount = 0;
            long i = 0;
            for (;; i++) {
                final long t0 = System.nanoTime();
                if (t0 >= end) {
                    break;
                }
                if (!measuring && t0 >= measureStart) {
                    measuring = true;
                    serviceTimes = service;
                    fullCount = 0;
                    allocBefore = allocatedBytes();
                }
                final long stamp = Payloads.stamp(id, i);
                if (!sender.offer(source, length, stamp)) {
                    fullCount++;
                    do {
                        Thread.onSpinWait();
                    } while (!sender.offer(source, length, stamp));
                }
                serviceTimes.recordValue(clamp(System.nanoTime() - t0));
            }
            allocatedBytes = allocatedBytes() - allocBefore;
            full = fullCount;
            return i;
        }

        private static long clamp(long nanos) {
            return nanos < 1 ? 1 : Math.min(nanos, HIGHEST);
        }

        void checkFailure() {
            if (failure != null) {
                throw new IllegalStateException("producer " + id + " failed", failure);
            }
        }
    }

    /** The consumer thread: drains and verifies until told to stop. */
    private static final class Consuming implements Runnable {
        private final Subject subject;
        private final Verifier verifier;
        /** True: the subject's own waiting read; false: drain and Agrona's BackoffIdleStrategy. */
        private final boolean waits;
        /** Records received and verified so far; written by the consumer after each batch. */
        volatile long received;
        volatile boolean stop;
        volatile Throwable failure;
        /** Bytes the consumer thread allocated over the whole run. */
        volatile long allocatedBytes;
        /** The receiver, once the consumer thread has made it. */
        private volatile Subject.Receiver receiver;

        Consuming(Subject subject, Verifier verifier, boolean waits) {
            this.subject = subject;
            this.verifier = verifier;
            this.waits = waits;
        }

        @Override
        public void run() {
            try {
                final Subject.Receiver receiver = subject.receiver(verifier);
                this.receiver = receiver;
                allocatedBytes();
                final long before = allocatedBytes();
                if (waits) {
                    waiting(receiver);
                } else {
                    polling(receiver);
                }
                allocatedBytes = allocatedBytes() - before;
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** The receiver's parks and wake-ups so far, from any thread; null if it does not park or is not made yet. */
        long[] parksAndWakeups() {
            final Subject.Receiver receiver = this.receiver;
            return receiver == null ? null : receiver.parksAndWakeups();
        }

        private void waiting(Subject.Receiver receiver) {
            final Verifier verifier = this.verifier;
            try {
                while (!stop) {
                    receiver.await(READ_LIMIT);
                    received = verifier.records;
                }
            } catch (InterruptedException stopped) {
                // the run's end: every record was received
            }
        }

        private void polling(Subject.Receiver receiver) {
            final Verifier verifier = this.verifier;
            final BackoffIdleStrategy idle = new BackoffIdleStrategy();
            while (!stop) {
                final int n = receiver.drain(READ_LIMIT);
                if (n != 0) {
                    received = verifier.records;
                }
                idle.idle(n); // resets when n > 0
            }
        }
    }
}
