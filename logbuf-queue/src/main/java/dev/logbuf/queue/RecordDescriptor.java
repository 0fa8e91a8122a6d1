package dev.logbuf.queue;

/**
 * The record format, in one place. Both rings and the consumer use it; nothing
 * else knows the header encoding.
 *
 * <pre>
 *   0                   8                                  8 + length    recordSize
 *   +-------------------+------------------------------------+-----------+
 *   | header (8 bytes)  | payload (length bytes)             | zero pad  |
 *   +-------------------+------------------------------------+-----------+
 *   ^ 8-aligned offset                                          next header is 8-aligned
 *
 *   header == 0                : nothing published here yet (the consumer waits)
 *   header  > 0                : a committed record; the value is the payload length
 *   SKIP_BIT, bit 62 clear     : skip span(header) bytes, header included:
 *                                wrap padding at the end of the ring, or an aborted claim
 *   SKIP_BIT and bit 62 set    : a claim in progress: span(header) bytes, claimed by the
 *                                producer handle claimant(header); the consumer waits, or
 *                                recovers the claim once its owner is known to be gone
 *
 *   bit  63   62   61 ........ 32   31 ........ 0
 *        1    1    claimant (30)    span (32; at most 2^30)       in progress
 *        1    0    0                span                           skip
 *        0    0    0                length (1 .. 2^30 - 8)         committed
 * </pre>
 *
 * <p>Every header but a committed one is negative, so the consumer's common
 * case, a committed record, is one comparison ({@code header > 0}).
 *
 * The header is read and written only as one aligned 8-byte word through the
 * ring's {@code VarHandle}, so it is never torn.
 */
final class RecordDescriptor {

    /** Bytes of the header that starts every record. */
    static final int HEADER_LENGTH = 8;

    /** Every record starts at a multiple of this. */
    static final int ALIGNMENT = 8;

    /** Marks a region the consumer steps over without showing it. */
    static final long SKIP_BIT = Long.MIN_VALUE;

    /** Both top bits: marks a claim in progress (a skip marker with bit 62 also set). */
    static final long IN_PROGRESS = SKIP_BIT | (1L << 62);

    /** Claimant ids are 30 bits: 0 .. 2^30 - 1. */
    static final int CLAIMANT_MASK = (1 << 30) - 1;

    private static final int CLAIMANT_SHIFT = 32;
    private static final long SPAN_BITS = 0xFFFF_FFFFL;

    /** The header value of a slot that nothing has published to. */
    static final long UNPUBLISHED = 0L;

    private RecordDescriptor() {
    }

    /** The bytes a record of {@code length} payload bytes occupies, header and padding included. */
    static int recordSize(int length) {
        return (HEADER_LENGTH + length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** The header that commits a record of {@code length} payload bytes. */
    static long committed(int length) {
        return length;
    }

    /** The header that tells the consumer to step over {@code span} bytes. */
    static long skip(int span) {
        return SKIP_BIT | span;
    }

    /**
     * The header a producer writes when it claims {@code span} bytes, before it
     * writes the payload: the consumer waits on it, and knows whose claim it is.
     */
    static long inProgress(int claimant, int span) {
        return IN_PROGRESS | ((long) claimant << CLAIMANT_SHIFT) | span;
    }

    /** Whether {@code header} is a skip marker (and not a claim in progress). */
    static boolean isSkip(long header) {
        return (header & IN_PROGRESS) == SKIP_BIT;
    }

    /** Whether {@code header} marks a claim in progress. */
    static boolean isInProgress(long header) {
        return (header & IN_PROGRESS) == IN_PROGRESS;
    }

    /** The producer handle that made the claim of an in-progress header. */
    static int claimant(long header) {
        return (int) (header >>> CLAIMANT_SHIFT) & CLAIMANT_MASK;
    }

    /** The bytes a skip or in-progress header spans, itself included. */
    static int span(long header) {
        return (int) (header & SPAN_BITS);
    }

    /** The payload length of a committed header. */
    static int length(long header) {
        return (int) header;
    }
}
