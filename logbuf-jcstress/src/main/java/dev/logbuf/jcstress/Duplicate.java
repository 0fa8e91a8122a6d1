package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Race 9, {@code duplicate()} against the close of another sender. The sender
 * count changes only by atomic increments and decrements, and a duplicate is
 * counted before the sender it came from can close, so the count never reads
 * 0 while a sender is open and no disconnect is reported early.
 */
public final class Duplicate {

    private Duplicate() {
    }

    /** Senders A and C are open. A's thread duplicates B, then closes A; C's thread closes C, then looks as the receiver. B stays open throughout. */
    @JCStressTest
    @Description("Senders A and C are open. A's thread duplicates B, then closes A; C's thread closes C, then looks as the receiver. B stays open throughout.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "No disconnect while B is open.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The receiver reported a disconnect although B was open.")
    @Outcome(id = ".*, 1", expect = FORBIDDEN, desc = "The count reached 0 with B open: an increment was lost to a concurrent close.")
    @State
    public static class AgainstClose {
        private final MpscChannel channel = MpscChannel.create(64);
        private final MpscSender a = channel.newSender();
        private final MpscSender c = a.duplicate();
        private final Receiver receiver = channel.receiver();
        private MpscSender b;

        @Actor
        public void duplicateThenCloseA() {
            b = a.duplicate();
            a.close();
        }

        @Actor
        public void closeCThenLook(II_Result r) {
            c.close();
            try {
                r.r1 = receiver.tryRecv() == null ? 0 : 1;
            } catch (ChannelClosedException disconnected) {
                r.r1 = -1;
            }
        }

        @Arbiter
        public void after(II_Result r) {
            r.r2 = receiver.isDisconnected() ? 1 : 0;
            b.close();
        }
    }

    /** Senders A and C each duplicate one new sender at the same time; the arbiter then closes the four senders one by one. */
    @JCStressTest
    @Description("Senders A and C each duplicate one new sender at the same time; the arbiter then closes the four senders one by one.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Both duplicates were counted: connected until the fourth close, disconnected after it.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "Disconnected after three closes with a sender open: one of the two increments was lost.")
    @Outcome(expect = FORBIDDEN, desc = "Still connected with every sender closed: the count went wrong.")
    @State
    public static class AgainstDuplicate {
        private final MpscChannel channel = MpscChannel.create(64);
        private final MpscSender a = channel.newSender();
        private final MpscSender c = a.duplicate();
        private final Receiver receiver = channel.receiver();
        private MpscSender fromA;
        private MpscSender fromC;

        @Actor
        public void duplicateA() {
            fromA = a.duplicate();
        }

        @Actor
        public void duplicateC() {
            fromC = c.duplicate();
        }

        @Arbiter
        public void closeAll(II_Result r) {
            a.close();
            c.close();
            fromA.close();
            r.r1 = receiver.isDisconnected() ? 1 : 0;
            fromC.close();
            r.r2 = receiver.isDisconnected() ? 1 : 0;
        }
    }
}
