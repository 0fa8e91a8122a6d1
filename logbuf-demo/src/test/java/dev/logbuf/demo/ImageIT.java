package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The jlink image as it ships (target/image): it holds exactly the expected
 * modules, runs the journal to VERIFIED (also through injected write
 * failures), and its verify command names the frame of a journal with one
 * flipped byte.
 */
class ImageIT {

    private final Path image = Launch.property("logbuf.image");
    private final Path work = Launch.property("logbuf.it.work").resolve("image");

    private String launcher() {
        return image.resolve("bin").resolve("logbuf-journal").toString();
    }

    @Test
    void imageHoldsOnlyTheExpectedModules() throws Exception {
        final Launch.Outcome listed = Launch.succeed(work,
                List.of(image.resolve("bin").resolve("java").toString(), "--list-modules"));
        final Set<String> modules = listed.out().lines().map(line -> line.replaceFirst("@.*", ""))
                .collect(Collectors.toSet());
        // the JDK modules beyond java.base are the Kafka client's, for bin/logbuf-journal-kafka (java.naming is
        // java.security.jgss's); no logbuf-kafka and no Kafka client: they cannot be linked
        assertEquals(Set.of("java.base", "dev.logbuf.queue", "dev.logbuf.channel", "dev.logbuf.demo", "info.picocli",
                "java.logging", "java.management", "java.naming", "java.security.jgss", "java.security.sasl",
                "jdk.unsupported"), modules, listed::toString);
    }

    @Test
    void imageRunsTheJournalToVerifiedAndSpotsAFlippedByte() throws Exception {
        final Path journal = work.resolve("image.lbj");
        final Launch.Outcome run = Launch.succeed(work,
                List.of(launcher(), "--records", "20000", "--producers", "3", "--out", journal.toString()));
        assertTrue(run.out().contains("records     20,000 "), run::toString);
        assertTrue(run.out().contains("verify      VERIFIED: 20,000 frames"), run::toString);
        assertEquals("", run.err(), run::toString);

        final Launch.Outcome verified = Launch.succeed(work, List.of(launcher(), "verify", journal.toString()));
        assertTrue(verified.out().contains("VERIFIED: 20,000 frames"), verified::toString);

        final Path corrupt = work.resolve("corrupt.lbj");
        final byte[] bytes = Files.readAllBytes(journal);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(corrupt, bytes);
        final Launch.Outcome failed = Launch.run(work, List.of(launcher(), "verify", corrupt.toString()));
        assertEquals(1, failed.exit(), failed::toString);
        assertTrue(failed.err().matches("logbuf-journal verify: NOT VERIFIED: frame #\\d+ at offset \\d+: .*\\R"),
                failed::toString);
        assertTrue(failed.out().isEmpty(), failed::toString);
    }

    @Test
    void imageRidesOutInjectedWriteFailuresToVerified() throws Exception {
        final Path journal = work.resolve("faults.lbj");
        final Launch.Outcome run = Launch.succeed(work, List.of(launcher(), "--records", "20000", "--producers", "3",
                "--capacity", "16k", "--fail-writes", "5@20", "--out", journal.toString()));
        assertTrue(run.out().contains("verify      VERIFIED: 20,000 frames"), run::toString);
        assertTrue(run.out().contains("faults      5 of "), run::toString);
        assertTrue(run.out().contains(" in all, 5 retries; "), run::toString);
        assertTrue(run.out().contains(" writes failed (injected: 5 writes from write #20); receiving paused 1 time, "),
                run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().startsWith("logbuf-journal: a journal write failed at byte "), run::toString);
        final Launch.Outcome verified = Launch.succeed(work, List.of(launcher(), "verify", journal.toString()));
        assertTrue(verified.out().contains("VERIFIED: 20,000 frames"), verified::toString);
    }

    @Test
    void imageAnswersBadInputWithOneLineAndNoStackTrace() throws Exception {
        final List<List<String>> cases = List.of(
                List.of(launcher(), "verify", work.resolve("missing.lbj").toString()),
                List.of(launcher(), "verify", image.resolve("release").toString()),
                List.of(launcher(), "--producers", "0"),
                List.of(launcher(), "--fail-writes", "0"),
                List.of(launcher(), "--capacity", "4k", "--max-length", "4089"),
                List.of(launcher(), "--out", work.resolve("no/such/dir/x.lbj").toString()));
        for (List<String> command : cases) {
            final Launch.Outcome outcome = Launch.run(work, command);
            assertTrue(outcome.exit() > 0, outcome::toString);
            assertEquals(1, outcome.err().lines().count(), outcome::toString);
            assertFalse(outcome.err().contains("Exception") || outcome.err().contains("\tat "), outcome::toString);
            assertTrue(outcome.err().startsWith("logbuf-journal"), () -> Arrays.toString(command.toArray()));
        }
    }
}
