package dev.logbuf.channel;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.jcstress.Records;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.ReadClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Race 7, the self-waking commit against the receiver's announcement: the
 * receiver announces itself (fence) and looks once more; a sender commits,
 * and the commit looks at the waiter by itself, with no fence. The two can
 * miss each other (store buffering: the commit's load of the waiter passes
 * its own header store), which {@link WakeupHandshake}'s fenced
 * {@code wake()} forbids. That outcome is allowed here because the
 * receiver's first park after announcing is short
 * ({@link Receiver#FIRST_PARK_SLICE_MICROS}) and its next look finds the
 * record: the arbiter, run after both actors, is that look, and it must find
 * the record whenever the receiver's own look did not.
 *
 * <p>The waiter is a thread that never starts, so an unpark does nothing.
 * Results: (the receiver's look found the record: 1/0; the commit took the
 * wake-up: 1/0; the look after the first slice found it: 1/0).
 */
@JCStressTest
@Description("Receiver: announce waiter, look. Sender: commit (which looks at the waiter, unfenced). Then look again.")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "The receiver's look found the record; the commit ran before the announcement.")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "The receiver would park; the commit saw it and unparks it.")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "Both saw each other: the record is taken and the unpark is spurious (tolerated).")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "Missed each other (store buffering): the receiver parks its short first slice, and the look after it finds the record.")
@Outcome(expect = FORBIDDEN, desc = "The record was lost, shown twice or torn.")
@State
public class SelfWakeRace {

    /** Never started: unparking it does nothing. */
    private static final Thread WAITER = new Thread(() -> { }, "announced-waiter");

    private final MpscQueue queue = MpscQueue.create(64);
    private final Shared shared = new Shared();
    private final Receiver receiver = new Receiver(queue.consumer(), shared);
    private final MpscSender sender = new MpscSender(queue.newProducer(), shared);

    @Actor
    public void receiver(III_Result r) {
        shared.announceWaiter(WAITER);
        r.r1 = look(receiver);
    }

    @Actor
    public void sender(III_Result r) {
        Records.commit(sender.trySend(8), 1);
        // the only sender: any wake-up counted is this commit's
        r.r2 = (int) shared.wakeups();
    }

    @Arbiter
    public void lookAfterTheFirstSlice(III_Result r) {
        r.r3 = look(receiver);
    }

    /** 1 if a record tagged 1 was taken, 0 if nothing was committed, else a value no outcome allows. */
    private static int look(Receiver receiver) {
        final ReadClaim record = receiver.tryRecv();
        return record == null ? 0 : (Records.take(record) == 1 ? 1 : 9);
    }
}
