package dev.logbuf.demo;

import dev.logbuf.queue.WriteClaim;
import java.nio.ByteBuffer;

/**
 * What the journal's producers put in a record, and how to check it.
 *
 * <pre>
 *   0                8                                   length
 *   +----------------+-----------------------------------+
 *   |      tag       |  filler: word(tag, 1), word(tag, 2), …  (the last one cut short)
 *   +----------------+-----------------------------------+
 *   tag = producer &lt;&lt; 48 | sequence        (little-endian int64)
 * </pre>
 *
 * <p>The eight-byte tag names the producer (16 bits) and its sequence number
 * (48 bits, counting from 0). The rest of the payload is a pattern derived
 * from the tag alone: the little-endian {@code long} at payload offset
 * {@code 8 * j} is {@link #word(long, int) word(tag, j)}, and a last partial
 * word keeps its low-order bytes. Any record can thus be checked on its own,
 * whatever its length, so a verifier catches bytes that were written wrong as
 * well as bytes that were damaged after their checksum was computed.
 */
final class RecordPattern {

    /** The shortest payload: the tag alone. */
    static final int MIN_LENGTH = Long.BYTES;
    /** The most producers a journal can tell apart. */
    static final int MAX_PRODUCERS = 1 << 16;
    private static final int SEQUENCE_BITS = 48;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

    private RecordPattern() {
    }

    static long tag(int producer, long sequence) {
        return ((long) producer << SEQUENCE_BITS) | (sequence & SEQUENCE_MASK);
    }

    static int producer(long tag) {
        return (int) (tag >>> SEQUENCE_BITS);
    }

    static long sequence(long tag) {
        return tag & SEQUENCE_MASK;
    }

    /** The filler word at payload offset {@code 8 * j}: a cheap, well-mixed function of tag and j. */
    static long word(long tag, int j) {
        long x = tag * 0x9E3779B97F4A7C15L + j * 0xC2B2AE3D27D4EB4FL;
        x = (x ^ (x >>> 31)) * 0xD6E8FEB86659FD93L;
        return x ^ (x >>> 32);
    }

    /** Writes the whole payload of {@code claim}: the tag, then the filler. */
    static void fill(WriteClaim claim, long tag) {
        final int length = claim.length();
        claim.putLong(0, tag);
        int j = 1;
        for (; Long.BYTES * (j + 1) <= length; j++) {
            claim.putLong(Long.BYTES * j, word(tag, j));
        }
        long rest = word(tag, j);
        for (int i = Long.BYTES * j; i < length; i++, rest >>>= Byte.SIZE) {
            claim.putByte(i, (byte) rest);
        }
    }

    /**
     * Checks the filler of a payload against its tag.
     *
     * @param buffer a little-endian buffer holding the payload
     * @param start the buffer index of the payload's first byte (the tag)
     * @param length the payload length, at least {@link #MIN_LENGTH}
     * @return the payload offset of the first byte that differs, or -1 if all match
     */
    static int firstMismatch(ByteBuffer buffer, int start, int length) {
        final long tag = buffer.getLong(start);
        int j = 1;
        for (; Long.BYTES * (j + 1) <= length; j++) {
            final long expected = word(tag, j);
            final long actual = buffer.getLong(start + Long.BYTES * j);
            if (actual != expected) {
                return Long.BYTES * j + Long.numberOfTrailingZeros(actual ^ expected) / Byte.SIZE;
            }
        }
        long rest = word(tag, j);
        for (int i = Long.BYTES * j; i < length; i++, rest >>>= Byte.SIZE) {
            if (buffer.get(start + i) != (byte) rest) {
                return i;
            }
        }
        return -1;
    }
}
