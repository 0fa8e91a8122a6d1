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
 * Race 9, {@code duplicate()} against the close of the last other sender.
 * Senders A and C are open. A's thread duplicates B, then closes A; C's
 * thread closes C, then looks as the receiver (this machine has two CPUs and
 * jcstress runs one actor per CPU). The sender count is changed only by atomic increments and
 * decrements, and B is counted before A leaves, so it never reads 0 while B
 * is open, and the receiver never reports a disconnect.
 *
 * <p>Results are (the receiver's {@code tryRecv} during the race: 0 for
 * "nothing yet", -1 for {@link ChannelClosedException}; the arbiter's
 * {@code isDisconnected()} with B still open: 0 false, 1 true).
 */
@JCStressTest
@Description("A duplicates B then closes; C closes, then the receiver looks from that thread. B stays open throughout.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "No disconnect while B is open.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The receiver reported a disconnect although B was open.")
@Outcome(id = ".*, 1", expect = FORBIDDEN, desc = "The count reached 0 with B open: an increment was lost to a concurrent close.")
@State
public class Duplicate {
    private final MpscChannel channel = MpscChannel.create(64);
    private final MpscSender a = channel.sender();
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
