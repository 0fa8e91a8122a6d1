package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer under a failing disk, one step at a time on one thread: what a
 * failed write keeps (the staged frames, the record in hand in the ring), that
 * a retry writes the same bytes at the same place (a torn frame is
 * overwritten), and that a journal abandoned in a failure ends at a whole
 * frame. Records go through a real channel, as in the journal.
 */
@Timeout(60)
class JournalWriterFaultsTest {

    /** 100-byte payloads make 108-byte frames: a 1 KiB stage holds the magic and 9 of them. */
    private static final int LENGTH = 100;
    private static final int FRAME = JournalFormat.FRAME_HEADER_LENGTH + LENGTH;
    private static final int STAGE = 1024;
    private static final int MAGIC = JournalFormat.MAGIC.length;

    @TempDir
    Path dir;

    private final MpscChannel channel = MpscChannel.create(4096);
    private final MpscSender sender = channel.newSender();
    private final Receiver receiver = channel.receiver();

    @Test
    void shouldLeaveTheRecordInHandInTheRingAndWriteItOnceTheDiskIsBack() throws Exception {
        final Path file = dir.resolve("in-hand.lbj");
        final ScriptedSink sink = new ScriptedSink(file).fail(1, 2); // the disk fails twice, then is back
        send(0, 30);
        try (JournalWriter journal = new JournalWriter(sink, STAGE)) {
            // the stage fills after 9 records; emptying it for the 10th fails: the read stops there
            assertEquals(9, receiver.tryControlledRead(journal.handler(), 64));
            assertNotNull(journal.failure());
            assertEquals(1, journal.refused());
            assertEquals(9, journal.stagedFrames(), "what the handler accepted is the writer's now");
            assertEquals(0, journal.frames());
            assertEquals(9, receiver.stats().queue().consumed(), "the 9 staged records left the ring");

            // the record in hand is still first in the ring, unchanged
            try (ReadClaim inHand = next()) {
                assertEquals(RecordPattern.tag(0, 9), inHand.getLong(0));
                assertEquals(-1, RecordPattern.firstMismatch(inHand.buffer(), inHand.buffer().position(), LENGTH));
                inHand.putBack();
            }

            assertFalse(journal.flush(), "write #2 fails too: the staged frames stay staged");
            assertEquals(9, journal.stagedFrames());
            assertTrue(journal.flush(), "write #3: the disk is back");
            assertNull(journal.failure());
            assertEquals(9, journal.frames());
            assertEquals(MAGIC + 9 * FRAME, journal.length());

            final long[] firstOffered = {-1};
            final ControlledRecordHandler watch = payload -> {
                if (firstOffered[0] < 0) {
                    firstOffered[0] = payload.getLong(0);
                }
                return journal.handler().onRecord(payload);
            };
            drain(journal, watch);
            assertEquals(RecordPattern.tag(0, 9), firstOffered[0], "the record in hand is offered first");
            journal.finish(new long[] {30}, new long[] {30 * LENGTH});
        }

        // written once, in order, after the failures cleared: write #4 starts with it, where write #3 ended
        final List<long[]> frames = frames(file);
        assertEquals(30, frames.size());
        assertEquals(MAGIC + 9 * FRAME, frames.get(9)[0]);
        assertEquals(RecordPattern.tag(0, 9), frames.get(9)[1]);
        final List<ScriptedSink.Attempt> log = sink.log();
        assertTrue(log.get(0).failed() && log.get(1).failed() && !log.get(2).failed(), log::toString);
        assertEquals(0, log.get(2).position());
        assertEquals(MAGIC + 9 * FRAME, log.get(2).end());
        assertEquals(log.get(2).end(), log.get(3).position());
        assertFalse(log.get(3).failed());
        assertEquals(30, JournalVerifier.verify(file, new long[] {30}, new long[] {30 * LENGTH}).frames());
    }

    @Test
    void shouldOverwriteATornFrameWhenItRetriesTheWrite() throws Exception {
        final Path file = dir.resolve("torn.lbj");
        final int torn = MAGIC + 4 * FRAME + 50; // four whole frames and half of the fifth
        final ScriptedSink sink = new ScriptedSink(file).tear(1, torn);
        send(0, 9);
        try (JournalWriter journal = new JournalWriter(sink, STAGE)) {
            assertEquals(9, receiver.tryControlledRead(journal.handler(), 64));
            assertFalse(journal.flush());
            assertEquals(torn, Files.size(file), "the failed write left a torn frame behind");
            assertEquals(0, journal.length(), "the writer counts only whole writes");
            assertTrue(journal.flush());
            journal.finish(new long[] {9}, new long[] {9 * LENGTH});
        }
        final ScriptedSink.Attempt retry = sink.log().get(1);
        assertEquals(0, retry.position(), "the retry writes the same bytes at the same place");
        assertEquals(MAGIC + 9 * FRAME, retry.written());
        assertEquals(9, JournalVerifier.verify(file, new long[] {9}, new long[] {9 * LENGTH}).frames());
        assertEquals(MAGIC + 9 * FRAME + JournalFormat.FRAME_HEADER_LENGTH + JournalFormat.summaryLength(1),
                Files.size(file), "nothing torn is left past the trailer");
    }

    @Test
    void shouldEndAtAWholeFrameWhenClosedWhileWritesFail() throws Exception {
        final Path file = dir.resolve("abandoned.lbj");
        final ScriptedSink sink = new ScriptedSink(file).tear(2, 3 * FRAME + 20);
        send(0, 15);
        try (JournalWriter journal = new JournalWriter(sink, STAGE)) {
            assertEquals(9, receiver.tryControlledRead(journal.handler(), 9));
            assertTrue(journal.flush());
            assertEquals(6, receiver.tryControlledRead(journal.handler(), 64));
            assertFalse(journal.flush());
            assertEquals(MAGIC + 9 * FRAME + 3 * FRAME + 20, Files.size(file));
        } // given up: the torn tail is cut off
        assertEquals(MAGIC + 9 * FRAME, Files.size(file));
        final CorruptJournalException e =
                assertThrows(CorruptJournalException.class, () -> JournalVerifier.verify(file));
        assertTrue(e.getMessage().startsWith("truncated: the journal ends after frame #9"), e.getMessage());
    }

    @Test
    void shouldWriteAFrameBiggerThanTheStageStraightFromTheRingAndRetryItFromThere() throws Exception {
        final Path file = dir.resolve("big.lbj");
        final int big = 3000; // above the stage: written from the ring, header then payload
        final ScriptedSink sink = new ScriptedSink(file).tear(3, 1000); // the payload's write tears
        sendOne(0, 0, 40);
        sendOne(0, 1, big);
        sendOne(0, 2, 40);
        try (JournalWriter journal = new JournalWriter(sink, STAGE)) {
            assertEquals(1, receiver.tryControlledRead(journal.handler(), 64));
            assertEquals(1, journal.frames(), "the staged record went out first (write #1)");
            assertNotNull(journal.failure());
            assertEquals(1, journal.refused(), "the big record stays in the ring");
            try (ReadClaim inHand = next()) {
                assertEquals(big, inHand.length());
                inHand.putBack();
            }
            assertTrue(journal.flush(), "nothing is staged: the retry is offering the record again");
            assertEquals(2, receiver.tryControlledRead(journal.handler(), 64));
            assertNull(journal.failure());
            assertTrue(journal.flush());
            journal.finish(new long[] {3}, new long[] {80 + big});
        }
        final List<ScriptedSink.Attempt> log = sink.log();
        assertEquals(log.get(1).position(), log.get(3).position(), "the header again, at the same place");
        assertEquals(log.get(2).position(), log.get(4).position(), "the payload again, at the same place");
        assertEquals(3, JournalVerifier.verify(file, new long[] {3}, new long[] {80 + big}).frames());
    }

    @Test
    void shouldPutASingleRecordBackWhenTheWriteThatWouldMakeRoomFails() throws Exception {
        final Path file = dir.resolve("single.lbj");
        final ScriptedSink sink = new ScriptedSink(file).fail(1);
        send(0, 10);
        try (JournalWriter journal = new JournalWriter(sink, STAGE)) {
            assertEquals(9, receiver.tryControlledRead(journal.handler(), 9));
            try (ReadClaim record = next()) { // the journal's idle path, recv(), without the wait
                if (!journal.offer(record)) {
                    record.putBack();
                }
            }
            assertEquals(1, journal.refused());
            assertTrue(journal.flush());
            try (ReadClaim record = next()) {
                assertEquals(RecordPattern.tag(0, 9), record.getLong(0), "handed out again");
                assertTrue(journal.offer(record));
            }
            journal.finish(new long[] {10}, new long[] {10 * LENGTH});
        }
        assertEquals(10, JournalVerifier.verify(file, new long[] {10}, new long[] {10 * LENGTH}).frames());
    }

    @Test
    void shouldFailTheWritesItIsToldToEachAfterWritingHalf() throws Exception {
        final Path file = dir.resolve("failing.lbj");
        try (FailingSink sink = new FailingSink(JournalSink.create(file), new FailingSink.Plan(2, 2))) {
            final ByteBuffer bytes = ByteBuffer.allocate(10);
            assertEquals(10, sink.write(bytes, 0));
            for (int i = 1; i <= 2; i++) {
                final ByteBuffer again = ByteBuffer.allocate(10);
                final IOException e = assertThrows(IOException.class, () -> sink.write(again, 10));
                assertEquals("injected write failure " + i + " of 2, at write #" + (i + 1), e.getMessage());
                assertEquals(5, again.position(), "half written first");
                assertEquals(10, again.limit());
            }
            assertEquals(10, sink.write(ByteBuffer.allocate(10), 10), "then the disk is back");
            assertEquals(4, sink.attempts());
            assertEquals(2, sink.injected());
        }
        assertEquals(20, Files.size(file));
    }

    // ----------------------------------------------------------------- helpers

    /** The next record, which the test knows is there (no waiting: a lost record fails, never hangs). */
    private ReadClaim next() {
        final ReadClaim record = receiver.tryRecv();
        assertNotNull(record, "a record is waiting in the ring");
        return record;
    }

    /** Reads and writes until the ring is empty, as the journal's receiver does, no failure expected. */
    private void drain(JournalWriter journal, ControlledRecordHandler handler) {
        while (receiver.tryControlledRead(handler, 64) != 0) {
            assertTrue(journal.flush());
        }
    }

    /** Sends {@code count} records of {@link #LENGTH} bytes from {@code producer}, sequences from 0. */
    private void send(int producer, int count) {
        for (int seq = 0; seq < count; seq++) {
            sendOne(producer, seq, LENGTH);
        }
    }

    private void sendOne(int producer, long sequence, int length) {
        try (WriteClaim claim = sender.trySend(length)) {
            assertNotNull(claim, "the ring has room");
            RecordPattern.fill(claim, RecordPattern.tag(producer, sequence));
            claim.commit();
        }
    }

    /** Each frame's file offset and tag, in file order. */
    private static List<long[]> frames(Path file) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        final List<long[]> frames = new ArrayList<>();
        for (int at = MAGIC; bytes.getInt(at) > 0; at += JournalFormat.FRAME_HEADER_LENGTH + bytes.getInt(at)) {
            frames.add(new long[] {at, bytes.getLong(at + JournalFormat.FRAME_HEADER_LENGTH)});
        }
        return frames;
    }
}
