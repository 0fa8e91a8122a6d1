package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
    void shouldRideOutInjectedWriteFailuresAndStillVerify() {
        assertEquals(0, run("-n", "20000", "-p", "2", "-c", "16k", "--fail-writes", "4@30", "--no-progress"),
                err::toString);
        final String summary = out.toString();
        assertTrue(summary.contains("VERIFIED: 20,000 frames"), summary);
        assertTrue(summary.contains("channel     20,000 committed, 20,000 received;"), summary);
        final Matcher faults = Pattern.compile("  faults      4 of [\\d,]+ writes failed \\(injected: 4 writes from "
                + "write #30\\); receiving paused 1 time, (\\d+\\.\\d+) s in all, 4 retries; [\\d,]+ records? put back in "
                + "the ring")
                .matcher(summary);
        assertTrue(faults.find(), summary);
        assertTrue(Double.parseDouble(faults.group(1)) >= 0.150, "10 + 20 + 40 + 80 ms of backoff: " + summary);
        // one line when the stall starts, none per retry
        final String stall = err.toString().strip();
        assertEquals(1, stall.lines().count(), stall);
        assertTrue(stall.startsWith("logbuf-journal: a journal write failed at byte ")
                && stall.contains("(injected write failure 1 of 4, at write #30)")
                && stall.endsWith("retrying for up to 30.000 s"), stall);
    }

    @Test
    void shouldRideOutFailuresOfTheTrailerWrite() {
        // no records: the one write is the magic and the trailer, written by the main thread
        assertEquals(0, run("-n", "0", "--fail-writes", "3", "--no-progress"), err::toString);
        assertTrue(out.toString().contains("VERIFIED: 0 frames"), out::toString);
        assertTrue(out.toString().contains("faults      3 of 4 writes failed (injected: 3 writes from write #1); "
                + "receiving paused 1 time, "), out::toString);
        assertTrue(err.toString().startsWith("logbuf-journal: a journal write failed at byte 0 "), err::toString);
        assertEquals(1, err.toString().lines().count(), err::toString);
    }

    @Test
    void shouldFailWithStatus3AndCountWhatWasNotWrittenWhenWritesFailLongerThanTheRetryWindow() {
        final Path file = dir.resolve("given-up.lbj");
        assertEquals(3, run("-n", "20000", "-c", "16k", "--fail-writes", "1000000@10", "--retry-for", "200ms",
                "--out", file.toString()), out::toString);
        assertFalse(out.toString().contains("verify"), out::toString);
        final List<String> lines = err.toString().lines().collect(Collectors.toList());
        assertEquals(2, lines.size(), err::toString);
        assertTrue(lines.get(0).startsWith("logbuf-journal: a journal write failed at byte ")
                && lines.get(0).endsWith("retrying for up to 0.200 s"), lines::toString);
        final Matcher gaveUp = Pattern.compile("logbuf-journal: gave up: the journal's writes kept failing for "
                + "\\d+\\.\\d+ s \\(retry window 0\\.200 s; last failure: injected write failure \\d+ of 1000000, at "
                + "write #\\d+\\); ([\\d,]+) of ([\\d,]+) records sent are unwritten \\(([\\d,]+) staged in the writer, "
                + "([\\d,]+) left in the ring\\); the journal holds the first ([\\d,]+), without its trailer")
                .matcher(lines.get(1));
        assertTrue(gaveUp.matches(), lines.get(1));
        final long unwritten = number(gaveUp.group(1));
        final long held = number(gaveUp.group(5));
        assertTrue(unwritten > 0, lines.get(1));
        assertEquals(number(gaveUp.group(2)), unwritten + held, lines.get(1));
        assertEquals(unwritten, number(gaveUp.group(3)) + number(gaveUp.group(4)), lines.get(1));

        // the journal it kept ends at its last whole frame, and verify says so
        err.getBuffer().setLength(0);
        assertEquals(1, run("verify", file.toString()));
        assertTrue(err.toString().contains("NOT VERIFIED: truncated: the journal ends after frame #" + held + " "),
                err::toString);
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
        for (String plan : new String[] {"0", "0@5", "3@0", "3@", "@3", "x", "-1", "3@-1", "2.5", "99999999999999999999"}) {
            assertUsage("'" + plan + "' is not a number of failing writes, optionally @ the write to start at, "
                    + "both from 1 (examples: 5, 5@100)", "--fail-writes", plan);
        }
        assertUsage("'soon' is not a duration", "--retry-for", "soon");
        assertUsage("--retry-for must not be negative, not PT-1S", "--retry-for", "PT-1S");
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
        assertTrue(out.toString().contains("--fail-writes=N[@M]") && out.toString().contains("--retry-for=TIME"),
                out::toString);
        assertTrue(out.toString().contains("When a write fails, nothing is lost"), out::toString);
    }

    private static long number(String grouped) {
        return Long.parseLong(grouped.replace(",", ""));
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
