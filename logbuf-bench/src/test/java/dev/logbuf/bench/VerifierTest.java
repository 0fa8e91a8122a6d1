package dev.logbuf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.WriteClaim;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The realistic consumer's checksum: it accepts what the producers write and
 * rejects a payload byte the plain check does not look at.
 */
class VerifierTest {

    private final int[] lengths = Payloads.lengths("random");
    /** Holds one record at a time; its memory is direct, as every logbuf ring's is. */
    private final SpscQueue queue = SpscQueue.create(4096);

    @Test
    void checksumOfADirectBufferAcceptsTheSourceAndCatchesAChangedByte() {
        final Verifier verifier = new Verifier(lengths, true);
        read(record(0, 0, false), verifier::check);
        read(record(0, 1, false), verifier::check);
        assertEquals(2, verifier.records);

        record(0, 2, true);
        final IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> queue.consumer().read(verifier::check, 1));
        assertTrue(failure.getMessage().contains("bad checksum"), failure.getMessage());
    }

    @Test
    void withoutTheChecksumAChangedMiddleByteGoesUnseen() {
        final Verifier verifier = new Verifier(lengths, false);
        read(record(0, 0, true), verifier::check);
        assertEquals(1, verifier.records);
    }

    @Test
    void aReadClaimIsCheckedAsAHandlersPayloadIs() {
        final Verifier verifier = new Verifier(lengths, true);
        record(0, 0, false);
        try (ReadClaim claim = queue.consumer().tryClaim()) {
            verifier.check(claim);
        }
        record(0, 1, true);
        try (ReadClaim claim = queue.consumer().tryClaim()) {
            final IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> verifier.check(claim));
            assertTrue(failure.getMessage().contains("bad checksum"), failure.getMessage());
        }
    }

    @Test
    void checksumOfAnArrayAcceptsTheSourceAndCatchesAChangedByte() {
        final Verifier verifier = new Verifier(lengths, true);
        final byte[] message = Arrays.copyOf(Payloads.SOURCE, lengths[0]);
        verifier.checksum(message);
        message[message.length / 2] ^= 1;
        assertThrows(IllegalStateException.class, () -> verifier.checksum(message));
    }

    /**
     * Commits record {@code sequence} of a producer as the benchmarks' senders
     * write it, with its middle byte flipped when {@code corrupt}.
     */
    private int record(int producer, long sequence, boolean corrupt) {
        final int length = lengths[(int) sequence & (lengths.length - 1)];
        final WriteClaim claim = queue.producer().tryClaim(length);
        claim.put(Payloads.SOURCE, 0, length).putLong(0, Payloads.stamp(producer, sequence));
        if (corrupt) {
            final int middle = length / 2;
            assertTrue(middle >= Long.BYTES, "the flipped byte would be the stamp's");
            claim.putByte(middle, (byte) (Payloads.SOURCE[middle] ^ 1));
        }
        claim.commit();
        return length;
    }

    /** Reads the one waiting record through {@code handler}, as a benchmark's receiver does. */
    private void read(int length, RecordHandler handler) {
        final int[] seen = new int[1];
        assertEquals(1, queue.consumer().read(payload -> {
            seen[0] = payload.length();
            handler.onRecord(payload);
        }, 1));
        assertEquals(length, seen[0]);
    }
}
