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
 *   header has SKIP_BIT set    : skip (header &amp; SPAN_MASK) bytes, header included:
 *                                wrap padding at the end of the ring, or an aborted claim
 * </pre>
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

    /** Selects the span of a skip header. */
    static final long SPAN_MASK = ~SKIP_BIT;

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

    /** Whether {@code header} is a skip marker. */
    static boolean isSkip(long header) {
        return header < 0;
    }

    /** The bytes a skip header spans, itself included. */
    static int span(long header) {
        return (int) (header & SPAN_MASK);
    }

    /** The payload length of a committed header. */
    static int length(long header) {
        return (int) header;
    }
}
