package dev.logbuf.soak;

import dev.logbuf.queue.Payload;
import java.nio.ByteBuffer;

/**
 * What the soak's senders put in a record, and how the receiver checks it.
 *
 * <pre>
 *   0                8                                          length
 *   +----------------+------------------------------------------+
 *   |      tag       |  content: a xorshift64 stream seeded from the tag
 *   +----------------+------------------------------------------+
 *   tag = aborted(1 bit) | sender id (31 bits) | sequence mod 2^32 (32 bits)
 * </pre>
 *
 * <p>Everything in a record is a function of its tag and the run's seed: its
 * length ({@link #length(long)}, uniform in {@code minLength..maxLength}) and
 * every byte after the tag. So the receiver re-derives the whole record from
 * the eight bytes it reads first and compares every byte, with nothing kept
 * per record on either side. The sequence is the sender's count of committed
 * records, from 0; the tag keeps its low 32 bits and the receiver restores
 * the rest from the sequence it expects.
 *
 * <p>A claim the sender aborts is filled the same way but its tag has the top
 * bit set ({@link #ABORTED}): a receiver that ever sees such a record has
 * been shown an aborted claim.
 *
 * <p>Writing costs one 64-bit store per eight bytes (a xorshift step each),
 * so the ring, not the generator, is what the soak measures. Immutable and
 * thread-safe.
 */
final class PayloadFormat {

    /** The tag is the first eight bytes; no record is shorter. */
    static final int TAG_LENGTH = Long.BYTES;
    /** The tag bit that marks a claim its sender aborted. */
    static final long ABORTED = Long.MIN_VALUE;
    /** The largest sender id a tag can carry. */
    static final int MAX_ID = Integer.MAX_VALUE;

    private final long lengthKey;
    private final long contentKey;
    private final int minLength;
    private final int maxLength;
    private final long span;

    /**
     * @param seed the run's seed: lengths and contents depend on it
     * @param minLength the shortest payload, at least {@link #TAG_LENGTH}
     * @param maxLength the longest payload, at least {@code minLength}
     */
    PayloadFormat(long seed, int minLength, int maxLength) {
        if (minLength < TAG_LENGTH || maxLength < minLength) {
            throw new IllegalArgumentException("lengths " + minLength + ".." + maxLength);
        }
        this.lengthKey = mix(seed ^ 0x5DEECE66DL);
        this.contentKey = mix(seed + 0x9E3779B97F4A7C15L);
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.span = (long) maxLength - minLength + 1;
    }

    int minLength() {
        return minLength;
    }

    int maxLength() {
        return maxLength;
    }

    /** The tag of record {@code sequence} of sender {@code id} (only the sequence's low 32 bits are kept). */
    static long tag(int id, long sequence) {
        return ((long) id << Integer.SIZE) | (sequence & 0xFFFF_FFFFL);
    }

    /** The sender id of a tag, the abort bit left out. */
    static int id(long tag) {
        return (int) (tag >>> Integer.SIZE) & MAX_ID;
    }

    /** The low 32 bits of the sequence number. */
    static int sequenceLow(long tag) {
        return (int) tag;
    }

    static boolean isAborted(long tag) {
        return (tag & ABORTED) != 0;
    }

    /**
     * The full sequence number that has {@code low} as its low 32 bits and is
     * nearest to {@code expected} (within -2^31..2^31-1 of it).
     */
    static long restore(long expected, int low) {
        return expected + (low - (int) expected);
    }

    /** The payload length of the record with this tag (the abort bit counts): minLength..maxLength. */
    int length(long tag) {
        final long hash = mix(tag ^ lengthKey);
        return minLength + (int) (((hash >>> Integer.SIZE) * span) >>> Integer.SIZE);
    }

    /**
     * Writes a whole payload: the tag, then the content derived from it.
     *
     * @param buffer the buffer, written with absolute puts (a claim's view)
     * @param start the buffer index of the payload's first byte
     * @param length the payload length, at least {@link #TAG_LENGTH}
     * @param tag the record's tag
     */
    void fill(ByteBuffer buffer, int start, int length, long tag) {
        buffer.putLong(start, tag);
        long x = firstState(tag);
        int i = TAG_LENGTH;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            x = next(x);
            buffer.putLong(start + i, x);
        }
        if (i < length) {
            x = next(x);
            for (; i < length; i++, x >>>= Byte.SIZE) {
                buffer.put(start + i, (byte) x);
            }
        }
    }

    /**
     * Compares every payload byte after the tag with what {@link #fill} writes
     * for the record's tag, its first eight bytes.
     *
     * @param payload the record, at least {@link #TAG_LENGTH} bytes; read with
     *        its getters, which count from its first byte
     * @return the payload offset of the first byte that differs, or -1 if all match
     */
    int firstMismatch(Payload payload) {
        final int length = payload.length();
        final long tag = payload.getLong(0);
        long x = firstState(tag);
        int i = TAG_LENGTH;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            x = next(x);
            final long actual = payload.getLong(i);
            if (actual != x) {
                // a payload is little-endian: the lowest byte that differs is the first
                return i + Long.numberOfTrailingZeros(actual ^ x) / Byte.SIZE;
            }
        }
        if (i < length) {
            x = next(x);
            for (; i < length; i++, x >>>= Byte.SIZE) {
                if (payload.getByte(i) != (byte) x) {
                    return i;
                }
            }
        }
        return -1;
    }

    private long firstState(long tag) {
        return mix(tag ^ contentKey) | 1; // xorshift64 must not start at 0
    }

    /** One step of Marsaglia's xorshift64 (13, 7, 17). */
    private static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /** SplitMix64's finalizer: a cheap, well-mixed 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
