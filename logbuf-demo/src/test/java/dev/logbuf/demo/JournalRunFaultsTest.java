package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.queue.WriteClaim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole run (producer threads, the channel, the receiver thread) over a
 * disk that fails part-way: the run rides it out and the journal verifies —
 * every record once, in each producer's order — or, when the failure lasts
 * longer than the retry window, the run fails and says what it could not
 * write. Two producers and a small ring: the stall shows as producers waiting
 * in {@code send}. Nothing here needs more than one core; timing assertions
 * are lower bounds only (a loaded machine makes waits longer, never shorter),
 * and a run that hangs fails at the generous time-out instead.
 */
@Timeout(300)
class JournalRunFaultsTest {

    private static final int RECORDS = 20_000;

    @TempDir
    Path dir;

    /** What the run told its monitor about failing writes. */
    private final List<String> notes = new ArrayList<>();
    private final JournalRun.Monitor monitor = new JournalRun.Monitor() {
        @Override
        public void update(long records, long payloadBytes, long elapsedNanos) {
        }

        @Override
        public void note(String note) {
            notes.add(note);
        }
    };

    private static JournalRun.Settings settings(Duration retryFor) {
        return new JournalRun.Settings(2, RECORDS, null, 8, 300, 11, retryFor);
    }

    @Test
    void shouldRideOutFailingWritesWithoutLosingOrRepeatingARecord() throws Exception {
        final Path file = dir.resolve("survives.lbj");
        // four writes in a row fail (each tearing its frames) from the 40th on; a stage smaller than the ring,
        // so that reads overflow it and some failures happen with a record in hand
        final FailingSink sink = new FailingSink(JournalSink.create(file), new FailingSink.Plan(4, 40));
        final JournalRun.Result result;
        try (JournalWriter journal = new JournalWriter(sink, 2048)) {
            result = JournalRun.run(settings(Duration.ofMinutes(5)), MpscChannel.create(4096), journal, monitor);
        }
        final JournalVerifier.Totals totals = JournalVerifier.verify(file, result.sent().records(), result.sent().bytes());
        assertEquals(RECORDS, totals.frames(), "every record written, none twice, each producer in order");
        assertArrayEquals(result.sent().records(), totals.records());
        assertEquals(RECORDS, result.frames());

        final JournalRun.Writes writes = result.writes();
        assertEquals(4, writes.failed(), writes::toString);
        assertEquals(4, sink.injected());
        assertEquals(1, writes.stalls(), writes::toString);
        assertEquals(4, writes.retries(), "one retry after each failure, the last one good: " + writes);
        assertTrue(writes.stalledNanos() >= TimeUnit.MILLISECONDS.toNanos(10 + 20 + 40 + 80),
                "the backoff was waited out: " + writes);
        // the ring filled during the stall: the producers waited in send for a good part of it
        assertTrue(result.sent().longestWaitNanos() >= TimeUnit.MILLISECONDS.toNanos(50),
                "longest wait in send " + result.sent().longestWaitNanos() + " ns over a stall of " + writes.stalledNanos());
        assertEquals(1, notes.size(), notes::toString);
        assertTrue(notes.get(0).startsWith("a journal write failed at byte ")
                && notes.get(0).contains("(injected write failure 1 of 4, at write #40)"), notes::toString);
    }

    @Test
    void shouldKeepTheRecordInHandThroughManyShortFailures() throws Exception {
        final Path file = dir.resolve("in-hand.lbj");
        // every 25th write fails, 20 times; the stage holds one 300-byte frame, so a read of two or more
        // records writes from inside the handler, and a failure there strikes with the next record in hand
        final ScriptedSink sink = new ScriptedSink(file);
        for (int n = 25; n <= 500; n += 25) {
            sink.tear(n, 200);
        }
        final JournalRun.Settings settings = new JournalRun.Settings(2, RECORDS / 2, null, 300, 300, 5,
                Duration.ofMinutes(5));
        final JournalRun.Result result;
        try (JournalWriter journal = new JournalWriter(sink, 512)) {
            result = JournalRun.run(settings, MpscChannel.create(4096), journal, monitor);
        }
        final JournalRun.Writes writes = result.writes();
        assertEquals(20, writes.failed(), writes::toString);
        assertEquals(20, writes.stalls(), writes::toString);
        assertTrue(writes.refused() > 0, "some failures struck with a record in hand: " + writes);
        final JournalVerifier.Totals totals = JournalVerifier.verify(file, result.sent().records(), result.sent().bytes());
        assertEquals(RECORDS / 2, totals.frames(), "each record in hand was written later, once, in order");
    }

    @Test
    void shouldPutBackARecordTakenAloneWhenItsWriteFails() throws Exception {
        final Path file = dir.resolve("alone.lbj");
        // 600-byte records, above the 512-byte stage: each goes straight from the ring, header then payload,
        // and a failed write refuses it. The receiver is idle before each one, so it takes it alone (recv())
        // and must put it back (ReadClaim.putBack()) for the retry
        final ScriptedSink sink = new ScriptedSink(file).fail(4).tear(9, 300).fail(14);
        final MpscChannel channel = MpscChannel.create(4096);
        final JournalRun.Writer writer;
        final Thread thread;
        try (JournalWriter journal = new JournalWriter(sink, 512)) {
            writer = new JournalRun.Writer(channel.receiver(), journal, new WriteRetry(Duration.ofMinutes(5)));
            thread = new Thread(writer, "journal-writer");
            thread.setDaemon(true); // a test that fails leaves it parked in recv()
            thread.start();
            try (MpscSender sender = channel.newSender()) {
                for (int seq = 0; seq < 10; seq++) {
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (writer.records.getOpaque() < seq) { // the previous one written, failures ridden out
                        assertTrue(System.nanoTime() - deadline < 0, "record " + (seq - 1) + " was never written");
                        Thread.sleep(1);
                    }
                    Thread.sleep(5); // long enough to park in recv()
                    try (WriteClaim claim = sender.send(600)) {
                        RecordPattern.fill(claim, RecordPattern.tag(0, seq));
                        claim.commit();
                    }
                    sender.wake();
                }
            }
            thread.join();
            assertEquals(null, writer.failure);
            assertEquals(3, journal.failedWrites());
            assertEquals(3, journal.refused(), "each failure left its record in the ring");
            journal.finish(new long[] {10}, new long[] {6000});
        }
        assertEquals(10, JournalVerifier.verify(file, new long[] {10}, new long[] {6000}).frames());
    }

    @Test
    void shouldGiveUpAfterTheRetryWindowAndSayHowManyRecordsWereNotWritten() throws Exception {
        final Path file = dir.resolve("gives-up.lbj");
        final FailingSink sink = new FailingSink(JournalSink.create(file), new FailingSink.Plan(Long.MAX_VALUE, 20));
        final JournalRun.RunFailedException e;
        final long held;
        try (JournalWriter journal = new JournalWriter(sink, 2048)) {
            e = assertThrows(JournalRun.RunFailedException.class,
                    () -> JournalRun.run(settings(Duration.ofMillis(200)), MpscChannel.create(4096), journal, monitor));
            held = journal.frames();
        } // closed: cut back to the last whole frame
        assertTrue(e.getCause() instanceof WriteRetry.GaveUpException, () -> String.valueOf(e.getCause()));
        final Matcher m = Pattern.compile("gave up: the journal's writes kept failing for (\\d+\\.\\d+) s \\(retry "
                + "window 0\\.200 s; last failure: injected write failure \\d+ of \\d+, at write #\\d+\\); "
                + "([\\d,]+) of ([\\d,]+) records sent are unwritten \\(([\\d,]+) staged in the writer, ([\\d,]+) left "
                + "in the ring\\); the journal holds the first ([\\d,]+), without its trailer").matcher(e.getMessage());
        assertTrue(m.matches(), e.getMessage());
        assertTrue(Double.parseDouble(m.group(1)) >= 0.2, e.getMessage());
        final long unwritten = number(m.group(2));
        final long sent = number(m.group(3));
        assertTrue(unwritten > 0, e.getMessage());
        assertEquals(sent, unwritten + number(m.group(6)), "written and unwritten make up what was sent");
        assertEquals(unwritten, number(m.group(4)) + number(m.group(5)), "unwritten: staged and in the ring");
        assertEquals(held, number(m.group(6)));
        assertEquals(1, notes.size(), notes::toString);

        final CorruptJournalException corrupt =
                assertThrows(CorruptJournalException.class, () -> JournalVerifier.verify(file));
        assertTrue(corrupt.getMessage().startsWith("truncated: the journal ends after frame #" + held + " "),
                corrupt.getMessage() + "; expected " + held + " whole frames and no torn one");
    }

    private static long number(String grouped) {
        return Long.parseLong(grouped.replace(",", ""));
    }
}
