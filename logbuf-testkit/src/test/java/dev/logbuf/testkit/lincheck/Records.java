package dev.logbuf.testkit.lincheck;

import dev.logbuf.queue.Payload;
import java.util.List;
import java.util.Random;
import org.jetbrains.kotlinx.lincheck.RandomProvider;
import org.jetbrains.kotlinx.lincheck.paramgen.ParameterGenerator;

/**
 * What the Lincheck harnesses and their sequential specifications share: the
 * words an operation returns, the payload each claim writes, and the one way
 * a payload is turned into a result, so that the implementation and the
 * specification report a record in exactly the same words.
 *
 * <p>A payload names its producer and that producer's claim number in its
 * first byte ({@code producer << 6 | seq}) and fills the rest with a pattern
 * derived from that byte; {@link #describe} checks every byte, so a record
 * that comes out torn, shifted or from the wrong place reads as
 * {@code corrupt[...]}, which no specification ever returns.
 */
final class Records {

    /** The capacity of every ring the harnesses make: small, so full and wrap padding happen within a few claims. */
    static final int CAPACITY = 64;

    // results of producer operations
    static final String CLAIMED = "claimed";
    /** A claim found the ring full (with or without writing wrap padding first: the API reports both as null). */
    static final String FULL = "full";
    /** An operation of a handle that still holds a claim or record: IllegalStateException. */
    static final String BUSY = "busy";
    static final String COMMITTED = "committed";
    static final String ABORTED = "aborted";
    /** commit/abort/release with nothing open: nothing to call. */
    static final String NONE = "none";

    // results of consumer operations
    static final String EMPTY = "empty";
    static final String RELEASED = "released";

    // channel results
    static final String CLOSED = "closed";
    /** Use of a closed sender or receiver: IllegalStateException. */
    static final String HANDLE_CLOSED = "handle closed";
    /** A sender saw the receiver closed: ChannelClosedException. */
    static final String RECEIVER_GONE = "receiver gone";
    /** The receiver saw every sender closed and everything drained: ChannelClosedException. */
    static final String DISCONNECTED = "disconnected";

    private Records() {
    }

    /** The payload of {@code producer}'s claim number {@code seq}. */
    static byte[] payload(int producer, int seq, int length) {
        final byte[] bytes = new byte[length];
        final int tag = producer << 6 | (seq & 63);
        bytes[0] = (byte) tag;
        for (int i = 1; i < length; i++) {
            bytes[i] = filler(tag, i);
        }
        return bytes;
    }

    /** The result that names a record: {@code p<producer>#<seq>/<length>}, or {@code corrupt[...]}. */
    static String describe(byte[] bytes) {
        final int tag = bytes[0] & 0xff;
        for (int i = 1; i < bytes.length; i++) {
            if (bytes[i] != filler(tag, i)) {
                return corrupt(bytes);
            }
        }
        return "p" + (tag >> 6) + "#" + (tag & 63) + "/" + bytes.length;
    }

    /**
     * {@link #describe(byte[])} of a record in place: a batch handler's
     * payload, or a claimed record (a {@code ReadClaim} is a payload), read
     * through its own getters.
     */
    static String describe(Payload payload) {
        final byte[] bytes = new byte[payload.length()];
        payload.get(bytes);
        return describe(bytes);
    }

    /** The result of a batch read: its records, in order. */
    static String batch(List<String> records) {
        return records.toString();
    }

    private static byte filler(int tag, int index) {
        return (byte) (0x5a ^ (tag * 31 + index * 7));
    }

    private static String corrupt(byte[] bytes) {
        final StringBuilder hex = new StringBuilder("corrupt[");
        for (byte b : bytes) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return hex.append(']').toString();
    }

    /**
     * Lincheck parameter generator for claim lengths on a {@link #CAPACITY}-byte
     * ring, biased to the edges of the 8-byte alignment and the wrap: record
     * sizes 16, 24, 32, 48 and 64 (the maximum, 56 bytes of payload).
     */
    public static final class LengthGen implements ParameterGenerator<Integer> {
        private static final int[] LENGTHS = {1, 8, 9, 16, 17, 24, 40, 56};
        private final Random random;

        /**
         * @param randomProvider Lincheck's source of seeded randoms
         * @param configuration unused
         */
        public LengthGen(RandomProvider randomProvider, String configuration) {
            this.random = randomProvider.createRandom();
        }

        @Override
        public Integer generate() {
            return LENGTHS[random.nextInt(LENGTHS.length)];
        }

        @Override
        public void reset() {
        }
    }
}
