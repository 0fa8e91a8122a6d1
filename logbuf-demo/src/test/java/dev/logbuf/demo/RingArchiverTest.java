package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.WriteClaim;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archiver's loop on one ring, step by step: every read is written
 * before the ring has it back (also through failing writes), a resumed
 * journal's records are skipped when they are read again, and it stops at
 * the records expected or when the ring goes idle. The ring here is a queue
 * in this process, filled before the archiver starts: the archiver's code
 * does not change with where the ring lives.
 */
@Timeout(60)
class RingArchiverTest {

    private static final Duration IDLE = Duration.ofMillis(50);

    @TempDir
    Path dir;

    private final JournalRun.Monitor monitor = new JournalRun.Monitor() {
        @Override
        public void update(long records, long payloadBytes, long elapsedNanos) {
        }

        @Override
        public void note(String line) {
        }
    };

    /** A ring holding {@code count} records of each producer, sequences from {@code from}; the producers closed. */
    private static MpscQueue ring(int producers, long from, long count) {
        final MpscQueue queue = MpscQueue.create(1 << 20);
        final MpscProducer[] handles = new MpscProducer[producers];
        for (int p = 0; p < producers; p++) {
            handles[p] = queue.newProducer(); // all at once: once every handle has closed, the queue takes no more
        }
        for (long seq = from; seq < from + count; seq++) {
            for (int p = 0; p < producers; p++) {
                try (WriteClaim claim = handles[p].tryClaim(length(seq))) {
                    RecordPattern.fill(claim, RecordPattern.tag(p, seq));
                    claim.commit();
                }
            }
        }
        for (MpscProducer handle : handles) {
            handle.close();
        }
        return queue;
    }

    private static int length(long seq) {
        return RecordPattern.MIN_LENGTH + (int) (seq * 37 % 300);
    }

    @Test
    void shouldWriteEveryReadBeforeTheRingHasItBack() throws Exception {
        final Path file = dir.resolve("written-first.lbj");
        final MpscQueue queue = ring(2, 0, 1000);
        final Watching sink = new Watching(JournalSink.create(file), queue);
        final RingArchiver.Result result;
        try (JournalWriter journal = new JournalWriter(sink, JournalWriter.STAGE_BYTES)) {
            sink.journal = journal;
            result = RingArchiver.run(queue.consumer(), journal, null,
                    new RingArchiver.Settings(0, IDLE, Duration.ofSeconds(5)), monitor);
        }
        assertEquals(RingArchiver.Stop.IDLE, result.stop());
        assertEquals(2000, result.frames());
        assertArrayEquals(new long[] {1000, 1000}, result.records());
        assertEquals(2000, JournalVerifier.verify(file, result.records(), result.bytes()).frames());
        assertTrue(sink.writes.size() >= 2000 / JournalRun.READ_LIMIT, "one write per read: " + sink.writes.size());
        for (long[] write : sink.writes) {
            assertEquals(write[1], write[0], "at each write the ring has given back exactly the records written "
                    + "before it, none of those it writes now");
        }
    }

    @Test
    void shouldKeepTheReadInTheRingWhileItsWritesFailAndLoseNothing() throws Exception {
        final Path file = dir.resolve("failing.lbj");
        final MpscQueue queue = ring(2, 0, 1000);
        final Watching sink = new Watching(new FailingSink(JournalSink.create(file), new FailingSink.Plan(4, 3)),
                queue);
        final RingArchiver.Result result;
        try (JournalWriter journal = new JournalWriter(sink, 2048)) { // smaller than a read: writes inside it too
            sink.journal = journal;
            result = RingArchiver.run(queue.consumer(), journal, null,
                    new RingArchiver.Settings(0, IDLE, Duration.ofSeconds(30)), monitor);
        }
        assertEquals(4, result.writes().failed(), result.writes()::toString);
        assertEquals(4, result.writes().retries(), result.writes()::toString);
        assertEquals(2000, JournalVerifier.verify(file, result.records(), result.bytes()).frames());
        for (long[] write : sink.writes) {
            assertTrue(write[0] <= write[1], "nothing given back before it was written (consumed, written): "
                    + write[0] + ", " + write[1]);
        }
    }

    @Test
    void shouldSkipWhatAResumedJournalHoldsWhenItIsReadAgain() throws Exception {
        final Path file = dir.resolve("resumed.lbj");
        try (JournalWriter journal = JournalWriter.create(file)) { // an archiver killed after 10 records of 0
            for (long seq = 0; seq < 10; seq++) {
                final MpscQueue one = ring(1, seq, 1);
                one.consumer().read(journal::offer, 1);
            }
            assertTrue(journal.flush());
        }
        final JournalVerifier.Totals held = JournalVerifier.resume(file);
        assertEquals(10, held.frames());
        // the ring gives back 7..9 of producer 0 again (read, written, never released), then the rest
        final MpscQueue queue = MpscQueue.create(1 << 16);
        try (MpscProducer producer = queue.newProducer()) {
            for (long seq = 7; seq < 20; seq++) {
                try (WriteClaim claim = producer.tryClaim(length(seq))) {
                    RecordPattern.fill(claim, RecordPattern.tag(0, seq));
                    claim.commit();
                }
            }
        }
        final RingArchiver.Result result;
        try (JournalWriter journal = new JournalWriter(JournalSink.resume(file, held.fileBytes()),
                JournalWriter.STAGE_BYTES, held)) {
            result = RingArchiver.run(queue.consumer(), journal, held,
                    new RingArchiver.Settings(0, IDLE, Duration.ofSeconds(5)), monitor);
        }
        assertEquals(3, result.skipped());
        assertEquals(20, result.frames());
        assertArrayEquals(new long[] {20}, result.records());
        assertEquals(20, JournalVerifier.verify(file, new long[] {20}, result.bytes()).frames(), "each record once");
    }

    @Test
    void shouldStopAtTheRecordsExpectedAndLeaveTheRestInTheRing() throws Exception {
        final Path file = dir.resolve("expected.lbj");
        final MpscQueue queue = ring(1, 0, 100);
        final RingArchiver.Result result;
        try (JournalWriter journal = JournalWriter.create(file)) {
            result = RingArchiver.run(queue.consumer(), journal, null,
                    new RingArchiver.Settings(70, null, Duration.ofSeconds(5)), monitor);
        }
        assertEquals(RingArchiver.Stop.RECORDS, result.stop());
        assertEquals(70, result.frames());
        assertEquals(70, queue.stats().consumed(), "not one record more was taken");
        assertEquals(70, JournalVerifier.verify(file).frames());
    }

    @Test
    void shouldGiveUpAfterTheRetryWindowAndCountTheRecordsOfTheReadInHand() throws Exception {
        final Path file = dir.resolve("gives-up.lbj");
        final MpscQueue queue = ring(1, 0, 500);
        final FailingSink sink = new FailingSink(JournalSink.create(file), new FailingSink.Plan(Long.MAX_VALUE, 3));
        final JournalRun.RunFailedException e;
        final long held;
        try (JournalWriter journal = new JournalWriter(sink, JournalWriter.STAGE_BYTES)) {
            e = assertThrows(JournalRun.RunFailedException.class, () -> RingArchiver.run(queue.consumer(), journal,
                    null, new RingArchiver.Settings(0, IDLE, Duration.ofMillis(100)), monitor));
            held = journal.frames();
        }
        final Matcher m = Pattern.compile("gave up: the journal's writes kept failing for \\d+\\.\\d+ s \\(retry "
                + "window 0\\.100 s; last failure: injected write failure \\d+ of \\d+, at write #\\d+\\); (\\d+) "
                + "records of the read in hand were given back to the ring unwritten and are lost; the journal "
                + "holds the first (\\d+), without its trailer; the ring keeps the rest for the next archiver")
                .matcher(e.getMessage());
        assertTrue(m.matches(), e.getMessage());
        assertEquals(held, Long.parseLong(m.group(2)));
        final long lost = Long.parseLong(m.group(1));
        assertTrue(lost > 0 && lost <= JournalRun.READ_LIMIT, e.getMessage());
        assertEquals(held + lost, queue.stats().consumed(), "the ring gave back what was written and the lost read");
        assertEquals(500 - held - lost, queue.stats().committed() - queue.stats().consumed(), "the rest is in the ring");
    }

    /** Notes, at each write attempt, the records the ring has given back and the journal's frames written. */
    private static final class Watching implements JournalSink {
        private final JournalSink sink;
        private final MpscQueue queue;
        /** The writer this sink writes for; set once it is made. */
        JournalWriter journal;
        /** {consumed, frames written before this attempt}, per write attempt. */
        final List<long[]> writes = new ArrayList<>();

        Watching(JournalSink sink, MpscQueue queue) {
            this.sink = sink;
            this.queue = queue;
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            writes.add(new long[] {queue.stats().consumed(), journal.frames()});
            return sink.write(source, position);
        }

        @Override
        public void truncate(long size) throws IOException {
            sink.truncate(size);
        }

        @Override
        public void close() throws IOException {
            sink.close();
        }
    }
}
