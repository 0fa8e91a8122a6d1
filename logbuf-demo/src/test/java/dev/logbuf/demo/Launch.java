package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Runs a tool of the running JDK, or the image's launcher, as a user would: in a separate process. */
final class Launch {

    /** Generous: the machine may be a loaded two-core box. */
    private static final long TIMEOUT_SECONDS = 180;

    /** How a process ended. */
    record Outcome(List<String> command, int exit, String out, String err) {
        @Override
        public String toString() {
            return String.join(" ", command) + "\nexit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Launch() {
    }

    /** A directory named by a system property the pom sets (see logbuf-demo/pom.xml). */
    static Path property(String name) {
        final String value = System.getProperty(name);
        assertTrue(value != null, () -> "system property " + name + " is not set: run through `mvn verify`");
        return Path.of(value);
    }

    /** A tool of the JDK running the tests: javac, java, jar. */
    static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** The one file in {@code dir} whose name starts with {@code prefix} and ends with .jar. */
    static Path jar(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            final List<Path> jars = files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".jar")).collect(Collectors.toList());
            assertTrue(jars.size() == 1, () -> "expected one " + prefix + "*.jar in " + dir + ": " + jars);
            return jars.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates {@code dir} if absent and deletes the files in it, for a test that starts afresh. */
    static void emptyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
    }

    /**
     * The journal in the image: the image's {@code java} running the journal's
     * module, as the {@code bin/logbuf-journal} launcher does (a shell script
     * that does not {@code exec}: a SIGKILL must reach the JVM itself).
     */
    static List<String> imageJournal(Path image, String... args) {
        final List<String> command = new ArrayList<>(List.of(image.resolve("bin").resolve("java").toString(),
                "-m", "dev.logbuf.demo/dev.logbuf.demo.Journal"));
        command.addAll(List.of(args));
        return command;
    }

    /** Every .java file under {@code dir}. */
    static List<String> sources(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** A process that {@link #start} started, its output going to files. */
    record Running(List<String> command, Process process, Path out, Path err) {
        /** What it has written to stdout so far. */
        String outSoFar() throws IOException {
            return Files.readString(out);
        }
    }

    /** Runs {@code command} in {@code dir}, output captured to files (no pipe to fill), and returns how it ended. */
    static Outcome run(Path dir, List<String> command) throws IOException, InterruptedException {
        return finish(start(dir, command));
    }

    /** Starts {@code command} in {@code dir}, output captured to files; {@link #finish} waits for it. */
    static Running start(Path dir, List<String> command) throws IOException {
        Files.createDirectories(dir);
        final Path out = Files.createTempFile(dir, "stdout-", ".txt");
        final Path err = Files.createTempFile(dir, "stderr-", ".txt");
        final Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Running(command, process, out, err);
    }

    /** Waits for a started process to end (killing it after the time-out), and returns how it ended. */
    static Outcome finish(Running running) throws IOException, InterruptedException {
        final Process process = running.process();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", running.command()) + "\n"
                    + Files.readString(running.out()) + Files.readString(running.err()));
        }
        return new Outcome(running.command(), process.exitValue(), Files.readString(running.out()),
                Files.readString(running.err()));
    }

    /**
     * Waits until {@code condition} holds, looking every few milliseconds;
     * fails if {@code running} ends first, or after {@code seconds}.
     */
    static void await(Running running, String what, long seconds, Condition condition) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.holds()) {
            if (!running.process().isAlive()) {
                fail("ended before " + what + ":\n" + finish(running));
            }
            if (System.nanoTime() - deadline >= 0) {
                running.process().destroyForcibly().waitFor();
                fail("not " + what + " after " + seconds + " s:\n" + finish(running));
            }
            Thread.sleep(2);
        }
    }

    /** What {@link #await} waits for. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Kills a started process with SIGKILL, as {@code kill -9} would, and waits until it is gone. */
    static void kill(Running running) throws InterruptedException {
        running.process().destroyForcibly().waitFor();
    }

    /** Runs {@code command} and fails unless it exits 0. */
    static Outcome succeed(Path dir, List<String> command) throws IOException, InterruptedException {
        final Outcome outcome = run(dir, command);
        if (outcome.exit() != 0) {
            fail("expected exit 0:\n" + outcome);
        }
        return outcome;
    }
}
