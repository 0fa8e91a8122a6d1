package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Every .java file under {@code dir}. */
    static List<String> sources(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Runs {@code command} in {@code dir}, output captured to files (no pipe to fill), and returns how it ended. */
    static Outcome run(Path dir, List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        final Path out = Files.createTempFile(dir, "stdout-", ".txt");
        final Path err = Files.createTempFile(dir, "stderr-", ".txt");
        final Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command) + "\n"
                    + Files.readString(out) + Files.readString(err));
        }
        return new Outcome(command, process.exitValue(), Files.readString(out), Files.readString(err));
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
