package dev.logbuf.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.SpscQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The verifier driven directly, record by record: clean streams pass, and
 * each kind of fault is reported as what it is. Each record, damaged or not,
 * goes through a ring and reaches the verifier as a batch read hands it.
 */
class VerifierTest {

    private static final long SEED = 7;
    private final PayloadFormat format = new PayloadFormat(SEED, 8, 1024);
    /** Sender ids 0..3 are issued. */
    private final Verifier verifier = new Verifier(format, id -> id < 4);
    /** Per id, what the test "sent" (records and bytes) for finish(). */
    private final long[] sent = new long[4];
    private final long[] sentBytes = new long[4];
    /**
     * Carries one record at a time to the verifier. Records of 1 KiB at most
     * wrap around it often, so payloads sit anywhere in the ring, not at 0.
     */
    private final SpscQueue ring = SpscQueue.create(4096);

    /** The bytes of record {@code sequence} of {@code id}, as its sender writes them. */
    private byte[] record(int id, long sequence) {
        final long tag = PayloadFormat.tag(id, sequence);
        return recordOf(tag, format.length(tag));
    }

    private byte[] recordOf(long tag, int length) {
        final ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        format.fill(buffer, 0, length, tag);
        return buffer.array();
    }

    /** Commits {@code bytes} as one record and has {@code to} read it, as the soak's receiver does. */
    private void deliver(byte[] bytes, Verifier to) {
        ring.producer().tryClaim(bytes.length).put(bytes).commit();
        assertEquals(1, ring.consumer().read(to, 1));
    }

    /** Delivers record {@code sequence} of {@code id} to the verifier. */
    private void deliver(int id, long sequence) {
        deliver(record(id, sequence), verifier);
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
            final byte[] r = recordOf(tag, length);
            r[at] ^= 0x01; // one bit
            deliver(r, fresh);
            assertEquals(1, fresh.corrupted(), "flipped payload byte " + at + " of " + length);
            assertTrue(fresh.messages().get(0).contains("payload byte " + at + " of " + length),
                    fresh.messages()::toString);
        }
    }

    @Test
    void shouldReportADamagedTag() {
        deliver(0, 0);
        final byte[] r = record(0, 1);
        r[0] ^= 0x04; // sequence 1 reads as 5
        deliver(r, verifier);
        assertFalse(verifier.clean());
        assertEquals(1, verifier.corrupted(), verifier.messages()::toString); // length or content no longer match
    }

    @Test
    void shouldReportAWrongLength() {
        final byte[] r = record(0, 0);
        deliver(Arrays.copyOf(r, r.length - 1), verifier); // the ring says one byte less
        assertCounts(0, 0, 0, 1, 0);
        assertTrue(verifier.messages().get(0).contains("expected " + format.length(PayloadFormat.tag(0, 0))),
                verifier.messages()::toString);
    }

    @Test
    void shouldReportARecordTooShortForATag() {
        deliver(new byte[4], verifier);
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
        deliver(recordOf(tag, format.length(tag)), verifier);
        deliver(0, 1);
        sent(0, 2);
        assertEquals(0, verifier.finish(sent, sentBytes));
        assertCounts(0, 0, 0, 0, 1);
        assertTrue(verifier.messages().get(0).contains("aborted claim"), verifier.messages()::toString);
    }

    @Test
    void shouldReportAnIdNeverIssuedWithoutGrowingItsTables() {
        final long tag = PayloadFormat.tag(1_000_000_000, 0);
        deliver(recordOf(tag, format.length(tag)), verifier);
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
