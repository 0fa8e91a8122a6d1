package dev.logbuf.demo;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The checks every record of the journal's producers passes, wherever it is
 * read back from (a journal's frame, a Kafka topic's record): long enough for
 * its {@link RecordPattern} tag, the next sequence number of its producer,
 * and a payload that matches the tag's pattern. Keeps each producer's records
 * and payload bytes, for the totals.
 *
 * <p>A record read at least once, as a shipper delivers it after a crash,
 * may come again: with {@code repeatsAllowed} an earlier sequence number is a
 * repeat, checked and counted but not added to the totals; without it, a
 * repeat is an error. A gap (a sequence number past the next one) is always
 * an error: records are missing.
 */
final class ProducerOrder {

    private final boolean repeatsAllowed;
    /** By producer id: the next sequence number, which is also the records seen, and their payload bytes. */
    private final long[] next = new long[RecordPattern.MAX_PRODUCERS];
    private final long[] bytes = new long[RecordPattern.MAX_PRODUCERS];
    /** Producer ids seen so far: the highest plus one. */
    private int producers;
    private long records;
    private long payloadBytes;
    private long repeats;

    ProducerOrder(boolean repeatsAllowed) {
        this.repeatsAllowed = repeatsAllowed;
    }

    /**
     * Checks the record in {@code buffer} (little-endian) from {@code start}
     * for {@code length} bytes, and counts it.
     *
     * @param where how messages name the record, such as "frame #3 at offset 20"
     * @throws CorruptJournalException if it is too short for its tag, out of
     *         its producer's order, or differs from its pattern
     */
    void check(ByteBuffer buffer, int start, int length, String where) throws CorruptJournalException {
        if (length < RecordPattern.MIN_LENGTH) {
            throw new CorruptJournalException(where + ": " + length + "-byte payload is shorter than its "
                    + RecordPattern.MIN_LENGTH + "-byte tag");
        }
        final long tag = buffer.getLong(start);
        final int producer = RecordPattern.producer(tag);
        final long sequence = RecordPattern.sequence(tag);
        final boolean repeat = sequence < next[producer];
        if (sequence > next[producer] || repeat && !repeatsAllowed) {
            throw new CorruptJournalException(where + ": producer " + producer + " sequence " + sequence
                    + ", expected " + next[producer]
                    + (repeat ? " (repeated or out of order)" : " (a gap: records missing)"));
        }
        final int mismatch = RecordPattern.firstMismatch(buffer, start, length);
        if (mismatch >= 0) {
            throw new CorruptJournalException(where + ": payload byte " + mismatch
                    + " differs from the pattern of producer " + producer + " sequence " + sequence);
        }
        if (repeat) {
            repeats++;
            return;
        }
        next[producer] = sequence + 1;
        bytes[producer] += length;
        producers = Math.max(producers, producer + 1);
        records++;
        payloadBytes += length;
    }

    /** Records counted (repeats not included). */
    long records() {
        return records;
    }

    long payloadBytes() {
        return payloadBytes;
    }

    /** Records that came again, when repeats are allowed. */
    long repeats() {
        return repeats;
    }

    /** Producer ids seen: the highest plus one. */
    int producers() {
        return producers;
    }

    /** Each producer's records, by id, for the first {@code count} ids. */
    long[] recordsByProducer(int count) {
        return Arrays.copyOf(next, count);
    }

    /** Each producer's payload bytes, by id, for the first {@code count} ids. */
    long[] bytesByProducer(int count) {
        return Arrays.copyOf(bytes, count);
    }

    /**
     * Compares each producer's records and payload bytes with what
     * {@code source} says it should be ({@code wantRecords}, {@code wantBytes}).
     *
     * @param what what holds the records, for the message: "the journal", "the topic"
     * @throws CorruptJournalException at the first producer whose totals differ
     */
    void compare(long[] wantRecords, long[] wantBytes, String what, String source) throws CorruptJournalException {
        final int count = Math.max(producers, wantRecords.length);
        compare(recordsByProducer(count), bytesByProducer(count), wantRecords, wantBytes, what, source);
    }

    /** Compares {@code records} and {@code bytes} with what {@code source} says, producer by producer. */
    static void compare(long[] records, long[] bytes, long[] wantRecords, long[] wantBytes, String what,
                        String source) throws CorruptJournalException {
        final int count = Math.max(records.length, wantRecords.length);
        for (int p = 0; p < count; p++) {
            final long r = p < records.length ? records[p] : 0;
            final long b = p < bytes.length ? bytes[p] : 0;
            final long wr = p < wantRecords.length ? wantRecords[p] : 0;
            final long wb = p < wantBytes.length ? wantBytes[p] : 0;
            if (r != wr || b != wb) {
                throw new CorruptJournalException("totals: producer " + p + " has " + r + " records (" + b
                        + " bytes) in " + what + ", but " + source + " " + wr + " records (" + wb + " bytes)");
            }
        }
    }
}
