package dev.logbuf.soak;

import dev.logbuf.queue.Payload;
import dev.logbuf.queue.RecordHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The receiving side's check of every record, in the order the receiver gets
 * them: the sender id, the sender's sequence number, the length and every
 * payload byte (see {@link PayloadFormat}).
 *
 * <p>Per sender id it keeps the next sequence number it expects. A record
 * with that number is in order. A higher one opens a gap: the numbers
 * skipped count as <em>lost</em>. A lower one that falls in a gap arrived
 * late: it counts as <em>reordered</em> (and no longer as lost); a lower one
 * outside every gap was already received: <em>duplicated</em>. A record whose
 * length or any byte differs from what its tag implies, whose tag names a
 * sender id that was never issued, or that is too short to hold a tag is
 * <em>corrupted</em>; a record whose tag carries the abort bit is an aborted
 * claim that should never have been shown (<em>abortedSeen</em>). At the end,
 * {@link #finish(long[], long[])} compares with what the senders say they
 * committed: records they committed after the last one received are lost too,
 * and every id's record and byte totals must match.
 *
 * <p>The clean path allocates nothing: per-id state lives in arrays that grow
 * when a new id appears (once per sender incarnation). Failures keep the gaps
 * and the first {@value #MAX_MESSAGES} descriptions.
 *
 * <p>Threading: confined to the receiving thread; another thread may read the
 * results only after a happens-before edge (the soak joins the thread).
 */
final class Verifier implements RecordHandler {

    /** How many failure descriptions are kept. */
    static final int MAX_MESSAGES = 20;

    private final PayloadFormat format;
    private final IntPredicate issued;

    /** Per id: the next sequence number expected (one past the highest seen). */
    private long[] next = new long[64];
    /** Per id: records and payload bytes received, damaged ones included. */
    private long[] received = new long[64];
    private long[] receivedBytes = new long[64];
    /** One past the highest id seen. */
    private int ids;
    /** Per id with missing numbers: gap start -> gap end (exclusive). Failure path only. */
    private final Map<Integer, TreeMap<Long, Long>> gaps = new HashMap<>();

    private long records;
    private long bytes;
    private long lost;
    private long duplicated;
    private long reordered;
    private long corrupted;
    private long abortedSeen;
    private boolean finished;
    private final List<String> messages = new ArrayList<>();

    /**
     * @param format the run's payload format
     * @param issued whether a sender id has been handed to a sender; asked
     *        only the first time an id shows up, so a corrupted tag cannot
     *        make the verifier grow its tables to a bogus id
     */
    Verifier(PayloadFormat format, IntPredicate issued) {
        this.format = format;
        this.issued = issued;
    }

    /**
     * Checks one record, handed by a batch read or claimed (a
     * {@link dev.logbuf.queue.ReadClaim} is a {@link Payload}): its length as
     * the ring reports it, and every byte, read with the payload's getters,
     * which count from its first byte.
     */
    @Override
    public void onRecord(Payload payload) {
        final int length = payload.length();
        final long n = records++;
        bytes += length;
        if (length < PayloadFormat.TAG_LENGTH) {
            corrupted++;
            fail("record #" + n + ": " + length + " bytes, too short for a tag");
            return;
        }
        final long tag = payload.getLong(0);
        if (PayloadFormat.isAborted(tag)) {
            abortedSeen++;
            fail("record #" + n + ": an aborted claim was delivered (sender " + PayloadFormat.id(tag)
                    + ", sequence " + Integer.toUnsignedString(PayloadFormat.sequenceLow(tag)) + " mod 2^32)");
            return;
        }
        final int id = PayloadFormat.id(tag);
        if (!known(id)) {
            corrupted++;
            fail("record #" + n + ": sender id " + id + " was never issued (tag " + Long.toHexString(tag) + ")");
            return;
        }
        final long expected = next[id];
        final long sequence = PayloadFormat.restore(expected, PayloadFormat.sequenceLow(tag));
        received[id]++;
        receivedBytes[id] += length;

        final int expectedLength = format.length(tag);
        if (length != expectedLength) {
            corrupted++;
            fail("record #" + n + ": sender " + id + " sequence " + sequence + ": " + length
                    + " bytes, expected " + expectedLength);
        } else {
            final int at = format.firstMismatch(payload);
            if (at >= 0) {
                corrupted++;
                fail("record #" + n + ": sender " + id + " sequence " + sequence + ": payload byte " + at
                        + " of " + length + " differs");
            }
        }

        if (sequence == expected) {
            next[id] = expected + 1;
        } else if (sequence > expected) {
            lost += sequence - expected;
            gapsOf(id).put(expected, sequence);
            next[id] = sequence + 1;
            fail("record #" + n + ": sender " + id + ": sequence " + sequence + " where " + expected
                    + " was expected (" + (sequence - expected) + " missing so far)");
        } else if (fillGap(id, sequence)) {
            lost--;
            reordered++;
            fail("record #" + n + ": sender " + id + ": sequence " + sequence + " arrived after "
                    + (expected - 1) + " (reordered)");
        } else {
            duplicated++;
            fail("record #" + n + ": sender " + id + ": sequence " + sequence + " again, after "
                    + (expected - 1) + " (duplicated)");
        }
    }

    /**
     * Ends the check: compares with what the senders committed, by id. The
     * records an id committed after the last one received count as lost; an
     * id whose record or byte totals differ counts as a mismatch.
     *
     * @param sentRecords per sender id, the records its sender committed
     * @param sentBytes per sender id, their payload bytes
     * @return the number of ids whose totals differ
     */
    long finish(long[] sentRecords, long[] sentBytes) {
        if (finished) {
            throw new IllegalStateException("already finished");
        }
        finished = true;
        long mismatched = 0;
        final int count = Math.max(ids, sentRecords.length);
        for (int id = 0; id < count; id++) {
            final long sent = id < sentRecords.length ? sentRecords[id] : 0;
            final long sentB = id < sentBytes.length ? sentBytes[id] : 0;
            final long got = id < ids ? received[id] : 0;
            final long gotB = id < ids ? receivedBytes[id] : 0;
            final long expected = id < ids ? next[id] : 0;
            if (sent > expected) {
                lost += sent - expected;
                fail("sender " + id + ": its last " + (sent - expected) + " records (from sequence " + expected
                        + ") never arrived");
            }
            if (sent != got || sentB != gotB) {
                mismatched++;
                fail("sender " + id + ": committed " + sent + " records (" + sentB + " bytes), received " + got
                        + " (" + gotB + " bytes)");
            }
        }
        return mismatched;
    }

    /** Records checked, damaged ones included. */
    long records() {
        return records;
    }

    /** Payload bytes checked, damaged records included. */
    long bytes() {
        return bytes;
    }

    long lost() {
        return lost;
    }

    long duplicated() {
        return duplicated;
    }

    long reordered() {
        return reordered;
    }

    long corrupted() {
        return corrupted;
    }

    long abortedSeen() {
        return abortedSeen;
    }

    /** Whether nothing is lost, duplicated, reordered, corrupted or aborted-but-seen so far. */
    boolean clean() {
        return lost == 0 && duplicated == 0 && reordered == 0 && corrupted == 0 && abortedSeen == 0;
    }

    /** One past the highest sender id seen. */
    int ids() {
        return ids;
    }

    /** Records received from sender {@code id}. */
    long received(int id) {
        return id < ids ? received[id] : 0;
    }

    /** Payload bytes received from sender {@code id}. */
    long receivedBytes(int id) {
        return id < ids ? receivedBytes[id] : 0;
    }

    /** The first {@value #MAX_MESSAGES} failures, described, in order. */
    List<String> messages() {
        return List.copyOf(messages);
    }

    /** Whether {@code id} may appear: seen before, or issued (the predicate is asked once per new id). */
    private boolean known(int id) {
        if (id < ids && received[id] != 0) {
            return true;
        }
        if (!issued.test(id)) {
            return false;
        }
        if (id >= next.length) {
            final int size = Math.max(id + 1, (int) Math.min(PayloadFormat.MAX_ID, 2L * next.length));
            next = Arrays.copyOf(next, size);
            received = Arrays.copyOf(received, size);
            receivedBytes = Arrays.copyOf(receivedBytes, size);
        }
        if (id >= ids) {
            ids = id + 1;
        }
        return true;
    }

    private TreeMap<Long, Long> gapsOf(int id) {
        return gaps.computeIfAbsent(id, k -> new TreeMap<>());
    }

    /** Removes {@code sequence} from the gaps of {@code id}; false if it was in none (a duplicate). */
    private boolean fillGap(int id, long sequence) {
        final TreeMap<Long, Long> open = gaps.get(id);
        if (open == null) {
            return false;
        }
        final Map.Entry<Long, Long> gap = open.floorEntry(sequence);
        if (gap == null || sequence >= gap.getValue()) {
            return false;
        }
        final long from = gap.getKey();
        final long to = gap.getValue();
        open.remove(from);
        if (from < sequence) {
            open.put(from, sequence);
        }
        if (sequence + 1 < to) {
            open.put(sequence + 1, to);
        }
        return true;
    }

    private void fail(String message) {
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        }
    }
}
