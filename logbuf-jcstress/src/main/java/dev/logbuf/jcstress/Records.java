package dev.logbuf.jcstress;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.Payload;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.WriteClaim;
import java.nio.ByteBuffer;

/**
 * Tagged records, so that an outcome can say which record was seen and
 * whether every byte of it arrived.
 *
 * <p>A record with tag {@code t} (1..8) carries payload words that all derive
 * from {@code t} and their index. Reading one back gives its tag when every
 * word matches, or {@link #CORRUPT} when any does not (a torn publication,
 * bytes zeroed under it, an overlapping claim). A sequence of records reads
 * as the decimal digits of their tags in order, so {@code 13} means "record
 * 1, then record 3" and {@code 0} means "none".
 */
public final class Records {

    /** The tag a record reads as when any of its words is wrong. */
    public static final int CORRUPT = 9;

    private Records() {
    }

    /** The word at {@code index} of a record tagged {@code tag}. */
    static long word(int tag, int index) {
        return ((long) tag << 32) | (0x5EED_0000L + index);
    }

    /** Writes a record tagged {@code tag} into the whole of {@code claim}, then commits it. */
    public static void commit(WriteClaim claim, int tag) {
        fill(claim, tag);
        claim.commit();
    }

    /** Writes a record tagged {@code tag} into the whole of {@code claim}; its length must be a multiple of 8. */
    public static void fill(WriteClaim claim, int tag) {
        final int words = claim.length() / Long.BYTES;
        for (int i = 0; i < words; i++) {
            claim.putLong(i * Long.BYTES, word(tag, i));
        }
    }

    /**
     * The tag of a record, handed by a batch read or claimed (a
     * {@link ReadClaim} is a {@link Payload}), or {@link #CORRUPT}. Reads
     * every word with the payload's getters, which count from its first byte.
     */
    public static int tagOf(Payload payload) {
        final int length = payload.length();
        if (length == 0 || length % Long.BYTES != 0) {
            return CORRUPT;
        }
        final int tag = (int) (payload.getLong(0) >>> 32);
        if (tag < 1 || tag >= CORRUPT) {
            return CORRUPT;
        }
        for (int i = 0; i < length / Long.BYTES; i++) {
            if (payload.getLong(i * Long.BYTES) != word(tag, i)) {
                return CORRUPT;
            }
        }
        return tag;
    }

    /** Reads and releases the record in {@code claim}: its tag, or {@link #CORRUPT}. */
    public static int take(ReadClaim claim) {
        try {
            return tagOf(claim);
        } finally {
            claim.close();
        }
    }

    /** Takes one record if there is one: its tag, {@link #CORRUPT}, or 0 when none is committed. */
    public static int takeOne(Consumer consumer) {
        final ReadClaim claim = consumer.tryClaim();
        return claim == null ? 0 : take(claim);
    }

    /** Takes up to two records, one claim at a time, stopping at the first gap: the digits of their tags. */
    public static int takeTwo(Consumer consumer) {
        final int first = takeOne(consumer);
        if (first == 0) {
            return 0;
        }
        final int second = takeOne(consumer);
        return second == 0 ? first : first * 10 + second;
    }

    /** Takes every committed record, one claim at a time: the digits of their tags in order. */
    public static int drain(Consumer consumer) {
        int digits = 0;
        for (ReadClaim claim; (claim = consumer.tryClaim()) != null; ) {
            digits = digits * 10 + take(claim);
        }
        return digits;
    }

    /** Whether every byte between {@code claim}'s payload start and its end reads as zero. */
    public static boolean allZero(WriteClaim claim) {
        final ByteBuffer view = claim.buffer();
        for (int i = view.position(); i < view.limit(); i++) {
            if (view.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** A batch handler that notes the tags of the records it is handed, as digits. */
    public static final class Digits implements RecordHandler {
        /** The tags seen so far, in order. */
        public int digits;

        @Override
        public void onRecord(Payload payload) {
            digits = digits * 10 + tagOf(payload);
        }

        /** One batch read of up to {@code limit} records: the digits it added. */
        public int read(Consumer consumer, int limit) {
            digits = 0;
            consumer.read(this, limit);
            return digits;
        }
    }
}
