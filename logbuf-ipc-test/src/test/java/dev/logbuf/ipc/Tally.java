package dev.logbuf.ipc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a consumer has received, per producer id: checks that each producer's
 * sequences arrive complete and in order (0, 1, 2, ...) and counts records and
 * bytes, so that a run can be compared with what was sent.
 *
 * <p>Every fault is counted and the first few are described; one check per
 * record, no allocation once a producer id has been seen.
 */
final class Tally {

    private static final int MAX_MESSAGES = 20;

    /** Per id: {next expected sequence, records, bytes}. */
    private final Map<Integer, long[]> producers = new TreeMap<>();
    private final List<String> messages = new ArrayList<>();
    private long records;
    private long bytes;
    private long faults;

    /**
     * Counts record {@code sequence} of producer {@code id}: it must be that
     * producer's next one.
     */
    void accept(int id, long sequence, int length) {
        final long[] p = producers.computeIfAbsent(id, k -> new long[3]);
        records++;
        bytes += length;
        p[1]++;
        p[2] += length;
        if (sequence != p[0]) {
            fault(sequence < p[0]
                    ? "producer " + id + ": seq " + sequence + " again or out of order (next expected " + p[0] + ")"
                    : "producer " + id + ": seqs " + p[0] + ".." + (sequence - 1) + " missing (got " + sequence + ")");
        }
        p[0] = Math.max(p[0], sequence + 1);
    }

    /** Notes a fault found outside the order check (a corrupt record, say). */
    void fault(String message) {
        faults++;
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        }
    }

    /**
     * Checks the totals: exactly the producers in {@code expected} were seen,
     * each with exactly that many records (sequences 0..n-1, given the order
     * check). Adds a fault for each mismatch.
     */
    void expectExactly(Map<Integer, Long> expected) {
        for (Map.Entry<Integer, Long> e : expected.entrySet()) {
            if (records(e.getKey()) != e.getValue()) {
                fault("producer " + e.getKey() + ": " + records(e.getKey()) + " records, expected " + e.getValue());
            }
        }
        for (Integer id : producers.keySet()) {
            if (!expected.containsKey(id)) {
                fault("producer " + id + ": " + records(id) + " records from a producer that sent none");
            }
        }
    }

    boolean clean() {
        return faults == 0;
    }

    long faults() {
        return faults;
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    long records() {
        return records;
    }

    long bytes() {
        return bytes;
    }

    /** The records received from producer {@code id}. */
    long records(int id) {
        final long[] p = producers.get(id);
        return p == null ? 0 : p[1];
    }

    /** The sequence producer {@code id}'s next record must carry (its count, while the run is clean). */
    long next(int id) {
        final long[] p = producers.get(id);
        return p == null ? 0 : p[0];
    }

    /** The producer ids seen. */
    List<Integer> ids() {
        return List.copyOf(producers.keySet());
    }

    /** One line: totals, per-producer counts, faults. */
    String summary() {
        final StringBuilder s = new StringBuilder("records=").append(records).append(" bytes=").append(bytes)
                .append(" faults=").append(faults).append(" producers=");
        producers.forEach((id, p) -> s.append(id).append(':').append(p[1]).append(','));
        if (!producers.isEmpty()) {
            s.setLength(s.length() - 1);
        }
        return s.toString();
    }

    /** The summary and the fault messages, one per line. */
    String report() {
        return summary() + (messages.isEmpty() ? "" : "\n  " + String.join("\n  ", messages));
    }
}
