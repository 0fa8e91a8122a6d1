package dev.logbuf.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What each sender committed, and how far the receiver got through it: checks
 * every received payload against the next one expected from its sender, so
 * that a lost, duplicated, reordered, aborted or corrupted record is named as
 * such. Thread-safe for one thread adding per sender and one receiving.
 */
public final class Ledger {

    private final List<List<byte[]>> committed = new ArrayList<>();
    private final List<List<byte[]>> aborted = new ArrayList<>();
    private final int[] received;

    /**
     * A ledger for {@code senders} senders.
     *
     * @param senders how many, at most {@value Payloads#MAX_SENDERS}
     */
    public Ledger(int senders) {
        for (int s = 0; s < senders; s++) {
            committed.add(new ArrayList<>());
            aborted.add(new ArrayList<>());
        }
        this.received = new int[senders];
    }

    /**
     * A ledger that expects every record of {@code schedule} it does not abort.
     *
     * @param schedule the plan
     * @return the ledger
     */
    public static Ledger of(Schedule schedule) {
        return of(schedule, schedule.senders().size());
    }

    /** {@link #of(Schedule)} with room for {@code lanes} senders (more than the schedule has, for extra ones). */
    static Ledger of(Schedule schedule, int lanes) {
        final Ledger ledger = new Ledger(lanes);
        for (int s = 0; s < schedule.senders().size(); s++) {
            final List<Schedule.Planned> plan = schedule.senders().get(s);
            for (int seq = 0; seq < plan.size(); seq++) {
                final byte[] payload = Payloads.of(s, seq, plan.get(seq).length());
                if (plan.get(seq).abort()) {
                    ledger.aborted(s, payload);
                } else {
                    ledger.committed(s, payload);
                }
            }
        }
        return ledger;
    }

    /**
     * Notes a record {@code sender} committed.
     *
     * @param sender the sender
     * @param payload its bytes
     */
    public synchronized void committed(int sender, byte[] payload) {
        committed.get(sender).add(payload);
    }

    /**
     * Notes a record {@code sender} aborted: it must never be received.
     *
     * @param sender the sender
     * @param payload its bytes
     */
    public synchronized void aborted(int sender, byte[] payload) {
        aborted.get(sender).add(payload);
    }

    /**
     * Checks a received payload: it must be the next one its sender committed.
     *
     * @param payload the bytes received
     * @throws AssertionError naming what went wrong
     */
    public synchronized void received(byte[] payload) {
        if (payload.length == 0) {
            throw new AssertionError("received an empty record");
        }
        final int sender = Payloads.sender(payload);
        if (sender >= received.length) {
            throw new AssertionError("received a record of sender " + sender + " of " + received.length
                    + ": corrupted " + SequentialCheck.hex(payload));
        }
        if (!Payloads.checksumHolds(payload)) {
            throw new AssertionError("received a corrupted record (checksum) of " + payload.length + " bytes "
                    + SequentialCheck.hex(payload));
        }
        final List<byte[]> mine = committed.get(sender);
        final int next = received[sender];
        if (next < mine.size() && Arrays.equals(mine.get(next), payload)) {
            received[sender]++;
            return;
        }
        for (byte[] a : aborted.get(sender)) {
            if (Arrays.equals(a, payload)) {
                throw new AssertionError("received a record sender " + sender + " aborted: " + payload.length
                        + " bytes " + SequentialCheck.hex(payload));
            }
        }
        for (int i = 0; i < mine.size(); i++) {
            if (Arrays.equals(mine.get(i), payload)) {
                throw new AssertionError(i < next
                        ? "received record #" + i + " of sender " + sender + " again (duplicate); expected #" + next
                        : "received record #" + i + " of sender " + sender + " before #" + next
                                + " (lost or reordered)");
            }
        }
        throw new AssertionError(next < mine.size()
                ? "received " + payload.length + " bytes " + SequentialCheck.hex(payload) + " from sender " + sender
                        + ", expected its record #" + next + " " + SequentialCheck.hex(mine.get(next))
                : "received " + payload.length + " bytes from sender " + sender + " after all "
                        + mine.size() + " of its records");
    }

    /** {@return whether every committed record was received} */
    public synchronized boolean complete() {
        for (int s = 0; s < received.length; s++) {
            if (received[s] != committed.get(s).size()) {
                return false;
            }
        }
        return true;
    }

    /** {@return per sender, received of committed, for messages} */
    public synchronized String progress() {
        final StringBuilder sb = new StringBuilder();
        for (int s = 0; s < received.length; s++) {
            sb.append(s == 0 ? "" : ", ").append("sender ").append(s).append(": ").append(received[s])
                    .append('/').append(committed.get(s).size());
        }
        return sb.toString();
    }
}
