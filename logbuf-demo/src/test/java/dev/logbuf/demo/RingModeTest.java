package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscQueue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-process mode's command line, both sides run in this JVM over a
 * ring file (each side maps it on its own, as two processes would):
 * outcomes, totals, exit statuses, one-line errors. {@code TwoProcessIT}
 * runs the same in two processes.
 */
@Timeout(120)
class RingModeTest {

    @TempDir
    Path dir;

    /** One command line's outcome. */
    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Run run(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = Journal.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    /** Starts {@code archive}, and returns once it holds the ring's consumer role (its first line is out). */
    private CompletableFuture<Run> archive(String... args) throws Exception {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Run> archive = CompletableFuture.supplyAsync(() -> new Run(
                Journal.execute(args, new PrintWriter(out, true), new PrintWriter(err, true)),
                out.toString(), err.toString()));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString().startsWith("logbuf-journal archive: ") && !archive.isDone()) {
            assertTrue(System.nanoTime() - deadline < 0, "the archiver never started: " + err);
            Thread.sleep(5);
        }
        return archive;
    }

    @Test
    void shouldSendIntoARingThatAnArchiverJournalsAndVerifiesWithTheSameTotals() throws Exception {
        final Path ring = dir.resolve("r.lbr");
        final Path journal = dir.resolve("j.lbj");
        final CompletableFuture<Run> archiving = archive("archive", ring.toString(), "--out", journal.toString(),
                "--records", "20000", "--capacity", "64k");
        final Run sent = run("--ring", ring.toString(), "-n", "20000", "-p", "3", "--no-progress");
        final Run archived = archiving.get(60, TimeUnit.SECONDS);
        assertEquals(0, sent.exit(), sent::toString);
        assertEquals(0, archived.exit(), archived::toString);
        assertEquals("", sent.err() + archived.err());

        assertTrue(archived.out().startsWith("logbuf-journal archive: shared MPSC ring of 64 KiB in " + ring
                + " (created) -> " + journal + "\n"), archived::toString);
        assertTrue(sent.out().startsWith("logbuf-journal: 3 producers (ids 0..2, pid " + ProcessHandle.current().pid()
                + ") -> shared MPSC ring of 64 KiB in " + ring + " (attached)\n"), sent::toString);
        assertTrue(sent.out().contains("  records     20,000 sent (payloads of 8..1024 bytes, seed 1994)\n"), sent::toString);
        assertTrue(archived.out().contains("  records     20,000 from 3 producers\n"), archived::toString);
        assertTrue(archived.out().contains("  stopped     the journal holds the 20,000 records expected\n"),
                archived::toString);
        assertTrue(archived.out().contains("  verify      VERIFIED: 20,000 frames, every checksum, 3 producers in "
                + "order, totals match"), archived::toString);
        assertTrue(archived.out().contains("  ring        20,000 records read; 0 dead claims recovered, 0 stalls; "),
                archived::toString);

        // what each producer says it sent is what the journal holds, record for record
        final JournalVerifier.Totals totals = JournalVerifier.verify(journal);
        final long[][] claimed = perProducer(sent.out(), 3);
        assertArrayEquals(claimed[0], totals.records(), sent::toString);
        assertArrayEquals(claimed[1], totals.bytes(), sent::toString);
        assertEquals("3\n", Files.readString(SharedRing.idsFile(ring)), "the next producing process starts at id 3");
    }

    @Test
    void shouldKeepWhatFitsInTheRingForALaterArchiverAndGiveEachProducingProcessItsOwnIds() {
        final Path ring = dir.resolve("later.lbr");
        for (int round = 0; round < 2; round++) {
            final Run sent = run("--ring", ring.toString(), "-n", "3000", "-p", "2", "--max-length", "100");
            assertEquals(0, sent.exit(), sent::toString);
            final int first = 2 * round;
            assertTrue(sent.out().contains("(ids " + first + ".." + (first + 1) + ", pid "), sent::toString);
            assertTrue(sent.out().contains("  producer " + first + "  1,500 records, "), sent::toString);
            assertTrue(Pattern.compile("  ring        [1-9][\\d,]* bytes not archived yet").matcher(sent.out()).find(),
                    sent::toString);
        }
        // one archiver takes both runs: four producers, each in order from 0
        final Path journal = dir.resolve("later.lbj");
        final Run archived = run("archive", ring.toString(), "-o", journal.toString(), "--until-idle", "100ms");
        assertEquals(0, archived.exit(), archived::toString);
        assertTrue(archived.out().contains("  records     6,000 from 4 producers\n"), archived::toString);
        assertTrue(archived.out().contains("  stopped     the ring was empty, with no producer attached, for 0.100 s\n"),
                archived::toString);
        assertTrue(archived.out().contains("VERIFIED: 6,000 frames, every checksum, 4 producers in order"),
                archived::toString);
    }

    @Test
    void shouldFailWithStatus3WhenTheRingGoesIdleBeforeTheRecordsExpected() {
        final Path ring = dir.resolve("short.lbr");
        assertEquals(0, run("--ring", ring.toString(), "-n", "50", "-p", "1").exit());
        final Run archived = run("archive", ring.toString(), "--records", "100", "--until-idle", "100ms");
        assertEquals(3, archived.exit(), archived::toString);
        assertTrue(archived.out().contains("VERIFIED: 50 frames"), archived::toString);
        assertEquals("logbuf-journal archive: only 50 of 100 records arrived: the ring was empty, with no producer "
                + "attached, for 0.100 s", archived.err().strip());
    }

    @Test
    void shouldGiveUpWhenTheRingStaysFullWithNoArchiver() {
        final Path ring = dir.resolve("full.lbr");
        final Run sent = run("--ring", ring.toString(), "-n", "100000", "-c", "4k", "--retry-for", "200ms");
        assertEquals(3, sent.exit(), sent::toString);
        final String[] lines = sent.err().strip().split("\n");
        assertEquals(2, lines.length, sent::toString);
        assertEquals("logbuf-journal: the ring is full and no archiver is attached: waiting up to 0.200 s for one "
                + "(logbuf-journal archive " + ring + ")", lines[0]);
        final Matcher gaveUp = Pattern.compile("logbuf-journal: gave up: the ring stayed full with no archiver "
                + "attached for 0\\.2\\d\\d s \\(--retry-for 0\\.200 s\\); ([\\d,]+) records sent, which stay in the "
                + "ring for an archiver").matcher(lines[1]);
        assertTrue(gaveUp.matches(), lines[1]);

        // and they do
        final Run archived = run("archive", ring.toString(), "--until-idle", "100ms");
        assertEquals(0, archived.exit(), archived::toString);
        assertTrue(archived.out().contains("VERIFIED: " + gaveUp.group(1) + " frames"), archived::toString);
    }

    @Test
    void shouldRefuseToArchiveARingWhoseConsumerIsTaken() throws Exception {
        final Path ring = dir.resolve("taken.lbr");
        try (Consumer taken = MpscQueue.createFile(ring, 4096).consumer()) {
            final Run archived = run("archive", ring.toString());
            assertEquals(3, archived.exit(), archived::toString);
            assertTrue(archived.err().startsWith("logbuf-journal archive: cannot archive " + ring + ": the consumer "
                    + "of this ring is already taken in this process (pid " + ProcessHandle.current().pid() + ")"),
                    archived::toString);
            assertEquals(1, archived.err().lines().count(), archived::toString);
        }
    }

    @Test
    void shouldRejectImpossibleOptionsInOneLine() throws Exception {
        final String ring = dir.resolve("o.lbr").toString();
        final Path text = Files.writeString(dir.resolve("text.txt"), "not a ring, and long enough to look at: "
                + "x".repeat(400));
        assertUsage("--out does not apply with --ring: the archiver writes the journal (logbuf-journal archive "
                + ring + " --out FILE)", "--ring", ring, "--out", dir.resolve("j.lbj").toString());
        assertUsage("--fail-writes does not apply with --ring", "--ring", ring, "--fail-writes", "3");
        assertUsage("--ring " + text + ": not a logbuf ring", "--ring", text.toString());
        assertUsage("--ring " + dir.resolve("tiny.lbr") + ": capacity 8 is not a power of two in 16..",
                "--ring", dir.resolve("tiny.lbr").toString(), "-c", "8");
        assertUsage("--max-length 5000 is above the ring's maxRecordLength() 4088 (capacity 4 KiB)",
                "--ring", dir.resolve("small.lbr").toString(), "-c", "4k", "--max-length", "5000");
        assertUsage("--producers must be 1..65536, not 0", "--ring", ring, "-p", "0");

        assertUsage("Missing required parameter: 'FILE'", "archive");
        assertUsage("--records must be at least 1, not 0", "archive", ring, "--records", "0");
        assertUsage("--until-idle must be positive, not PT0S", "archive", ring, "--until-idle", "0");
        assertUsage("--retry-for must not be negative, not PT-1S", "archive", ring, "--retry-for", "PT-1S");
        assertUsage("--resume needs the journal to go on with: --out FILE", "archive", ring, "--resume");
        assertUsage("FILE " + text + ": not a logbuf ring", "archive", text.toString());
        assertUsage("'soon' is not a duration", "archive", ring, "--until-idle", "soon");

        final String[] kafka = {"--bootstrap-server", "localhost:1", "--topic", "t"};
        assertUsage("Missing required options: '--bootstrap-server=HOST:PORT', '--topic=TOPIC'", "ship", ring);
        assertUsage("--records must be at least 1, not 0", concat(new String[] {"ship", ring, "-n", "0"}, kafka));
        assertUsage("--until-idle must be positive, not PT0S",
                concat(new String[] {"ship", ring, "--until-idle", "0"}, kafka));
        assertUsage("--timeout must be positive, not PT0S", concat(new String[] {"ship", ring, "--timeout", "0"}, kafka));
        assertUsage("RING " + text + ": not a logbuf ring", concat(new String[] {"ship", text.toString()}, kafka));
        assertUsage("--records must not be negative, not -1",
                concat(new String[] {"verify-topic", "--records", "-1"}, kafka));
        assertUsage("--timeout must be positive, not PT0S", concat(new String[] {"verify-topic", "--timeout", "0"}, kafka));

        final Path complete = dir.resolve("complete.lbj");
        try (JournalWriter journal = JournalWriter.create(complete)) {
            journal.finish(new long[0], new long[0]);
        }
        assertUsage("--resume: " + complete + " is complete (it ends with its trailer, after 0 records): archive "
                + "into a new journal", "archive", ring, "--resume", "--out", complete.toString());
        assertUsage("--resume: " + text + " cannot be resumed: not a logbuf journal", "archive", ring, "--resume",
                "--out", text.toString());
    }

    @Test
    void shouldHandOutProducerIdsInBlocks() throws Exception {
        final Path ring = dir.resolve("ids.lbr");
        assertEquals(0, SharedRing.reserveIds(ring, 3));
        assertEquals(3, SharedRing.reserveIds(ring, 1));
        assertEquals(4, SharedRing.reserveIds(ring, RecordPattern.MAX_PRODUCERS - 4));
        final JournalRun.RunFailedException e =
                assertThrows(JournalRun.RunFailedException.class, () -> SharedRing.reserveIds(ring, 1));
        assertTrue(e.getMessage().startsWith("no 1 producer ids left in " + SharedRing.idsFile(ring)), e.getMessage());
        Files.writeString(SharedRing.idsFile(ring), "seven\n");
        final IOException garbled = assertThrows(IOException.class, () -> SharedRing.reserveIds(ring, 1));
        assertTrue(garbled.getMessage().endsWith("holds \"seven\", not the next free producer id"), garbled.getMessage());
    }

    @Test
    void shouldPrintHelpForBothModes() {
        final Run help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--ring=FILE") && help.out().contains("archive"), help::toString);
        final Run archiveHelp = run("archive", "--help");
        assertEquals(0, archiveHelp.exit());
        assertTrue(archiveHelp.out().contains("Usage: logbuf-journal archive") && archiveHelp.out().contains(
                "--until-idle=TIME") && archiveHelp.out().contains("--resume"), archiveHelp::toString);
    }

    /** {records, bytes} by producer, from the producers' own lines ({@code producer N  R records, B payload bytes}). */
    private static long[][] perProducer(String out, int producers) {
        final long[][] counts = new long[2][producers];
        final Matcher m = Pattern.compile("  producer (\\d+) +([\\d,]+) records, ([\\d,]+) payload bytes, last "
                + "sequence ([\\d,]+)").matcher(out);
        int found = 0;
        while (m.find()) {
            final int id = Integer.parseInt(m.group(1));
            counts[0][id] = number(m.group(2));
            counts[1][id] = number(m.group(3));
            assertEquals(counts[0][id] - 1, number(m.group(4)), "last sequence");
            found++;
        }
        assertEquals(producers, found, out);
        return counts;
    }

    private static long number(String grouped) {
        return Long.parseLong(grouped.replace(",", ""));
    }

    private static String[] concat(String[] first, String[] second) {
        final String[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @Test
    void shipAndVerifyTopicShouldSayInOneLineWhenNoBrokerAnswers() throws Exception {
        final String ring = dir.resolve("k.lbr").toString();
        final Run shipped = run("ship", ring, "--bootstrap-server", "localhost:1", "--topic", "t", "--timeout", "1s");
        assertEquals(3, shipped.exit(), shipped::toString);
        assertTrue(shipped.err().startsWith("logbuf-journal ship: no Kafka broker answered at localhost:1 within PT1S "
                + "(is the address right, and is the broker up?); shipped 0 records before it"), shipped::toString);
        assertEquals(1, shipped.err().lines().count(), shipped::toString);
        final Run verified = run("verify-topic", "--bootstrap-server", "localhost:1", "--topic", "t", "--timeout", "1s");
        assertEquals(3, verified.exit(), verified::toString);
        assertEquals("logbuf-journal verify-topic: no Kafka broker answered at localhost:1 within PT1S (is the address "
                + "right, and is the broker up?)", verified.err().strip(), verified::toString);
    }

    private static void assertUsage(String expected, String... args) {
        final Run run = run(args);
        assertEquals(2, run.exit(), () -> String.join(" ", args) + "\n" + run);
        final String message = run.err().strip();
        assertTrue(message.startsWith("logbuf-journal") && message.contains(expected),
                () -> "expected \"" + expected + "\" in: " + message);
        assertEquals(1, message.lines().count(), message);
    }
}
