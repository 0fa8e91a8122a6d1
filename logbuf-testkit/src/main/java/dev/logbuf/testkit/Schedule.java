package dev.logbuf.testkit;

import java.util.List;

/**
 * A concurrent run: a ring of {@code requestedCapacity} bytes, one thread per
 * sender, each producing its planned records in order.
 *
 * @param requestedCapacity the capacity asked for
 * @param senders each sender's plan
 */
public record Schedule(int requestedCapacity, List<List<Planned>> senders) {

    /**
     * One record a sender claims, then commits or aborts.
     *
     * @param length the payload length
     * @param abort whether the claim is aborted
     */
    public record Planned(int length, boolean abort) {
        @Override
        public String toString() {
            return abort ? length + "!" : Integer.toString(length);
        }
    }

    /** {@return how many records are committed in all} */
    public int committed() {
        int n = 0;
        for (List<Planned> plan : senders) {
            for (Planned p : plan) {
                n += p.abort() ? 0 : 1;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "capacity " + requestedCapacity + ", senders (length, ! = aborted): " + senders;
    }
}
