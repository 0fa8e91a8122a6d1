package dev.logbuf.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM started by a test: the same {@code java} binary and class path
 * as the test JVM, one of this module's {@code *Process} classes as its main
 * class, {@code key=value} arguments (see {@link ChildMain}).
 *
 * <p>Its stdout is read line by line as it comes (the protocol: a first word
 * such as {@code CLAIMED} or {@code RESULT}, then {@code key=value} fields);
 * its stderr goes to {@code <name>.err} beside the ring file, and
 * {@link #describe()} puts both in failure messages. Every wait has a
 * time-out; {@link #close()} kills the child if it is still running, so a
 * test's {@code @AfterEach} leaves no process behind.
 */
final class Child implements AutoCloseable {

    /** How long a SIGKILLed child may take to be reaped. */
    private static final Duration REAP = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path stderr;
    private final Thread reader;
    /** Every stdout line so far; guarded by itself, notified on each line and at the end. */
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private Child(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::readStdout, "stdout of " + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} in a new JVM.
     *
     * @param name what the child is called in messages and in its stderr file name
     * @param dir where its stderr file goes
     * @param main the main class, from this module's test classes
     * @param args {@code key=value} arguments
     */
    static Child start(String name, Path dir, Class<?> main, List<String> args) throws IOException {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // small, quiet JVMs: two cores are shared by up to four of them
                "-XX:+UseSerialGC", "-Xmx128m",
                "-XX:-UsePerfData", // no hsperfdata file in /tmp
                "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        final Path stderr = dir.resolve(name + ".err");
        final Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .start();
        return new Child(name, process, stderr);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the first stdout line that starts with {@code prefix}.
     *
     * @return the line
     * @throws AssertionError if the child ends or the time runs out first
     */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        return awaitLine(line -> line.startsWith(prefix), "a line starting with " + prefix, timeout);
    }

    /**
     * Waits for the first stdout line that {@code matches}.
     *
     * @param what the line described, for the failure message
     * @return the line
     * @throws AssertionError if the child ends or the time runs out first
     */
    String awaitLine(Predicate<String> matches, String what, Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            for (int seen = 0;;) {
                for (; seen < lines.size(); seen++) {
                    if (matches.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                if (ended) {
                    process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS); // for its exit status
                    throw new AssertionError(name + " ended before printing " + what + "\n" + describe());
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + " printed no " + what + " within " + timeout + "\n" + describe());
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /**
     * Waits for the child to exit.
     *
     * @return its exit status
     * @throws AssertionError if it is still running after {@code timeout}
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + timeout + "\n" + describe());
        }
        reader.join(REAP.toMillis()); // its last lines
        return process.exitValue();
    }

    /** SIGKILLs the child and waits until it is reaped: from then on its pid is dead to everyone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " survived SIGKILL for " + REAP + "\n" + describe());
        }
        reader.join(REAP.toMillis());
    }

    /** Kills the child if it is still running, and waits (boundedly) until it is reaped. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the test is being stopped: leave the rest to its cleanup
        }
    }

    /** The fields of the last stdout line starting with {@code prefix}, or an empty map. */
    Map<String, String> lastFields(String prefix) {
        synchronized (lines) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith(prefix)) {
                    return ChildMain.fields(lines.get(i));
                }
            }
        }
        return Map.of();
    }

    /** Name, pid, state, the last stdout lines and the stderr tail: for failure messages. */
    String describe() {
        final StringBuilder s = new StringBuilder("--- ").append(name).append(" (pid ").append(process.pid())
                .append(", ").append(process.isAlive() ? "running" : "exit status " + process.exitValue())
                .append(")\n  stdout:");
        synchronized (lines) {
            final int from = Math.max(0, lines.size() - 12);
            if (from > 0) {
                s.append("\n    ... ").append(from).append(" lines");
            }
            for (String line : lines.subList(from, lines.size())) {
                s.append("\n    ").append(line);
            }
        }
        s.append("\n  stderr (").append(stderr.getFileName()).append("):");
        try {
            final String err = Files.readString(stderr, StandardCharsets.UTF_8);
            final String tail = err.length() > 6000 ? "..." + err.substring(err.length() - 6000) : err;
            s.append(tail.isBlank() ? " (empty)" : "\n" + tail.strip().indent(4).stripTrailing());
        } catch (IOException e) {
            s.append(" unreadable: ").append(e);
        }
        return s.toString();
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the pipe broke: the child is gone, which the waits report
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }
}
