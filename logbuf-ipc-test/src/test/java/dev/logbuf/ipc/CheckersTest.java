package dev.logbuf.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.SpscProducer;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.WriteClaim;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checks the other tests rely on, shown to fail when they should: a
 * corrupt record, a gap, a repeat and a stray producer are reported, and the
 * output log cuts off a torn last entry but refuses damage before it. (A
 * checker that cannot fail proves nothing.) In process, no child JVM.
 */
class CheckersTest extends IpcTestSupport {

    @Test
    void shouldAcceptAWrittenRecordAndReportEveryFlippedByte() {
        final SpscQueue queue = SpscQueue.create(1 << 12);
        final SpscProducer producer = queue.producer();
        final Consumer consumer = queue.consumer();
        final RecordFormat format = new RecordFormat(seed);
        final WriteClaim claim = producer.tryClaim(format.length(7, 42));
        format.write(claim, 7, 42);
        claim.commit();
        final byte[] record;
        try (ReadClaim read = consumer.tryClaim()) {
            assertNull(format.check(read));
            assertEquals(7, format.id());
            assertEquals(42, format.sequence());
            record = new byte[read.length()];
            read.get(record);
        }
        for (int i = 0; i < record.length; i++) {
            record[i] ^= 0x10;
            assertNotNull(check(queue, format, record), "byte " + i + " flipped");
            record[i] ^= 0x10;
        }
        assertNull(check(queue, format, record));
        assertNotNull(check(queue, new RecordFormat(seed + 1), record), "another seed's content");
    }

    /** Sends {@code record}'s bytes through {@code queue} and checks them as a consumer reads them. */
    private static String check(SpscQueue queue, RecordFormat format, byte[] record) {
        queue.producer().tryClaim(record.length).put(record).commit();
        try (ReadClaim read = queue.consumer().tryClaim()) {
            return format.check(read);
        }
    }

    @Test
    void shouldReportAGapARepeatAndAStrayProducer() {
        final Tally tally = new Tally();
        tally.accept(1, 0, 20);
        tally.accept(1, 1, 20);
        tally.accept(1, 3, 20); // 2 missing
        tally.accept(1, 3, 20); // again
        tally.accept(2, 0, 20);
        tally.expectExactly(Map.of(1, 4L));
        assertEquals(3, tally.faults(), tally::report);
        final String report = tally.report();
        assertTrue(report.contains("2..2 missing") && report.contains("seq 3 again")
                && report.contains("producer 2"), report);
    }

    @Test
    void shouldCutATornLastEntryAndRefuseDamageBeforeIt() throws IOException {
        final Path out = dir.resolve(name + ".out");
        try (OutputLog log = OutputLog.open(out, e -> { })) {
            for (int i = 0; i < 3; i++) {
                log.append(100 * i, 1, i, 20);
            }
        }
        Files.write(out, new byte[] {1, 2, 3}, StandardOpenOption.APPEND); // a partial fourth entry
        final List<OutputLog.Entry> replayed = new ArrayList<>();
        try (OutputLog log = OutputLog.open(out, replayed::add)) {
            assertEquals(3, replayed.size());
            assertEquals(200, log.lastPosition());
            assertThrows(IllegalArgumentException.class, () -> log.append(200, 1, 3, 20));
        }
        assertEquals(3L * OutputLog.ENTRY, Files.size(out));

        flip(out, 2L * OutputLog.ENTRY + 5); // the last whole entry, torn in place
        try (OutputLog log = OutputLog.open(out, e -> { })) {
            assertEquals(2, log.entriesAtOpen());
        }
        assertEquals(2L * OutputLog.ENTRY, Files.size(out));

        flip(out, 3); // the first entry, with one after it: not a torn end
        assertThrows(IOException.class, () -> OutputLog.readAll(out, e -> { }));
        assertThrows(IOException.class, () -> OutputLog.open(out, e -> { }));
        assertFalse(Files.size(out) < 2L * OutputLog.ENTRY, "nothing cut off");
    }

    private static void flip(Path file, long at) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x01)).clear();
            channel.write(one, at);
        }
    }
}
