package dev.logbuf.testkit;

import dev.logbuf.queue.Payload;
import java.util.zip.CRC32;

/**
 * Payloads that say who wrote them and carry a checksum, so that a receiver
 * can tell a lost, duplicated, reordered or corrupted record from the bytes.
 *
 * <pre>
 *   byte 0             : sender (2 bits) | sequence number (low 6 bits)
 *   bytes 1..len-5     : a pattern of (sender, sequence, index)
 *   last 4 bytes       : CRC32 of the bytes before them (records of 9 bytes or more)
 * </pre>
 *
 * The sequence's low bits suffice: a receiver checks each record against the
 * next one it expects from that sender, byte for byte.
 */
public final class Payloads {

    /** The most senders the encoding tells apart. */
    public static final int MAX_SENDERS = 4;

    private Payloads() {
    }

    /**
     * The payload of record {@code seq} of {@code sender}.
     *
     * @param sender the sender, 0..3
     * @param seq the sender's sequence number
     * @param length the payload length, at least 1
     * @return the bytes
     */
    public static byte[] of(int sender, int seq, int length) {
        final byte[] b = pattern(sender * 0x9E3779B1L + seq, length);
        b[0] = (byte) ((sender << 6) | (seq & 63));
        if (length >= 9) {
            final CRC32 crc = new CRC32();
            crc.update(b, 0, length - 4);
            final int sum = (int) crc.getValue();
            b[length - 4] = (byte) sum;
            b[length - 3] = (byte) (sum >>> 8);
            b[length - 2] = (byte) (sum >>> 16);
            b[length - 1] = (byte) (sum >>> 24);
        }
        return b;
    }

    /**
     * The sender a payload names.
     *
     * @param payload the bytes
     * @return the sender, 0..3
     */
    public static int sender(byte[] payload) {
        return (payload[0] >>> 6) & 3;
    }

    /**
     * Whether a payload's checksum holds (always true under 9 bytes, which carry none).
     *
     * @param payload the bytes
     * @return true if intact
     */
    public static boolean checksumHolds(byte[] payload) {
        final int n = payload.length;
        if (n < 9) {
            return true;
        }
        final CRC32 crc = new CRC32();
        crc.update(payload, 0, n - 4);
        final int sum = (int) crc.getValue();
        final int stored = (payload[n - 4] & 0xFF) | (payload[n - 3] & 0xFF) << 8
                | (payload[n - 2] & 0xFF) << 16 | (payload[n - 1] & 0xFF) << 24;
        return sum == stored;
    }

    /**
     * A deterministic pattern with no zero bytes, so that a write shows.
     *
     * @param seed picks the pattern
     * @param length how many bytes
     * @return the bytes
     */
    public static byte[] pattern(long seed, int length) {
        final byte[] b = new byte[length];
        long x = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        for (int i = 0; i < length; i++) {
            x ^= x >>> 29;
            x *= 0xBF58476D1CE4E5B9L;
            x ^= x >>> 32;
            final byte v = (byte) x;
            b[i] = v == 0 ? 1 : v;
        }
        return b;
    }

    /**
     * A copy of the record a batch read handed over, taken through the
     * payload's own getter (indexes from its first byte) while it is valid.
     */
    static byte[] copyOf(Payload payload) {
        final byte[] copy = new byte[payload.length()];
        payload.get(copy);
        return copy;
    }
}
