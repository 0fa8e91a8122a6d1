package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.Receiver;
import dev.logbuf.channel.SpscChannel;
import dev.logbuf.channel.SpscSender;
import dev.logbuf.queue.WriteClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Race 8, the receiver closes while a {@code send} spins on a full ring. The
 * close is a release store of a flag that the sender acquires after every
 * attempt, so the send leaves with {@link ChannelClosedException}; a claim it
 * won after the close is aborted before it throws, so the sender is left with
 * no open claim.
 *
 * <p>Results are (what the send did: 1 returned a claim, which the actor
 * committed, -1 threw {@link ChannelClosedException}; what the arbiter's next
 * {@code trySend} did: 1 threw {@link ChannelClosedException} as it must,
 * 0 found the previous claim still open, 2 succeeded).
 */
public final class ReceiverClose {

    private ReceiverClose() {
    }

    /**
     * A blocking send of record 2: 1 when it returned a claim (then committed), -1 on the disconnect,
     * -2 if interrupted (nothing interrupts it here: a forbidden outcome).
     */
    static int send(SpscSender sender) {
        try {
            final WriteClaim claim = sender.send(8);
            Records.commit(claim, 2);
            return 1;
        } catch (ChannelClosedException disconnected) {
            return -1;
        } catch (InterruptedException interrupted) {
            return -2;
        }
    }

    /** The arbiter's look at the sender once the receiver is closed. */
    static int lookAfter(SpscSender sender) {
        try {
            final WriteClaim claim = sender.trySend(8);
            if (claim != null) {
                claim.abort();
            }
            return 2;
        } catch (ChannelClosedException disconnected) {
            return 1;
        } catch (IllegalStateException claimLeftOpen) {
            return 0;
        }
    }

    /** A 16-byte ring full with record 1: send spins while the receiver closes without reading. */
    @JCStressTest
    @Description("A 16-byte ring full with record 1: send spins while the receiver closes without reading.")
    @Outcome(id = "-1, 1", expect = ACCEPTABLE, desc = "The send saw the close and left with ChannelClosedException, holding no claim.")
    @Outcome(expect = FORBIDDEN, desc = "The send returned a claim from a full ring, or left a claim open.")
    @State
    public static class WhileFull {
        private final SpscChannel channel = SpscChannel.create(16);
        private final SpscSender sender = channel.sender();
        private final Receiver receiver = channel.receiver();

        public WhileFull() {
            Records.commit(sender.trySend(8), 1);
        }

        @Actor
        public void sender(II_Result r) {
            r.r1 = send(sender);
        }

        @Actor
        public void receiver() {
            receiver.close();
        }

        @Arbiter
        public void after(II_Result r) {
            r.r2 = lookAfter(sender);
        }
    }

    /** A 16-byte ring full with record 1: send spins while the receiver takes record 1 (making room), then closes. */
    @JCStressTest
    @Description("A 16-byte ring full with record 1: send spins while the receiver takes record 1 (making room), then closes.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "The send won the freed bytes before the close; later sends see the close.")
    @Outcome(id = "-1, 1", expect = ACCEPTABLE, desc = "The send saw the close (any claim it won was aborted) and holds no claim.")
    @Outcome(expect = FORBIDDEN, desc = "A claim was left open on the sender, or a send succeeded after the close.")
    @State
    public static class AfterMakingRoom {
        private final SpscChannel channel = SpscChannel.create(16);
        private final SpscSender sender = channel.sender();
        private final Receiver receiver = channel.receiver();

        public AfterMakingRoom() {
            Records.commit(sender.trySend(8), 1);
        }

        @Actor
        public void sender(II_Result r) {
            r.r1 = send(sender);
        }

        @Actor
        public void receiver() {
            Records.take(receiver.tryRecv());
            receiver.close();
        }

        @Arbiter
        public void after(II_Result r) {
            r.r2 = lookAfter(sender);
        }
    }
}
