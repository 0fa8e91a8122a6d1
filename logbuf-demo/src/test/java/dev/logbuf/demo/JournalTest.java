package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in process: outcomes, exit statuses, one-line errors. */
class JournalTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Journal.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void shouldRunVerifyAndDeleteItsTemporaryJournal() {
        assertEquals(0, run("-n", "20000", "-p", "3", "--no-progress"), err::toString);
        final String summary = out.toString();
        assertTrue(summary.contains("records     20,000 "), summary);
        assertTrue(summary.contains("VERIFIED: 20,000 frames"), summary);
        assertTrue(summary.contains("3 producers in order"), summary);
        assertTrue(summary.contains("MB/s") && summary.contains("records/s") && summary.contains("ring full"), summary);
        // the channel's own counters: every record committed was received; nothing died, nothing stalled
        assertTrue(summary.contains("channel     20,000 committed, 20,000 received;"), summary);
        assertTrue(summary.contains(" 0 dead claims recovered, 0 stalls;"), summary);
        final Matcher file = Pattern.compile("-> (\\S+\\.lbj) \\(deleted afterwards\\)").matcher(summary);
        assertTrue(file.find(), summary);
        assertFalse(Files.exists(Path.of(file.group(1))), "the temporary journal is deleted");
        assertEquals("", err.toString());
    }

    @Test
    void shouldKeepTheJournalItWasToldToWriteAndVerifyItLater() {
        final Path file = dir.resolve("kept.lbj");
        assertEquals(0, run("-n", "5000", "--out", file.toString(), "--min-length", "100", "--max-length", "200",
                "-c", "4k"), err::toString);
        assertTrue(Files.exists(file));
        assertEquals(0, run("verify", file.toString()), err::toString);
        assertTrue(out.toString().contains(file + ": VERIFIED: 5,000 frames"), out::toString);
    }

    @Test
    void shouldRunForADuration() {
        assertEquals(0, run("-d", "300ms", "-p", "2", "-c", "64k"), err::toString);
        assertTrue(out.toString().contains("VERIFIED"), out::toString);
    }

    @Test
    void shouldCarryRecordsAsLongAsTheRingAllows() {
        assertEquals(0, run("-n", "300", "-c", "16", "--min-length", "8", "--max-length", "8"), err::toString);
        assertEquals(0, run("-n", "50", "-c", "1k", "--min-length", "1016", "--max-length", "1016"), err::toString);
    }

    @Test
    void shouldRejectImpossibleOptionsInOneLine() {
        assertUsage("--producers must be 1..65536, not 0", "-p", "0");
        assertUsage("--max-length 5000 is above the ring's maxRecordLength() 4088 (capacity 4 KiB)",
                "--max-length", "5000", "-c", "4k");
        assertUsage("--max-length 10 is below --min-length 20", "--min-length", "20", "--max-length", "10");
        assertUsage("--min-length must be at least 8", "--min-length", "7");
        assertUsage("--capacity: ", "-c", "8");
        assertUsage("'4x' is not a size", "-c", "4x");
        assertUsage("mutually exclusive", "-n", "5", "-d", "1s");
        assertUsage("Unknown option: '--frobnicate'", "--frobnicate");
        assertUsage("cannot write the journal: " + dir.resolve("no/such/dir/j.lbj") + ": no such file or directory",
                "--out", dir.resolve("no/such/dir/j.lbj").toString());
    }

    @Test
    void shouldReportAMissingJournal() {
        assertEquals(3, run("verify", dir.resolve("missing.lbj").toString()));
        assertEquals("logbuf-journal verify: " + dir.resolve("missing.lbj") + ": no such file or directory",
                err.toString().strip());
    }

    @Test
    void shouldReportACorruptJournal() throws Exception {
        final Path file = dir.resolve("corrupt.lbj");
        assertEquals(0, run("-n", "1000", "--out", file.toString()));
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertEquals(1, run("verify", file.toString()));
        final String message = err.toString().strip();
        assertTrue(message.matches("logbuf-journal verify: NOT VERIFIED: frame #\\d+ at offset \\d+: .*"), message);
        assertEquals(1, message.lines().count());
    }

    @Test
    void shouldPrintHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("Usage: logbuf-journal"), out::toString);
        assertTrue(out.toString().contains("verify"), out::toString);
    }

    private void assertUsage(String expected, String... args) {
        err.getBuffer().setLength(0);
        assertEquals(2, run(args), () -> String.join(" ", args));
        final String message = err.toString().strip();
        assertTrue(message.startsWith("logbuf-journal: ") && message.contains(expected),
                () -> "expected \"" + expected + "\" in: " + message);
        assertEquals(1, message.lines().count(), message);
    }
}
