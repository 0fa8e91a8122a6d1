package dev.logbuf.channel;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.jcstress.Records;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Race 7, one wake-up per park: the receiver has announced itself and parked
 * (announced in the constructor; it never runs again here), and two senders
 * commit and {@code wake()} at once. The sender that clears the announcement
 * (a compare-and-set) takes the wake-up; the other must not unpark as well.
 * Before, every commit in the window unparked the receiver (about 270
 * unparks per park in the journal's default run). Neither may leave the
 * parked receiver without a wake-up.
 *
 * <p>This scenario lives in the channel's package to reach {@link Shared}.
 * The waiter is a thread that never starts, so an unpark does nothing and the
 * result counts them. Results: (sender A took the wake-up: 1/0; sender B the
 * same; the unparks counted).
 */
@JCStressTest
@Description("A parked receiver; two senders commit and wake at once: exactly one unparks it.")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "Sender A took the wake-up; B saw it taken.")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "Sender B took the wake-up; A saw it taken.")
@Outcome(id = "1, 1, 2", expect = FORBIDDEN, desc = "Both unparked the receiver for one park.")
@Outcome(id = "0, 0, 0", expect = FORBIDDEN, desc = "Neither woke the parked receiver: a lost wake-up.")
@Outcome(expect = FORBIDDEN, desc = "The count disagrees with what the senders report.")
@State
public class WakeupTakenOnce {

    /** Never started: unparking it does nothing. */
    private static final Thread WAITER = new Thread(() -> { }, "parked-receiver");

    private final MpscQueue queue = MpscQueue.create(64);
    private final Shared shared = new Shared();
    private final MpscProducer a = queue.newProducer();
    private final MpscProducer b = a.duplicate();

    public WakeupTakenOnce() {
        // the receiver announced itself, looked once more, found nothing and parked
        shared.announceWaiter(WAITER);
    }

    @Actor
    public void senderA(III_Result r) {
        Records.commit(a.tryClaim(8), 1);
        r.r1 = shared.wake() ? 1 : 0;
    }

    @Actor
    public void senderB(III_Result r) {
        Records.commit(b.tryClaim(8), 2);
        r.r2 = shared.wake() ? 1 : 0;
    }

    @Arbiter
    public void count(III_Result r) {
        r.r3 = (int) shared.wakeups();
    }
}
