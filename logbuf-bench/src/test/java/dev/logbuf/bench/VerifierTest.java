package dev.logbuf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The realistic consumer's checksum: it accepts what the producers write and
 * rejects a payload byte the plain check does not look at.
 */
class VerifierTest {

    private final int[] lengths = Payloads.lengths("random");

    @Test
    void checksumOfADirectBufferAcceptsTheSourceAndCatchesAChangedByte() {
        final Verifier verifier = new Verifier(lengths, true);
        verifier.check(record(0, 0));
        verifier.check(record(0, 1));
        assertEquals(2, verifier.records);

        final ByteBuffer corrupt = record(0, 2);
        flipMiddleByte(corrupt);
        final IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> verifier.check(corrupt));
        assertTrue(failure.getMessage().contains("bad checksum"), failure.getMessage());
    }

    @Test
    void withoutTheChecksumAChangedMiddleByteGoesUnseen() {
        final Verifier verifier = new Verifier(lengths, false);
        final ByteBuffer corrupt = record(0, 0);
        flipMiddleByte(corrupt);
        verifier.check(corrupt);
        assertEquals(1, verifier.records);
    }

    @Test
    void checksumOfAnArrayAcceptsTheSourceAndCatchesAChangedByte() {
        final Verifier verifier = new Verifier(lengths, true);
        final byte[] message = Arrays.copyOf(Payloads.SOURCE, lengths[0]);
        verifier.checksum(message);
        message[message.length / 2] ^= 1;
        assertThrows(IllegalStateException.class, () -> verifier.checksum(message));
    }

    /** Record {@code sequence} of a producer as a receiver sees it: a direct buffer, payload from position to limit. */
    private ByteBuffer record(int producer, long sequence) {
        final int length = lengths[(int) sequence & (lengths.length - 1)];
        final int start = 24;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(start + length + 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(start, Payloads.SOURCE, 0, length);
        buffer.putLong(start, Payloads.stamp(producer, sequence));
        return buffer.limit(start + length).position(start);
    }

    private static void flipMiddleByte(ByteBuffer record) {
        final int middle = (record.position() + record.limit()) / 2;
        record.put(middle, (byte) (record.get(middle) ^ 1));
    }
}
