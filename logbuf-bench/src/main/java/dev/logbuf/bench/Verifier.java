package dev.logbuf.bench;

/**
 * Checks every record a consumer receives, so that a subject that loses,
 * duplicates, reorders or truncates records fails instead of looking fast:
 * per producer, the sequence must be the next one, the length must be the one
 * the table gives that sequence, and the last byte must be the source's.
 * Counts records and payload bytes.
 *
 * <p>Used by one consumer thread.
 */
final class Verifier {

    /** Producer ids are 0..MAX_PRODUCERS-1. */
    static final int MAX_PRODUCERS = 8;

    private static final long SEQUENCE_MASK = (1L << 56) - 1;

    private final int[] lengths;
    private final int mask;
    private final byte[] source = Payloads.SOURCE;
    private final long[] expected = new long[MAX_PRODUCERS];

    /** Records received and verified. */
    long records;
    /** Payload bytes received and verified. */
    long bytes;

    Verifier(int[] lengths) {
        this.lengths = lengths;
        this.mask = lengths.length - 1;
    }

    /**
     * Checks one record.
     *
     * @param stamp the record's first 8 bytes, little-endian
     * @param length the record's payload length
     * @param last the record's last payload byte
     */
    void check(long stamp, int length, byte last) {
        final int producer = (int) (stamp >>> 56);
        final long sequence = stamp & SEQUENCE_MASK;
        if (producer >= MAX_PRODUCERS || sequence != expected[producer]
                || length != lengths[(int) sequence & mask]
                || (length > Long.BYTES && last != source[length - 1])) {
            throw fail(producer, sequence, length, last);
        }
        expected[producer] = sequence + 1;
        records++;
        bytes += length;
    }

    private IllegalStateException fail(int producer, long sequence, int length, byte last) {
        final long want = producer < MAX_PRODUCERS ? expected[producer] : -1;
        return new IllegalStateException("bad record from producer " + producer + ": sequence " + sequence
                + " (expected " + want + "), length " + length + " (expected "
                + (want >= 0 ? lengths[(int) want & mask] : -1) + "), last byte " + last);
    }
}
