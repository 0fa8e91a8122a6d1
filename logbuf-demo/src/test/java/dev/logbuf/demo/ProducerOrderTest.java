package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The per-record checks verify and verify-topic share: strict, a repeat is
 * refused; with repeats allowed (at least once), it is checked and counted
 * but not added; a gap and a damaged payload are refused either way.
 */
class ProducerOrderTest {

    /** A payload of {@code length} bytes holding the pattern of producer {@code p}'s record {@code seq}. */
    private static ByteBuffer record(int p, long seq, int length) {
        final ByteBuffer buffer = ByteBuffer.allocate(length).order(JournalFormat.ORDER);
        final long tag = RecordPattern.tag(p, seq);
        buffer.putLong(0, tag);
        for (int i = 8; i < length; i++) {
            buffer.put(i, (byte) (RecordPattern.word(tag, i / 8) >>> (8 * (i % 8))));
        }
        return buffer;
    }

    private static void check(ProducerOrder order, int p, long seq, int length) throws CorruptJournalException {
        order.check(record(p, seq, length), 0, length, "record " + p + "/" + seq);
    }

    @Test
    void shouldCountEachProducersRecordsInOrder() throws Exception {
        final ProducerOrder order = new ProducerOrder(false);
        check(order, 0, 0, 8);
        check(order, 1, 0, 20);
        check(order, 0, 1, 9);
        assertEquals(3, order.records());
        assertEquals(37, order.payloadBytes());
        assertEquals(2, order.producers());
        assertArrayEquals(new long[] {2, 1}, order.recordsByProducer(2));
        assertArrayEquals(new long[] {17, 20}, order.bytesByProducer(2));
    }

    @Test
    void strictShouldRefuseARepeat() throws Exception {
        final ProducerOrder order = new ProducerOrder(false);
        check(order, 0, 0, 16);
        check(order, 0, 1, 16);
        final CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> check(order, 0, 1, 16));
        assertEquals("record 0/1: producer 0 sequence 1, expected 2 (repeated or out of order)", e.getMessage());
    }

    @Test
    void atLeastOnceShouldCountARepeatWithoutAddingIt() throws Exception {
        final ProducerOrder order = new ProducerOrder(true);
        check(order, 0, 0, 16);
        check(order, 0, 1, 16);
        check(order, 0, 0, 16);
        check(order, 0, 1, 16);
        check(order, 0, 2, 16);
        assertEquals(3, order.records());
        assertEquals(2, order.repeats());
        assertEquals(48, order.payloadBytes());
    }

    @Test
    void eitherWayShouldRefuseAGapAndADamagedRepeat() throws Exception {
        for (boolean repeats : new boolean[] {false, true}) {
            final ProducerOrder order = new ProducerOrder(repeats);
            check(order, 3, 0, 16);
            final CorruptJournalException gap = assertThrows(CorruptJournalException.class,
                    () -> check(order, 3, 2, 16));
            assertEquals("record 3/2: producer 3 sequence 2, expected 1 (a gap: records missing)", gap.getMessage());
            final ByteBuffer damaged = record(3, 0, 16);
            damaged.put(12, (byte) (damaged.get(12) ^ 1));
            final CorruptJournalException bad = assertThrows(CorruptJournalException.class,
                    () -> order.check(damaged, 0, 16, "again"));
            assertEquals(repeats ? "again: payload byte 12 differs from the pattern of producer 3 sequence 0"
                    : "again: producer 3 sequence 0, expected 1 (repeated or out of order)", bad.getMessage());
            final CorruptJournalException tiny = assertThrows(CorruptJournalException.class,
                    () -> order.check(ByteBuffer.allocate(7), 0, 7, "tiny"));
            assertEquals("tiny: 7-byte payload is shorter than its 8-byte tag", tiny.getMessage());
        }
    }
}
