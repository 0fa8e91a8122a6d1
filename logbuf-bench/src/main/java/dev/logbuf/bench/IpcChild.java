package dev.logbuf.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the cross-process benchmarks ({@link IpcThroughput},
 * {@link IpcWakeup}), seen from the parent, and the few helpers both sides
 * of those benchmarks share (options, JSON, the load average).
 *
 * <p>A child runs the same Java and class path as its parent (the shaded
 * {@code benchmarks.jar}) with {@link #JVM_ARGS} plus whatever the
 * {@code IPC_JVM_ARGS} environment variable adds. It talks to the parent by
 * lines: on its standard output it prints {@code READY} once it holds its
 * role in the ring and {@code RESULT <json>} at the end; its standard error
 * goes to the parent's. Its standard input is the other way: the parent
 * closes it to stop a producer, and a child whose standard input reaches end
 * of file before it has finished (its parent died) halts, so no child
 * outlives a killed run.
 */
final class IpcChild implements AutoCloseable {

    /**
     * Every child's JVM options: the heap of the JMH forks, and the export
     * Agrona 2.x needs (given to every subject alike, as the JMH forks do).
     */
    static final List<String> JVM_ARGS = List.of(
            "-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private IpcChild(String name, Process process) {
        this.name = name;
        this.process = process;
        final Thread reader = new Thread(() -> pump(process.getInputStream()), name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** The JVM options of a child: {@link #JVM_ARGS} and the words of {@code IPC_JVM_ARGS}. */
    static List<String> jvmArgs() {
        final List<String> args = new ArrayList<>(JVM_ARGS);
        final String extra = System.getenv("IPC_JVM_ARGS");
        if (extra != null && !extra.isBlank()) {
            args.addAll(List.of(extra.trim().split("\\s+")));
        }
        return args;
    }

    /** Starts {@code main} in a child JVM with {@code args}; {@code name} labels its messages. */
    static IpcChild start(String name, Class<?> main, List<String> args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        final Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new IpcChild(name, process);
    }

    private void pump(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child is gone; await() reports it
        }
    }

    /**
     * Waits for the child's next line that starts with {@code word} and
     * returns the rest of it (trimmed). Other lines are echoed to standard
     * error.
     *
     * @throws IllegalStateException naming the child if it exits first or
     *         the time runs out (the child is then killed)
     */
    String await(String word, Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            final long left = deadline - System.nanoTime();
            final String line = lines.poll(Math.max(0, Math.min(left, 100_000_000L)), TimeUnit.NANOSECONDS);
            if (line != null) {
                if (line.equals(word) || line.startsWith(word + " ")) {
                    return line.substring(word.length()).trim();
                }
                System.err.println("[" + name + "] " + line);
                continue;
            }
            if (!process.isAlive() && lines.isEmpty()) {
                // let the reader drain what the child printed last
                process.waitFor();
                Thread.sleep(50);
                if (lines.isEmpty()) {
                    throw new IllegalStateException(name + " exited with status " + process.exitValue()
                            + " before printing " + word);
                }
            } else if (left <= 0) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " printed no " + word + " within " + timeout + "; killed");
            }
        }
    }

    /** Closes the child's standard input: a producer's signal to stop. */
    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** Waits for the child to exit; kills it after {@code timeout}. Returns its exit status. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not exit within " + timeout + "; killed");
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    // ---- the child's side ----------------------------------------------------------------

    /**
     * In a child: runs {@code onEof} on a daemon thread when standard input
     * reaches end of file (the parent closed it, or died).
     */
    static void onInputClosed(Runnable onEof) {
        final Thread watcher = new Thread(() -> {
            try {
                final InputStream in = System.in;
                final byte[] sink = new byte[256];
                while (in.read(sink) >= 0) {
                    // discard: only the end of the stream means something
                }
            } catch (IOException e) {
                // treat as closed
            }
            onEof.run();
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** In a child: prints one line to the parent, at once. */
    static void tell(String line) {
        System.out.println(line);
        System.out.flush();
    }

    // ---- shared helpers ------------------------------------------------------------------

    /** {@code --key value} pairs; a key may repeat only once (the last wins). */
    static Map<String, String> options(String[] args, int from) {
        final Map<String, String> options = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --key value, found " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    /** The options as {@code --key value} words again, to hand to a child. */
    static List<String> words(Map<String, String> options) {
        final List<String> words = new ArrayList<>();
        options.forEach((k, v) -> {
            words.add("--" + k);
            words.add(v);
        });
        return words;
    }

    /**
     * A duration as written on the command line: a number followed by
     * {@code ns}, {@code us}, {@code ms} or {@code s} (e.g. {@code 50us}).
     */
    static Duration duration(String text) {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        final String[][] units = {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}};
        for (String[] unit : units) {
            if (t.endsWith(unit[0])) {
                final double value = Double.parseDouble(t.substring(0, t.length() - unit[0].length()));
                return Duration.ofNanos(Math.round(value * Long.parseLong(unit[1])));
            }
        }
        throw new IllegalArgumentException("duration " + text + " (a number and ns, us, ms or s)");
    }

    /** The contents of /proc/loadavg (the 1, 5 and 15 minute load averages first), or "?" . */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * The machine's CPU time from /proc/stat's first line, in clock ticks:
     * {busy (user, nice, system, irq, softirq, steal), total (busy, idle,
     * iowait)}; {0, 0} if unreadable.
     */
    static long[] machineTicks() {
        try {
            final String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            final long user = Long.parseLong(f[1]);
            final long nice = Long.parseLong(f[2]);
            final long system = Long.parseLong(f[3]);
            final long idle = Long.parseLong(f[4]);
            final long iowait = Long.parseLong(f[5]);
            final long irq = Long.parseLong(f[6]);
            final long softirq = Long.parseLong(f[7]);
            final long steal = Long.parseLong(f[8]);
            final long busy = user + nice + system + irq + softirq + steal;
            return new long[] {busy, busy + idle + iowait};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** This process's CPU time so far, in nanoseconds (every thread, JIT and GC included). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The share of the machine's CPU capacity that other processes used
     * between two {@link #machineTicks()} readings, given the CPU time of
     * this run's own processes (parent and children) in that interval:
     * (busy − own) / total, assuming 100 clock ticks a second (Linux's
     * USER_HZ). Near 0 on an otherwise idle machine; 0.5 on two cores means
     * another process held a whole core.
     */
    static double otherCpuShare(long[] before, long[] after, long ownCpuNanos) {
        final long total = after[1] - before[1];
        if (total <= 0) {
            return Double.NaN;
        }
        final double busyNanos = (after[0] - before[0]) * 10_000_000.0;
        return Math.max(0, (busyNanos - ownCpuNanos) / (total * 10_000_000.0));
    }

    /** The value of a top-level integral field in a child's one-line JSON report; 0 if absent. */
    static long longField(String json, String name) {
        final java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\"" + name + "\": (-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** A JSON string literal. */
    static String quote(String s) {
        final StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A JSON array of numbers. */
    static String array(double[] values) {
        final StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ").append(number(values[i]));
        }
        return b.append(']').toString();
    }

    /** A JSON array of strings. */
    static String array(List<String> values) {
        final StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
        }
        return b.append(']').toString();
    }

    /** A JSON number: integral values without a fraction; null for NaN or infinity. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
