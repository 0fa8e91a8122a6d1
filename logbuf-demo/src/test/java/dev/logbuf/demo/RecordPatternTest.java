package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The record payload: a tag, then a pattern any reader can check on its own. */
class RecordPatternTest {

    @Test
    void shouldRoundTripTheTag() {
        final long tag = RecordPattern.tag(65535, (1L << 48) - 1);
        assertEquals(65535, RecordPattern.producer(tag));
        assertEquals((1L << 48) - 1, RecordPattern.sequence(tag));
        assertEquals(7, RecordPattern.producer(RecordPattern.tag(7, 123)));
        assertEquals(123, RecordPattern.sequence(RecordPattern.tag(7, 123)));
    }

    @Test
    void shouldMatchItsOwnPatternAtEveryLength() {
        final MpscQueue queue = MpscQueue.create(256);
        for (int length = RecordPattern.MIN_LENGTH; length <= 120; length++) {
            try (WriteClaim claim = queue.newProducer().tryClaim(length)) {
                RecordPattern.fill(claim, RecordPattern.tag(length % 5, length));
                claim.commit();
            }
            try (ReadClaim record = queue.consumer().tryClaim()) {
                final ByteBuffer view = record.buffer();
                assertEquals(RecordPattern.tag(length % 5, length), view.getLong(view.position()));
                assertEquals(-1, RecordPattern.firstMismatch(view, view.position(), length), "length " + length);
            }
        }
    }

    @Test
    void shouldFindTheFirstByteThatDiffers() {
        for (int length : new int[] {8, 9, 15, 16, 17, 64, 67}) {
            for (int bad = 8; bad < length; bad++) {
                final ByteBuffer buffer = ByteBuffer.allocate(length).order(JournalFormat.ORDER);
                final long tag = RecordPattern.tag(1, 2);
                buffer.putLong(0, tag);
                for (int i = 8; i < length; i++) {
                    buffer.put(i, (byte) (RecordPattern.word(tag, i / 8) >>> (8 * (i % 8))));
                }
                assertEquals(-1, RecordPattern.firstMismatch(buffer, 0, length));
                buffer.put(bad, (byte) (buffer.get(bad) + 1));
                assertEquals(bad, RecordPattern.firstMismatch(buffer, 0, length), "length " + length);
            }
        }
    }
}
