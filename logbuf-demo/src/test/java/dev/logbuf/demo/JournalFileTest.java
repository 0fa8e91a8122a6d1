package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal file: frames written from ring records, read back and verified, and every way it can be wrong. */
class JournalFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldVerifyFramesAppendedFromReadClaims() throws Exception {
        final Path file = dir.resolve("ring.lbj");
        final MpscQueue queue = MpscQueue.create(4096);
        final MpscProducer[] producers = {queue.newProducer(), queue.newProducer()};
        final Consumer consumer = queue.consumer();
        final long[] records = new long[2];
        final long[] bytes = new long[2];
        try (JournalWriter journal = JournalWriter.create(file)) {
            for (int i = 0; i < 300; i++) { // about 40 laps of the ring: every wrap position
                final int p = i % 2;
                final int length = RecordPattern.MIN_LENGTH + (i * 37) % 200;
                try (WriteClaim claim = producers[p].tryClaim(length)) {
                    RecordPattern.fill(claim, RecordPattern.tag(p, records[p]));
                    claim.commit();
                }
                try (ReadClaim record = consumer.tryClaim()) {
                    final ByteBuffer view = record.buffer();
                    assertTrue(view.isReadOnly() && view.isDirect());
                    assertEquals(-1, RecordPattern.firstMismatch(view, view.position(), record.length()));
                    journal.append(view);
                    assertEquals(0, view.remaining(), "the append consumes the view");
                }
                records[p]++;
                bytes[p] += length;
            }
            journal.finish(records, bytes);
            assertEquals(300, journal.frames());
        }
        final JournalVerifier.Totals totals = JournalVerifier.verify(file, records, bytes);
        assertEquals(300, totals.frames());
        assertEquals(2, totals.producers());
        assertArrayEquals(records, totals.records());
        assertArrayEquals(bytes, totals.bytes());
        assertEquals(Files.size(file), totals.fileBytes());
    }

    @Test
    void shouldVerifyControlledReadsStagedAndWrittenInOneWriteEach() throws Exception {
        final Path file = dir.resolve("reads.lbj");
        final MpscQueue queue = MpscQueue.create(4096);
        final MpscProducer[] producers = {queue.newProducer(), queue.newProducer()};
        final Consumer consumer = queue.consumer();
        final long[] records = new long[2];
        final long[] bytes = new long[2];
        int reads = 0;
        try (JournalWriter journal = JournalWriter.create(file)) {
            for (int i = 0; i < 3000; ) {
                // fill the ring part-way (reads cross the wrap), then drain it in reads, some of them full
                final int burst = 1 + i % (2 * JournalRun.READ_LIMIT);
                for (int n = 0; n < burst && i < 3000; n++, i++) {
                    final int p = i % 2;
                    final int length = RecordPattern.MIN_LENGTH + (i * 37) % 40;
                    final WriteClaim claim = producers[p].tryClaim(length);
                    if (claim == null) {
                        break;
                    }
                    RecordPattern.fill(claim, RecordPattern.tag(p, records[p]));
                    claim.commit();
                    records[p]++;
                    bytes[p] += length;
                }
                for (int got; (got = consumer.controlledRead(journal.handler(), JournalRun.READ_LIMIT)) != 0; ) {
                    assertTrue(got <= JournalRun.READ_LIMIT);
                    assertTrue(journal.flush());
                    reads++;
                    assertEquals(reads, journal.writes(), "one write per read");
                }
            }
            journal.finish(records, bytes);
            assertEquals(3000, journal.frames());
            assertEquals(0, journal.failedWrites());
            assertEquals(0, journal.refused());
        }
        assertTrue(reads < 3000, "records went out in reads of several: " + reads + " writes");
        final JournalVerifier.Totals totals = JournalVerifier.verify(file, records, bytes);
        assertEquals(3000, totals.frames());
        assertArrayEquals(records, totals.records());
        assertArrayEquals(bytes, totals.bytes());
        assertEquals(Files.size(file), totals.fileBytes());
    }

    @Test
    void shouldLayOutFramesAsDocumented() throws Exception {
        final Path file = dir.resolve("layout.lbj");
        final ByteBuffer payload = payload(3, 0, 13);
        try (JournalWriter journal = JournalWriter.create(file)) {
            journal.append(payload.duplicate());
            journal.finish(new long[] {0, 0, 0, 1}, new long[] {0, 0, 0, 13});
        }
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("LBJOURN1", new String(bytes.array(), 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(13, bytes.getInt(8));
        assertEquals(crc(payload.duplicate()), bytes.getInt(12));
        assertEquals(RecordPattern.tag(3, 0), bytes.getLong(16));
        final int trailer = 16 + 13;
        assertEquals(-JournalFormat.summaryLength(4), bytes.getInt(trailer));
        assertEquals(4, bytes.getInt(trailer + 8));
        assertEquals(1, bytes.getLong(trailer + 12 + 3 * 16));
        assertEquals(13, bytes.getLong(trailer + 12 + 3 * 16 + 8));
        assertEquals(trailer + 8 + JournalFormat.summaryLength(4), bytes.capacity());
    }

    @Test
    void shouldVerifyFramesLargerThanTheReadBuffer() throws Exception {
        final Path file = journal(new int[] {0, 0, 0}, new long[] {0, 1, 2}, new int[] {3 << 20, 16, 5 << 20});
        assertEquals(3, JournalVerifier.verify(file).frames());
    }

    @Test
    void shouldVerifyAJournalWithNoRecords() throws Exception {
        final Path file = dir.resolve("empty.lbj");
        try (JournalWriter journal = JournalWriter.create(file)) {
            journal.finish(new long[2], new long[2]);
        }
        assertEquals(0, JournalVerifier.verify(file).frames());
    }

    @Test
    void shouldNameTheFrameWhoseByteFlipped() throws Exception {
        final Path file = sample();
        flip(file, frameOffset(file, 5) + 8 + 20);
        assertFails(file, "frame #6 at offset " + frameOffset(file, 5) + ": checksum mismatch");
    }

    @Test
    void shouldNameTheFrameWhoseLengthFlipped() throws Exception {
        final Path file = sample();
        flip(file, frameOffset(file, 2)); // the low byte of the length
        assertFails(file, "frame #3 at offset " + frameOffset(file, 2));
    }

    @Test
    void shouldNameTheFrameWhoseChecksumFlipped() throws Exception {
        final Path file = sample();
        flip(file, frameOffset(file, 7) + 5);
        assertFails(file, "frame #8 at offset " + frameOffset(file, 7) + ": checksum mismatch");
    }

    @Test
    void shouldReportAFileCutInsideAFrame() throws Exception {
        final Path file = sample();
        truncate(file, frameOffset(file, 4) + 8 + 3);
        assertFails(file, "frame #5 at offset " + frameOffset(file, 4) + ": length");
    }

    @Test
    void shouldReportAFileCutInsideAHeader() throws Exception {
        final Path file = sample();
        truncate(file, frameOffset(file, 4) + 5);
        assertFails(file, "truncated: frame #5 at offset " + frameOffset(file, 4) + " has 5 of its 8 header bytes");
    }

    @Test
    void shouldReportAFileCutBetweenFramesAsMissingItsTrailer() throws Exception {
        final Path file = sample();
        truncate(file, frameOffset(file, 4));
        assertFails(file, "truncated: the journal ends after frame #4");
    }

    @Test
    void shouldReportAFileCutInsideTheTrailer() throws Exception {
        final Path file = sample();
        truncate(file, Files.size(file) - 3);
        assertFails(file, "truncated: the trailer");
    }

    @Test
    void shouldReportAnOutOfOrderSequence() throws Exception {
        final Path file = journal(new int[] {0, 1, 0, 0}, new long[] {0, 0, 2, 1}, new int[] {8, 9, 10, 11});
        assertFails(file, "frame #3 at offset " + frameOffset(file, 2) + ": producer 0 sequence 2, expected 1");
    }

    @Test
    void shouldReportARepeatedSequence() throws Exception {
        final Path file = journal(new int[] {1, 1}, new long[] {0, 0}, new int[] {8, 8});
        assertFails(file, "frame #2 at offset " + frameOffset(file, 1) + ": producer 1 sequence 0, expected 1 (repeated");
    }

    @Test
    void shouldReportAPayloadThatWasWrittenWrong() throws Exception {
        final Path file = dir.resolve("wrong.lbj");
        final ByteBuffer bad = payload(0, 0, 40);
        final int at = bad.position() + 29;
        bad.put(at, (byte) (bad.get(at) ^ 1)); // damaged before the checksum was taken
        try (JournalWriter journal = JournalWriter.create(file)) {
            journal.append(bad);
            journal.finish(new long[] {1}, new long[] {40});
        }
        assertFails(file, "frame #1 at offset 8: payload byte 29 differs from the pattern of producer 0 sequence 0");
    }

    @Test
    void shouldReportTotalsThatDisagreeWithTheTrailer() throws Exception {
        final Path file = dir.resolve("totals.lbj");
        try (JournalWriter journal = JournalWriter.create(file)) {
            journal.append(payload(0, 0, 8));
            journal.finish(new long[] {2}, new long[] {16});
        }
        assertFails(file, "totals: producer 0 has 1 records (8 bytes) in the journal, but the trailer records 2");
    }

    @Test
    void shouldReportTotalsThatDisagreeWithWhatTheProducersSent() throws Exception {
        final Path file = journal(new int[] {0, 1}, new long[] {0, 0}, new int[] {8, 8});
        final CorruptJournalException e = assertThrows(CorruptJournalException.class,
                () -> JournalVerifier.verify(file, new long[] {1, 2}, new long[] {8, 16}));
        assertTrue(e.getMessage().startsWith("totals: producer 1 has 1 records (8 bytes) in the journal, but the "
                + "producers sent 2 records"), e.getMessage());
    }

    @Test
    void shouldReportBytesAfterTheTrailer() throws Exception {
        final Path file = sample();
        Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        assertFails(file, "is followed by 1 more bytes");
    }

    @Test
    void shouldRejectFilesThatAreNotJournals() throws Exception {
        final Path text = dir.resolve("text.lbj");
        Files.writeString(text, "hello, this is not a journal");
        assertFails(text, "not a logbuf journal: the file does not start with \"LBJOURN1\"");
        final Path empty = Files.createFile(dir.resolve("empty"));
        assertFails(empty, "not a logbuf journal: 0 bytes");
    }

    @Test
    void shouldRejectAnEmptyPayload() {
        assertThrows(IllegalArgumentException.class,
                () -> {
                    try (JournalWriter journal = JournalWriter.create(dir.resolve("x.lbj"))) {
                        journal.append(ByteBuffer.allocate(0));
                    }
                });
    }

    @Test
    void shouldResumeAJournalCutInsideAFrameAfterItsLastWholeFrameAndGoOnWithIt() throws Exception {
        final Path file = sample();
        final long cut = frameOffset(file, 4);
        truncate(file, cut + 8 + 3); // an archiver killed while it wrote frame #5
        final JournalVerifier.Totals held = JournalVerifier.resume(file);
        assertEquals(4, held.frames());
        assertEquals(cut, held.fileBytes(), "the next frame goes where the torn one began");
        assertEquals(false, held.complete());
        assertArrayEquals(new long[] {2, 2}, held.records());
        assertArrayEquals(new long[] {30 + 44, 37 + 51}, held.bytes());

        // another writer goes on with it: the torn bytes are cut off, the rest follows, then the trailer
        final long[] records = {5, 5};
        final long[] bytes = {0, 0};
        try (JournalWriter journal = new JournalWriter(JournalSink.resume(file, held.fileBytes()), 4096, held)) {
            assertEquals(4, journal.frames());
            assertEquals(cut, journal.length());
            for (int i = 4; i < 10; i++) {
                journal.append(payload(i % 2, i / 2, 30 + 7 * i));
            }
            for (int i = 0; i < 10; i++) {
                bytes[i % 2] += 30 + 7 * i;
            }
            journal.finish(records, bytes);
        }
        final JournalVerifier.Totals totals = JournalVerifier.verify(file, records, bytes);
        assertEquals(10, totals.frames());
        assertEquals(Files.size(file), totals.fileBytes());
    }

    @Test
    void shouldResumeAfterTheLastWholeFrameWhereverTheFileWasCut() throws Exception {
        final Path file = sample();
        final long fifth = frameOffset(file, 4);
        final long trailer = frameOffset(file, 10);
        final long[][] cuts = { // where the file ends, and where the next frame goes
            {fifth, fifth}, {fifth + 5, fifth}, {fifth + 8, fifth}, {trailer + 3, trailer}, {trailer + 12, trailer}};
        for (long[] cut : cuts) {
            final Path copy = Files.copy(file, dir.resolve("cut-" + cut[0] + ".lbj"));
            truncate(copy, cut[0]);
            final JournalVerifier.Totals held = JournalVerifier.resume(copy);
            assertEquals(cut[1], held.fileBytes(), "cut at " + cut[0]);
            assertEquals(false, held.complete());
        }
        assertEquals(true, JournalVerifier.resume(file).complete(), "a journal with its trailer is complete");
        assertEquals(10, JournalVerifier.resume(file).frames());
    }

    @Test
    void shouldStartAfreshAJournalCutInsideItsMagic() throws Exception {
        final Path file = dir.resolve("magic.lbj");
        Files.write(file, Arrays.copyOf(JournalFormat.MAGIC, 3));
        final JournalVerifier.Totals held = JournalVerifier.resume(file);
        assertEquals(0, held.fileBytes());
        try (JournalWriter journal = new JournalWriter(JournalSink.resume(file, held.fileBytes()), 4096, held)) {
            journal.append(payload(0, 0, 20));
            journal.finish(new long[] {1}, new long[] {20});
        }
        assertEquals(1, JournalVerifier.verify(file).frames());
        Files.write(file, "LBX".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThrows(CorruptJournalException.class, () -> JournalVerifier.resume(file), "not a journal's beginning");
    }

    @Test
    void shouldRefuseToResumeAJournalWithAFrameThatDoesNotVerify() throws Exception {
        final Path file = sample();
        flip(file, frameOffset(file, 2) + 8 + 5);
        truncate(file, frameOffset(file, 6));
        final CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> JournalVerifier.resume(file));
        assertTrue(e.getMessage().startsWith("frame #3 at offset " + frameOffset(file, 2) + ": checksum mismatch"),
                e.getMessage());
    }

    // ----------------------------------------------------------------- helpers

    /** Ten frames from two producers, with a trailer. */
    private Path sample() throws IOException {
        final int[] producers = new int[10];
        final long[] sequences = new long[10];
        final int[] lengths = new int[10];
        for (int i = 0; i < 10; i++) {
            producers[i] = i % 2;
            sequences[i] = i / 2;
            lengths[i] = 30 + 7 * i;
        }
        return journal(producers, sequences, lengths);
    }

    /** A journal of the given frames, its trailer agreeing with them (ordered or not). */
    private Path journal(int[] producers, long[] sequences, int[] lengths) throws IOException {
        final Path file = Files.createTempFile(dir, "journal-", ".lbj");
        final int count = Arrays.stream(producers).max().orElse(-1) + 1;
        final long[] records = new long[count];
        final long[] bytes = new long[count];
        try (JournalWriter journal = JournalWriter.create(file)) {
            for (int i = 0; i < producers.length; i++) {
                journal.append(payload(producers[i], sequences[i], lengths[i]));
                records[producers[i]]++;
                bytes[producers[i]] += lengths[i];
            }
            journal.finish(records, bytes);
        }
        return file;
    }

    /** A direct, read-only payload positioned part-way into its buffer, as a ReadClaim's view is. */
    private static ByteBuffer payload(int producer, long sequence, int length) {
        final MpscQueue queue = MpscQueue.create(Integer.highestOneBit(length + 8) * 4);
        try (WriteClaim claim = queue.newProducer().tryClaim(length)) {
            RecordPattern.fill(claim, RecordPattern.tag(producer, sequence));
            claim.commit();
        }
        try (ReadClaim record = queue.consumer().tryClaim()) {
            final ByteBuffer copy = ByteBuffer.allocateDirect(length + 24).order(ByteOrder.LITTLE_ENDIAN);
            copy.position(24);
            copy.put(record.buffer());
            copy.position(24);
            return copy;
        }
    }

    /** The file offset of frame {@code index} (from 0), walking the length fields. */
    private static long frameOffset(Path file, int index) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int at = JournalFormat.MAGIC.length;
        for (int i = 0; i < index; i++) {
            at += JournalFormat.FRAME_HEADER_LENGTH + bytes.getInt(at);
        }
        return at;
    }

    private static void flip(Path file, long offset) throws IOException {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x40;
        Files.write(file, bytes);
    }

    private static void truncate(Path file, long length) throws IOException {
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) length));
    }

    private static int crc(ByteBuffer buffer) {
        final CRC32C crc = new CRC32C();
        crc.update(buffer);
        return (int) crc.getValue();
    }

    private static void assertFails(Path file, String expected) {
        final CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> JournalVerifier.verify(file));
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line");
    }
}
