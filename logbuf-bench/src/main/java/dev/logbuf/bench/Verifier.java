package dev.logbuf.bench;

import dev.logbuf.queue.Payload;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

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

    /**
     * Whether the consumer also reads every payload byte: a CRC32C over the
     * bytes after the stamp, compared with the source's (see {@link #checksum}).
     */
    final boolean checksum;
    /** CRC32C of the source's bytes 8..length, by length; null unless {@link #checksum}. */
    private final int[] crcByLength;
    private final CRC32C crc = new CRC32C();

    /** Records received and verified. */
    long records;
    /** Payload bytes received and verified. */
    long bytes;

    Verifier(int[] lengths) {
        this(lengths, false);
    }

    /**
     * @param lengths the producers' length table
     * @param checksum true when the receiver must also call {@link #checksum} for every record
     */
    Verifier(int[] lengths, boolean checksum) {
        this.lengths = lengths;
        this.mask = lengths.length - 1;
        this.checksum = checksum;
        this.crcByLength = checksum ? crcTable(source) : null;
    }

    private static int[] crcTable(byte[] source) {
        final int[] table = new int[source.length + 1];
        final CRC32C crc = new CRC32C();
        for (int length = Long.BYTES; length <= source.length; length++) {
            crc.reset();
            crc.update(source, Long.BYTES, length - Long.BYTES);
            table[length] = (int) crc.getValue();
        }
        return table;
    }

    /**
     * Checks a record logbuf hands over (a handler's payload, or a read
     * claim), and checksums it when {@link #checksum}: the fields through the
     * payload's getters, which count from its first byte; the checksum over
     * its direct NIO view ({@link Payload#buffer()}), in place, as Agrona's
     * receiver checksums its ring's memory.
     */
    void check(Payload payload) {
        final int length = payload.length();
        check(payload.getLong(0), length, payload.getByte(length - 1));
        if (checksum) {
            final ByteBuffer view = payload.buffer();
            checksum(view, view.position(), length);
        }
    }

    /**
     * Reads every byte of a record after its stamp, as a journal that
     * checksums what it stores does: a CRC32C over {@code payload}'s bytes
     * {@code start + 8 .. start + length}, which must match the source's. Moves
     * the buffer's position and limit.
     *
     * @param payload a buffer holding the record (a direct one takes the JDK's CRC32C intrinsic in place)
     * @param start the index of the record's first payload byte
     * @param length the record's payload length, at least 8
     */
    void checksum(ByteBuffer payload, int start, int length) {
        payload.limit(start + length).position(start + Long.BYTES);
        crc.reset();
        crc.update(payload);
        checkCrc(length);
    }

    /** {@link #checksum(ByteBuffer, int, int)} for a record held in an array of its own. */
    void checksum(byte[] message) {
        crc.reset();
        crc.update(message, Long.BYTES, message.length - Long.BYTES);
        checkCrc(message.length);
    }

    private void checkCrc(int length) {
        if ((int) crc.getValue() != crcByLength[length]) {
            throw new IllegalStateException("bad checksum of a " + length + "-byte record: "
                    + Integer.toHexString((int) crc.getValue()) + ", expected "
                    + Integer.toHexString(crcByLength[length]));
        }
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
