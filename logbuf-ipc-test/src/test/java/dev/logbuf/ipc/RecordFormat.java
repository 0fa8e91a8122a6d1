package dev.logbuf.ipc;

import dev.logbuf.queue.Payload;
import dev.logbuf.queue.WriteClaim;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The records the test processes exchange, written and checked in one place.
 *
 * <pre>
 *   0        4                12                    12+n        16+n
 *   +--------+----------------+---------------------+-----------+
 *   |   id   |    sequence    |  content (n bytes)  |  CRC32C   |
 *   +--------+----------------+---------------------+-----------+
 *   little-endian; n = 1..200 and every content byte are functions of
 *   (seed, id, sequence); the CRC32C covers everything before it
 * </pre>
 *
 * <p>The length and content are derived rather than random so that the
 * consumer can tell a stale or misplaced record (a right checksum over the
 * wrong bytes) from the one it expects, and a failing run can be replayed
 * from its seed. One instance per thread: it keeps scratch arrays.
 */
final class RecordFormat {

    /** Bytes around the content: id, sequence, checksum. */
    static final int OVERHEAD = 4 + 8 + 4;
    /** The longest content; records are OVERHEAD + 1 .. OVERHEAD + MAX_CONTENT bytes. */
    static final int MAX_CONTENT = 200;
    static final int MAX_LENGTH = OVERHEAD + MAX_CONTENT;

    private final long seed;
    private final byte[] scratch = new byte[MAX_LENGTH];
    private final byte[] expected = new byte[MAX_LENGTH];
    private final ByteBuffer scratchView = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer expectedView = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();

    /** What {@link #check} found in the last record it looked at. */
    private int id;
    private long sequence;
    private int length;

    RecordFormat(long seed) {
        this.seed = seed;
    }

    /** The record length for {@code (id, sequence)}: OVERHEAD + 1 .. MAX_LENGTH. */
    int length(int id, long sequence) {
        return OVERHEAD + 1 + (int) Long.remainderUnsigned(mix(id, sequence), MAX_CONTENT);
    }

    /**
     * Writes record {@code (id, sequence)} into {@code claim}, which must
     * have been made for {@link #length(int, long)} bytes. The record is built
     * while the claim is open (as a real producer would), so a producer killed
     * at a random time is usually killed mid-claim.
     */
    void write(WriteClaim claim, int id, long sequence) {
        final int length = fill(scratch, id, sequence);
        claim.put(scratch, 0, length);
    }

    /**
     * Writes only the first {@code OVERHEAD - 4} bytes of the record into an
     * open claim: the state a producer that dies mid-claim leaves behind.
     */
    void writePart(WriteClaim claim, int id, long sequence) {
        fill(scratch, id, sequence);
        claim.put(scratch, 0, OVERHEAD - 4);
    }

    /**
     * Checks the record in {@code payload}, copied out with its
     * record-relative getter.
     *
     * @return null when it is a well-formed record, else what is wrong with
     *         it; either way {@link #id()}, {@link #sequence()} and
     *         {@link #length()} say what it claims to be (when it has at least
     *         an id and a sequence)
     */
    String check(Payload payload) {
        final int length = payload.length();
        this.length = length;
        if (length < OVERHEAD + 1 || length > MAX_LENGTH) {
            id = -1;
            sequence = -1;
            return "a record of " + length + " bytes; they are " + (OVERHEAD + 1) + ".." + MAX_LENGTH;
        }
        payload.get(0, scratch, 0, length);
        id = scratchView.getInt(0);
        sequence = scratchView.getLong(4);
        crc.reset();
        crc.update(scratch, 0, length - 4);
        final int found = scratchView.getInt(length - 4);
        if ((int) crc.getValue() != found) {
            return "record id " + id + " seq " + sequence + " (" + length + " bytes): checksum "
                    + Integer.toHexString(found) + ", computed " + Integer.toHexString((int) crc.getValue());
        }
        if (id < 0 || sequence < 0) {
            return "record id " + id + " seq " + sequence + ": negative id or sequence";
        }
        final int expectedLength = length(id, sequence);
        if (length != expectedLength) {
            return "record id " + id + " seq " + sequence + ": " + length + " bytes, expected " + expectedLength;
        }
        fill(expected, id, sequence);
        if (!Arrays.equals(scratch, 0, length, expected, 0, length)) {
            return "record id " + id + " seq " + sequence + ": content differs from what its seed gives";
        }
        return null;
    }

    int id() {
        return id;
    }

    long sequence() {
        return sequence;
    }

    int length() {
        return length;
    }

    /** Builds record {@code (id, sequence)} in {@code into}; returns its length. */
    private int fill(byte[] into, int id, long sequence) {
        final int length = length(id, sequence);
        final ByteBuffer view = into == scratch ? scratchView : expectedView;
        view.putInt(0, id);
        view.putLong(4, sequence);
        long x = mix(id, sequence) | 1; // xorshift64 must not start at 0
        for (int i = 12; i < length - 4; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            into[i] = (byte) x;
        }
        crc.reset();
        crc.update(into, 0, length - 4);
        view.putInt(length - 4, (int) crc.getValue());
        return length;
    }

    /** A well-spread 64-bit value of (seed, id, sequence): SplitMix64's finaliser over a combination. */
    private long mix(int id, long sequence) {
        long z = seed + 0x9E3779B97F4A7C15L * (sequence + 1) + 0xC2B2AE3D27D4EB4FL * (id + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
