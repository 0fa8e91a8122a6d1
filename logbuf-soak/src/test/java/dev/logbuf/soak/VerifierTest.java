package dev.logbuf.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The verifier driven directly, record by record: clean streams pass, and
 * each kind of fault is reported as what it is.
 */
class VerifierTest {

    private static final long SEED = 7;
    private final PayloadFormat format = new PayloadFormat(SEED, 8, 1024);
    /** Sender ids 0..3 are issued. */
    private final Verifier verifier = new Verifier(format, id -> id < 4);
    /** Per id, what the test "sent" (records and bytes) for finish(). */
    private final long[] sent = new long[4];
    private final long[] sentBytes = new long[4];

    /** A little-endian buffer holding record {@code sequence} of {@code id} at a non-zero index, positioned on it. */
    private ByteBuffer record(int id, long sequence) {
        final long tag = PayloadFormat.tag(id, sequence);
        return recordOf(tag, format.length(tag));
    }

    private ByteBuffer recordOf(long tag, int length) {
        final int start = 24; // absolute indexes, as in the ring's view: the payload does not start at 0
        final ByteBuffer buffer = ByteBuffer.allocate(start + length + 16).order(ByteOrder.LITTLE_ENDIAN);
        format.fill(buffer, start, length, tag);
        buffer.limit(start + length).position(start);
        return buffer;
    }

    /** Delivers record {@code sequence} of {@code id} and notes it as sent. */
    private void deliver(int id, long sequence) {
        final ByteBuffer r = record(id, sequence);
        verifier.onRecord(r);
    }

    private void sent(int id, long records) {
        sent[id] = records;
        long bytes = 0;
        for (long s = 0; s < records; s++) {
            bytes += format.length(PayloadFormat.tag(id, s));
        }
        sentBytes[id] = bytes;
    }

    private void assertCounts(long lost, long duplicated, long reordered, long corrupted, long abortedSeen) {
        final String detail = String.join("\n", verifier.messages());
        assertEquals(lost, verifier.lost(), () -> "lost\n" + detail);
        assertEquals(duplicated, verifier.duplicated(), () -> "duplicated\n" + detail);
        assertEquals(reordered, verifier.reordered(), () -> "reordered\n" + detail);
        assertEquals(corrupted, verifier.corrupted(), () -> "corrupted\n" + detail);
        assertEquals(abortedSeen, verifier.abortedSeen(), () -> "abortedSeen\n" + detail);
    }

    @Test
    void shouldPassInterleavedSendersInOrder() {
        for (long s = 0; s < 500; s++) {
            deliver(0, s);
            if (s % 3 == 0) {
                deliver(2, s / 3);
            }
        }
        sent(0, 500);
        sent(2, 167);
        assertTrue(verifier.clean());
        assertEquals(0, verifier.finish(sent, sentBytes));
        assertCounts(0, 0, 0, 0, 0);
        assertEquals(667, verifier.records());
        assertEquals(sentBytes[0] + sentBytes[2], verifier.bytes());
        assertEquals(500, verifier.received(0));
        assertEquals(sentBytes[2], verifier.receivedBytes(2));
        assertTrue(verifier.messages().isEmpty(), verifier.messages()::toString);
    }

    @Test
    void shouldReportEveryCorruptedPayloadByte() {
        // a length with a partial last word, so the tail bytes are covered too
        long sequence = 0;
        while (format.length(PayloadFormat.tag(1, sequence)) % 8 == 0) {
            sequence++;
        }
        final long tag = PayloadFormat.tag(1, sequence);
        final int length = format.length(tag);
        for (int at = PayloadFormat.TAG_LENGTH; at < length; at++) {
            final Verifier fresh = new Verifier(format, id -> true);
            final ByteBuffer r = recordOf(tag, length);
            final int index = r.position() + at;
            r.put(index, (byte) (r.get(index) ^ 0x01)); // one bit
            fresh.onRecord(r);
            assertEquals(1, fresh.corrupted(), "flipped payload byte " + at + " of " + length);
            assertTrue(fresh.messages().get(0).contains("payload byte " + at + " of " + length),
                    fresh.messages()::toString);
        }
    }

    @Test
    void shouldReportADamagedTag() {
        deliver(0, 0);
        final ByteBuffer r = record(0, 1);
        r.put(r.position(), (byte) (r.get(r.position()) ^ 0x04)); // sequence 1 reads as 5
        verifier.onRecord(r);
        assertFalse(verifier.clean());
        assertEquals(1, verifier.corrupted(), verifier.messages()::toString); // length or content no longer match
    }

    @Test
    void shouldReportAWrongLength() {
        final ByteBuffer r = record(0, 0);
        r.limit(r.limit() - 1); // the ring said one byte less
        verifier.onRecord(r);
        assertCounts(0, 0, 0, 1, 0);
        assertTrue(verifier.messages().get(0).contains("expected " + format.length(PayloadFormat.tag(0, 0))),
                verifier.messages()::toString);
    }

    @Test
    void shouldReportARecordTooShortForATag() {
        final ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        r.limit(4);
        verifier.onRecord(r);
        assertCounts(0, 0, 0, 1, 0);
    }

    @Test
    void shouldReportADuplicate() {
        deliver(0, 0);
        deliver(0, 1);
        deliver(0, 1);
        deliver(0, 2);
        deliver(0, 0); // an old one again, not just the last
        assertCounts(0, 2, 0, 0, 0);
        sent(0, 3);
        assertEquals(1, verifier.finish(sent, sentBytes), "received 5 of 3: totals differ");
    }

    @Test
    void shouldReportASkippedRecordAsLost() {
        deliver(0, 0);
        deliver(0, 2);
        deliver(0, 3);
        sent(0, 4);
        assertEquals(1, verifier.finish(sent, sentBytes));
        assertCounts(1, 0, 0, 0, 0);
        assertTrue(verifier.messages().get(0).contains("sequence 2 where 1 was expected"), verifier.messages()::toString);
    }

    @Test
    void shouldReportLostRecordsAtTheEnd() {
        deliver(3, 0);
        deliver(3, 1);
        sent(3, 5); // the last three never arrived: no later record reveals the gap, finish() does
        sent(1, 2); // nothing at all from sender 1
        assertTrue(verifier.clean());
        assertEquals(2, verifier.finish(sent, sentBytes));
        assertCounts(5, 0, 0, 0, 0);
    }

    @Test
    void shouldReportReorderedRecordsAsSuchNotAsLost() {
        deliver(0, 0);
        deliver(0, 2);
        deliver(0, 1);
        deliver(0, 5);
        deliver(0, 3);
        deliver(0, 4);
        deliver(0, 6);
        sent(0, 7);
        assertEquals(0, verifier.finish(sent, sentBytes), "every record arrived once");
        assertCounts(0, 0, 3, 0, 0);
    }

    @Test
    void shouldReportAnAbortedClaimThatWasDelivered() {
        deliver(0, 0);
        final long tag = PayloadFormat.ABORTED | PayloadFormat.tag(0, 1);
        verifier.onRecord(recordOf(tag, format.length(tag)));
        deliver(0, 1);
        sent(0, 2);
        assertEquals(0, verifier.finish(sent, sentBytes));
        assertCounts(0, 0, 0, 0, 1);
        assertTrue(verifier.messages().get(0).contains("aborted claim"), verifier.messages()::toString);
    }

    @Test
    void shouldReportAnIdNeverIssuedWithoutGrowingItsTables() {
        final long tag = PayloadFormat.tag(1_000_000_000, 0);
        verifier.onRecord(recordOf(tag, format.length(tag)));
        assertCounts(0, 0, 0, 1, 0);
        assertEquals(0, verifier.ids());
    }

    @Test
    void shouldRestoreSequencesPastTwoToThe32() {
        final long base = (1L << 32) - 2;
        for (long s = base; s < base + 4; s++) {
            final int low = PayloadFormat.sequenceLow(PayloadFormat.tag(5, s));
            assertEquals(s, PayloadFormat.restore(s, low));
            assertEquals(s, PayloadFormat.restore(s - 3, low), "ahead of the expected one");
            assertEquals(s, PayloadFormat.restore(s + 3, low), "behind the expected one");
        }
    }

    @Test
    void shouldDeriveLengthsInRangeFromTheTag() {
        final PayloadFormat narrow = new PayloadFormat(1, 8, 9);
        boolean eight = false;
        boolean nine = false;
        for (long s = 0; s < 1000; s++) {
            final int length = narrow.length(PayloadFormat.tag(0, s));
            assertTrue(length == 8 || length == 9, "length " + length);
            eight |= length == 8;
            nine |= length == 9;
        }
        assertTrue(eight && nine, "both ends of the range occur");
        assertEquals(format.length(PayloadFormat.tag(2, 9)), format.length(PayloadFormat.tag(2, 9)));
    }
}
