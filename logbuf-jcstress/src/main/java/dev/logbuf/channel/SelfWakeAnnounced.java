package dev.logbuf.channel;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.jcstress.Records;
import dev.logbuf.queue.MpscQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Race 7, the self-waking commit once the receiver's announcement is
 * visible (made in the constructor, before the actors start, as it is by the
 * time the receiver's first short park slice has passed): two senders
 * commit at once and call nothing else. Exactly one commit must take the
 * wake-up. None would leave the receiver parked for a whole park slice (a
 * commit that does not look at the waiter); two would be an unpark per
 * commit again (a commit that unparks without taking the announcement).
 *
 * <p>The waiter is a thread that never starts, so an unpark does nothing.
 * Results: (records A committed: 1; records B committed: 1; the wake-ups
 * counted).
 */
@JCStressTest
@Description("A parked receiver, announced; two senders commit at once, with no wake(): exactly one commit unparks it.")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "One commit took the wake-up; the other found it taken.")
@Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "No commit woke the parked receiver: it sleeps out its park slice.")
@Outcome(id = "1, 1, 2", expect = FORBIDDEN, desc = "Both commits unparked the receiver for one park.")
@Outcome(expect = FORBIDDEN, desc = "A commit failed.")
@State
public class SelfWakeAnnounced {

    /** Never started: unparking it does nothing. */
    private static final Thread WAITER = new Thread(() -> { }, "parked-receiver");

    private final MpscQueue queue = MpscQueue.create(64);
    private final Shared shared = new Shared();
    private final MpscSender a = new MpscSender(queue.newProducer(), shared);
    private final MpscSender b = a.duplicate();

    public SelfWakeAnnounced() {
        // the receiver announced itself, looked once more, found nothing and parked
        shared.announceWaiter(WAITER);
    }

    @Actor
    public void senderA(III_Result r) {
        Records.commit(a.trySend(8), 1);
        r.r1 = 1;
    }

    @Actor
    public void senderB(III_Result r) {
        Records.commit(b.trySend(8), 2);
        r.r2 = 1;
    }

    @Arbiter
    public void count(III_Result r) {
        r.r3 = (int) shared.wakeups();
    }
}
