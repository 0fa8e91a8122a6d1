package dev.logbuf.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The soak run in process on a small ring (64 KiB: it wraps and fills all
 * the time) with a small count: every variant passes with exact totals, and
 * an injected fault makes it fail. The time-outs only bound a hang; nothing
 * here depends on timing or on the number of cores.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SoakTest {

    private static final long RECORDS = 200_000;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            return Soak.run(args, out, err);
        }
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private static SoakRun.Result soak(String... args) throws Exception {
        final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return SoakRun.run(SoakOptions.parse(args), quiet);
    }

    private static String describe(SoakRun.Result r) {
        return "sent " + r.sentRecords + "/" + r.sentBytes + " received " + r.receivedRecords + "/" + r.receivedBytes
                + " lost=" + r.lost + " duplicated=" + r.duplicated + " reordered=" + r.reordered
                + " corrupted=" + r.corrupted + " abortedSeen=" + r.abortedSeen + " mismatchedIds=" + r.mismatchedIds
                + " disconnected=" + r.disconnected + " failures=" + r.failures + " errors=" + r.errors;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void shouldPassEveryVariantWithExactTotals(Variant variant) throws Exception {
        final SoakRun.Result r = soak("--variant", variant.label(), "--records", Long.toString(RECORDS),
                "--ring", "64k", "--churn-max", "2000", "--progress", "0");
        assertTrue(r.passed(), () -> describe(r));
        assertEquals(RECORDS, r.sentRecords, () -> describe(r));
        assertEquals(RECORDS, r.receivedRecords, () -> describe(r));
        assertEquals(r.sentBytes, r.receivedBytes, () -> describe(r));
        assertTrue(r.sentBytes >= 8 * RECORDS && r.sentBytes <= 1024 * RECORDS, () -> describe(r));
        assertTrue(r.disconnected);
        assertEquals(0, r.afterDisconnect);
        assertEquals(0, r.lost + r.duplicated + r.reordered + r.corrupted + r.abortedSeen + r.mismatchedIds);
        if (variant.aborts()) {
            // 1 % of about 200,000 claims; the seed fixes the draws, so this is not luck
            assertTrue(r.aborted > 1000 && r.aborted < 3000, () -> "aborted " + r.aborted);
        } else {
            assertEquals(0, r.aborted);
        }
        if (variant.churn()) {
            // 50,000 records per thread in incarnations of 1..2000 records: dozens each
            assertTrue(r.senderIds > 4 * 20, () -> "sender ids " + r.senderIds);
        } else {
            assertEquals(4, r.senderIds);
        }
    }

    @Test
    void shouldPassReceivingRecordByRecordWithRecv() throws Exception {
        final SoakRun.Result r = soak("--variant", "all", "--records", "100000", "--ring", "64k",
                "--batch", "0", "--senders", "3", "--churn-max", "500", "--progress", "0");
        assertTrue(r.passed(), () -> describe(r));
        assertEquals(100_000, r.receivedRecords);
    }

    @Test
    void shouldPassWithRecordsAsLongAsTheRingAllows() throws Exception {
        // every record fills the ring: each claim waits for the one before it to be released
        final SoakRun.Result r = soak("--records", "20000", "--ring", "1k", "--min-length", "1016",
                "--max-length", "1016", "--senders", "2", "--progress", "0");
        assertTrue(r.passed(), () -> describe(r));
        assertEquals(20_000L * 1016, r.receivedBytes);
    }

    @Test
    void shouldStopAfterTheGivenTime() throws Exception {
        final SoakRun.Result r = soak("--variant", "all", "--seconds", "0.3", "--ring", "64k", "--progress", "0");
        assertTrue(r.passed(), () -> describe(r));
        assertTrue(r.receivedRecords > 0);
        assertEquals(r.sentRecords, r.receivedRecords);
        // incarnations shorter than the deadline's check interval still stop on time
        final SoakRun.Result churn = soak("--variant", "churn", "--seconds", "0.3", "--churn-max", "10",
                "--ring", "64k", "--progress", "0");
        assertTrue(churn.passed(), () -> describe(churn));
        assertTrue(churn.senderIds > 4);
    }

    @Test
    void shouldPrintASummaryAndPassFromTheCommandLine() {
        assertEquals(Soak.PASSED, run("--variant", "all", "--records", "5e4", "--ring", "64k"), this::out);
        final String out = out();
        assertTrue(out.startsWith("logbuf-soak: variant all, 4 senders -> MPSC ring of 64 KiB"), out);
        assertTrue(out.contains("  records    50,000 committed, 50,000 received"), out);
        assertTrue(out.contains("records/s") && out.contains("GB/s") && out.contains("elapsed"), out);
        assertTrue(out.contains("lost=0 duplicated=0 reordered=0 corrupted=0 aborted="), out);
        assertTrue(out.contains("abortedSeen=0 mismatchedIds=0"), out);
        assertTrue(out.contains("disconnect seen after the drain"), out);
        assertTrue(out.endsWith("SOAK PASSED" + System.lineSeparator()), out);
        assertEquals("", err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"skip:lost=1", "duplicate:duplicated=1", "reorder:reordered=1", "corrupt:corrupted=1",
        "show-aborted:abortedSeen=1"})
    void shouldFailWhenAFaultIsInjected(String faultAndCount) {
        final String[] parts = faultAndCount.split(":");
        final int status = run("--records", "100000", "--ring", "64k", "--inject", parts[0]);
        final String out = out();
        assertEquals(Soak.FAILED, status, out);
        assertTrue(out.contains(" " + parts[1] + " "), out);
        assertTrue(out.contains("  failure    "), out);
        assertTrue(out.endsWith("SOAK FAILED" + System.lineSeparator()), out);
    }

    @Test
    void shouldListItsOptions() {
        assertEquals(Soak.PASSED, run("--help"));
        for (String option : new String[] {"--variant", "--records", "--seconds", "--senders", "--ring", "--seed",
            "--min-length", "--max-length", "--abort-rate", "--churn-max", "--batch", "--progress"}) {
            assertTrue(out().contains(option), option);
        }
        assertFalse(out().contains("logbuf-soak: variant"), "--help runs nothing");
    }

    @Test
    void shouldRejectBadOptionsWithStatus2() {
        assertUsage("unknown option --frobnicate", "--frobnicate");
        assertUsage("unknown option --frobnicate", "--frobnicate", "1");
        assertUsage("--variant must be plain, aborts, churn or all, not 'fast'", "--variant", "fast");
        assertUsage("--records: 'many' is not a number", "--records", "many");
        assertUsage("--records: '1.5' is not a whole number", "--records", "1.5");
        assertUsage("--records must be at least 1, not 0", "--records", "0");
        assertUsage("--records: '1e30' is too large", "--records", "1e30");
        assertUsage("--senders must be 1..4096, not 0", "--senders", "0");
        assertUsage("--ring: '2x' is not a size", "--ring", "2x");
        assertUsage("--ring must be 16 bytes..1 GiB, not 2g", "--ring", "2g");
        assertUsage("--max-length 1024 does not fit the ring: at most 1016 for a ring of 1024 bytes", "--ring", "1k");
        assertUsage("--max-length 9 is below --min-length 10", "--min-length", "10", "--max-length", "9");
        assertUsage("--min-length must be 8..", "--min-length", "7");
        assertUsage("--seconds must be", "--seconds", "-1");
        assertUsage("--seconds needs a value", "--seconds");
        assertUsage("unexpected argument 'plain'", "plain");
        assertUsage("--inject must be", "--inject", "gremlins");
    }

    private void assertUsage(String message, String... args) {
        outBytes.reset();
        errBytes.reset();
        assertEquals(Soak.USAGE, run(args), () -> String.join(" ", args) + ": " + out() + err());
        assertTrue(err().startsWith("soak: " + message), err());
        assertTrue(err().trim().endsWith("(see --help)"), err());
        assertEquals("", out());
    }

    @Test
    void shouldReadCountsAsPeopleWriteThem() throws Exception {
        for (String n : new String[] {"1000000000", "1e9", "1E9", "1_000_000_000", "1,000,000,000", "1.0e9"}) {
            assertEquals(1_000_000_000L, SoakOptions.parse("--records", n).records, n);
        }
        assertEquals(2_500_000L, SoakOptions.parse("--records=2.5e6").records);
        assertEquals(64 * 1024, SoakOptions.parse("--ring", "64KiB").capacity());
        assertEquals(2 << 20, SoakOptions.parse("--ring", "2m").capacity());
        assertEquals(1 << 17, SoakOptions.parse("--ring", "100000").capacity(), "rounded up to a power of two");
        final SoakOptions timed = SoakOptions.parse("--seconds", "1.5");
        assertEquals(0, timed.records, "the time alone bounds the run");
        assertEquals(1_500_000_000L, timed.nanos);
        final SoakOptions both = SoakOptions.parse("--seconds", "600", "--records", "1e9");
        assertEquals(1_000_000_000L, both.records);
        final SoakOptions defaults = SoakOptions.parse();
        assertEquals(Variant.PLAIN, defaults.variant);
        assertEquals(4, defaults.senders);
        assertEquals(2 << 20, defaults.capacity());
        assertEquals(SoakOptions.DEFAULT_RECORDS, defaults.records);
        assertThrows(SoakOptions.UsageException.class, () -> SoakOptions.parse("--records", "-5"));
    }
}
