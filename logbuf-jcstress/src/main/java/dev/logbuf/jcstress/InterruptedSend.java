package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.channel.Receiver;
import dev.logbuf.channel.SpscChannel;
import dev.logbuf.channel.SpscSender;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Race 12, a {@code send} waiting on a full ring against what ends the wait.
 * {@code Sender.send} makes one attempt; while the ring is full it spins (or
 * yields), then looks at the thread's interrupt (and, when timed, at the
 * clock) <em>before</em> each further attempt, so that an interrupted or
 * timed-out send has claimed nothing: it either returns a claim or throws
 * {@link InterruptedException} (returns {@code null} on the time-out), never
 * both, and never leaves a claim open behind the exception. An interrupt that
 * lands after the last look is left pending for the caller.
 *
 * <p>Both scenarios start from a 16-byte SPSC channel full with record 1 (an
 * 8-byte payload, 16 bytes); the other actor is the receiver, which takes
 * record 1 and so makes room for the sender's record 2. The arbiter then
 * receives what is left and checks that no byte stays reserved (a claim left
 * open holds the ring for good).
 *
 * <p>The records received are the {@link Records} digits of record 1 (taken
 * by the receiver actor) and whatever the arbiter still received, negated if
 * bytes stayed reserved after the drain: {@code 1} (record 2 never claimed),
 * {@code 12} (delivered once), {@code -1} (a claim left open).
 */
public final class InterruptedSend {

    private InterruptedSend() {
    }

    /**
     * The receiver actor's part: takes record 1 (the tag, {@link Records#CORRUPT}
     * if torn, 0 if it was not there).
     */
    static int takeFirst(Receiver receiver) {
        final ReadClaim record = receiver.tryRecv();
        return record == null ? 0 : Records.take(record);
    }

    /**
     * The arbiter's part: appends what is still received to {@code first}'s
     * digits; negative when bytes stay reserved after the drain (a claim left
     * open, or a record that cannot be read).
     */
    static int receivedAll(Receiver receiver, int first) {
        int digits = first;
        for (ReadClaim record; (record = receiver.tryRecv()) != null; ) {
            digits = digits * 10 + Records.take(record);
        }
        // the actors have finished: this is the exact state of the ring
        return receiver.stats().queue().size() == 0 ? digits : -digits;
    }

    /**
     * The sender spins in {@code send(8)} on the full ring while the receiver
     * interrupts the sender's thread, then takes record 1.
     *
     * <p>The sender's thread is published at the start of its actor and
     * taken back at the end ({@link InterruptTarget}): the receiver waits for
     * it, interrupts it while it is inside this actor (its send cannot end
     * before the receiver has interrupted it or made room), and the actor
     * clears the interrupted status before it returns, so no interrupt leaks
     * into jcstress or the next sample. The interrupt races the room: it
     * lands before the send's first attempt, while it waits, or between its
     * last look at the interrupt and the attempt that wins the room.
     *
     * <p>Results are (what the send did: 1 returned a claim, which the actor
     * committed as record 2, and no interrupt is pending; 2 returned a claim
     * with the interrupt pending (it landed after the send's last look); -2
     * threw {@link InterruptedException}; whether the receiver interrupted
     * the sender's thread: 1, always; the records received, as above).
     */
    @JCStressTest
    @Description("A 16-byte ring full with record 1: send(8) spins while the receiver interrupts the sender's thread, then takes record 1.")
    @Outcome(id = "-2, 1, 1", expect = ACCEPTABLE, desc = "Interrupted while waiting: InterruptedException, status cleared, nothing claimed; only record 1 was ever in the ring.")
    @Outcome(id = "2, 1, 12", expect = ACCEPTABLE_INTERESTING, desc = "The send found room before it looked at the interrupt (its first attempt, or the one after its last look): claim returned, interrupt left pending; record 2 delivered once.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "The interrupt was lost: the send returned a claim and cleared the interrupted status without throwing.")
    @Outcome(id = "-2, 1, -.*", expect = FORBIDDEN, desc = "The send threw InterruptedException and left a claim open: the ring is stuck behind it.")
    @Outcome(id = ".*, 0, .*", expect = FORBIDDEN, desc = "The interrupt was not sent: the send ended before the receiver interrupted or made room.")
    @Outcome(expect = FORBIDDEN, desc = "A claim and an exception, a record lost, duplicated or torn, or bytes left reserved.")
    @State
    public static class Interrupted {
        /**
         * The receiver's close of record 1 (zero, then head release store) pairs with the send's
         * head acquire in each attempt; its interrupt with the send's Thread.interrupted() look
         * before each attempt after the first.
         */
        private final SpscChannel channel = SpscChannel.create(16);
        private final SpscSender sender = channel.sender();
        private final Receiver receiver = channel.receiver();
        /** The sender actor's thread; pairs the receiver's interrupt with the sender's withdraw. */
        private final InterruptTarget target = new InterruptTarget();
        /** Written by the receiver actor, read by the arbiter (after both actors: no race). */
        private int first;

        public Interrupted() {
            Records.commit(sender.trySend(8), 1);
        }

        @Actor
        public void sender(III_Result r) {
            target.register();
            int sent;
            try {
                final WriteClaim claim = sender.send(8);
                Records.commit(claim, 2);
                sent = 1;
            } catch (InterruptedException interrupted) {
                sent = -2;
            }
            final boolean wasInterrupted = target.withdraw();
            // reads and clears the status: nothing is left pending when the actor returns
            if (Thread.interrupted() && sent == 1) {
                sent = 2;
            }
            r.r1 = sent;
            r.r2 = wasInterrupted ? 1 : 0;
        }

        @Actor
        public void receiver() {
            // the send cannot end before this actor interrupts or makes room, so the sender is
            // still inside its actor: the interrupt always lands, before or during the send
            target.awaitRegistered();
            target.interrupt();
            first = takeFirst(receiver);
        }

        @Arbiter
        public void rest(III_Result r) {
            r.r3 = receivedAll(receiver, first);
        }
    }

    /** The shortest positive time-out: one more attempt after the first spin, then null. */
    static final Duration TIMEOUT = Duration.ofNanos(1);

    /**
     * The sender's {@code send(8, 1 ns)} on the full ring against the
     * receiver taking record 1: the send waits one spin and tries once more,
     * then gives up with {@code null}, having claimed nothing.
     *
     * <p>Results are (what the send did: 1 returned a claim, which the actor
     * committed as record 2; 0 returned {@code null}, timed out; the records
     * received, as above).
     */
    @JCStressTest
    @Description("A 16-byte ring full with record 1: send(8, 1 ns) against the receiver taking record 1.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The send timed out before the room appeared: null, nothing claimed.")
    @Outcome(id = "1, 12", expect = ACCEPTABLE_INTERESTING, desc = "The send won the freed bytes within its time-out; record 2 delivered once.")
    @Outcome(id = "0, -.*", expect = FORBIDDEN, desc = "The send returned null and left a claim open: the ring is stuck behind it.")
    @Outcome(expect = FORBIDDEN, desc = "A record lost, duplicated or torn, or bytes left reserved.")
    @State
    public static class TimedOut {
        /** The receiver's close of record 1 (zero, then head release store) pairs with the send's head acquire. */
        private final SpscChannel channel = SpscChannel.create(16);
        private final SpscSender sender = channel.sender();
        private final Receiver receiver = channel.receiver();
        /** Written by the receiver actor, read by the arbiter (after both actors: no race). */
        private int first;

        public TimedOut() {
            Records.commit(sender.trySend(8), 1);
        }

        @Actor
        public void sender(II_Result r) {
            try {
                final WriteClaim claim = sender.send(8, TIMEOUT);
                if (claim == null) {
                    r.r1 = 0;
                } else {
                    Records.commit(claim, 2);
                    r.r1 = 1;
                }
            } catch (InterruptedException unexpected) {
                // nothing interrupts this thread here (a forbidden outcome); the status is not
                // restored, so that no interrupt leaks into jcstress or the next sample
                r.r1 = -2;
            }
        }

        @Actor
        public void receiver() {
            first = takeFirst(receiver);
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = receivedAll(receiver, first);
        }
    }
}
