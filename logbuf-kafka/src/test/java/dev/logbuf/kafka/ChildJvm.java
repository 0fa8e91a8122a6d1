package dev.logbuf.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that runs a test main class in a JVM of its own: this JVM's java binary and class path. */
final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code java <flags> -cp <this class path> <main> <args>}. */
    static List<String> command(Class<?> main, String... args) {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-XX:-UsePerfData"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as the test JVM: the Kafka client uses it
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
