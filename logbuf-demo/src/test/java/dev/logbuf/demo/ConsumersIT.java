package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built jars serve both kinds of consumer: an application with a
 * {@code module-info} that {@code requires dev.logbuf.channel}, and a plain
 * class-path application. Each is compiled with the running JDK's javac and
 * run with its java, against target/modules (the jars {@code package} built).
 */
class ConsumersIT {

    private final Path modules = Launch.property("logbuf.modules");
    private final Path sources = Launch.property("logbuf.it.sources");
    private final Path work = Launch.property("logbuf.it.work");

    @Test
    void moduleConsumerCompilesAndRunsOnTheModulePath() throws Exception {
        final Path dir = work.resolve("module-consumer");
        final Path classes = dir.resolve("classes");
        final String modulePath = Launch.jar(modules, "logbuf-queue-") + File.pathSeparator
                + Launch.jar(modules, "logbuf-channel-");
        final List<String> javac = new ArrayList<>(List.of(Launch.jdkTool("javac"), "-Xlint:all", "-Werror",
                "--module-path", modulePath, "-d", classes.toString()));
        javac.addAll(Launch.sources(sources.resolve("module-consumer")));
        Launch.succeed(dir, javac);
        final Launch.Outcome run = Launch.succeed(dir, List.of(Launch.jdkTool("java"),
                "--module-path", modulePath + File.pathSeparator + classes,
                "--module", "example.consumer/example.consumer.Main"));
        assertTrue(run.out().startsWith("OK 20000 records via dev.logbuf.channel (requires transitive dev.logbuf.queue) from example.consumer"), run::toString);
        assertTrue(run.err().isEmpty(), run::toString);
    }

    @Test
    void classPathConsumerCompilesAndRunsAgainstTheSameJars() throws Exception {
        final Path dir = work.resolve("classpath-consumer");
        final Path classes = dir.resolve("classes");
        final String classPath = Launch.jar(modules, "logbuf-queue-") + File.pathSeparator
                + Launch.jar(modules, "logbuf-channel-");
        final List<String> javac = new ArrayList<>(List.of(Launch.jdkTool("javac"), "-Xlint:all", "-Werror",
                "--class-path", classPath, "-d", classes.toString()));
        javac.addAll(Launch.sources(sources.resolve("classpath-consumer")));
        Launch.succeed(dir, javac);
        final Launch.Outcome run = Launch.succeed(dir, List.of(Launch.jdkTool("java"),
                "--class-path", classPath + File.pathSeparator + classes, "example.classpath.Main"));
        assertTrue(run.out().startsWith("OK 20000 records via the class path (unnamed module"), run::toString);
        assertTrue(run.err().isEmpty(), run::toString);
    }
}
