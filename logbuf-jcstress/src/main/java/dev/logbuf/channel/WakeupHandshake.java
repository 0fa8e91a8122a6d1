package dev.logbuf.channel;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.jcstress.Records;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.ReadClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Race 7, the wake-up handshake in {@link Shared}, as the receiver and a
 * sender run it: the receiver announces itself as the waiter (fence), then
 * looks at the ring once more before it would park; the sender commits, then
 * {@code wake()}s (fence, load the waiter). At least one side must see the
 * other's store, or the receiver parks with nobody to wake it.
 *
 * <p>This scenario lives in the channel's package (jcstress runs on the class
 * path) to reach {@link Shared} and {@link Receiver}'s constructor. The waiter
 * it announces is a thread that never starts, so the sender's unpark is a
 * no-op and the result says only whether the sender saw it.
 *
 * <p>Results are (the receiver's second look found the record: 1/0; the
 * sender's wake saw the waiter: 1/0).
 */
@JCStressTest
@Description("Receiver: announce waiter, look again. Sender: commit, wake.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The receiver's second look found the record; the sender ran wake before the announcement.")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The receiver would park; the sender saw it and unparks it.")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "Both saw each other: the record is taken and the unpark is spurious (tolerated).")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "A lost wake-up: the receiver missed the record and the sender missed the waiter (store buffering).")
@State
public class WakeupHandshake {

    /** Never started: unparking it does nothing. */
    private static final Thread WAITER = new Thread(() -> { }, "announced-waiter");

    private final MpscQueue queue = MpscQueue.create(64);
    private final Shared shared = new Shared();
    private final Receiver receiver = new Receiver(queue.consumer(), shared);
    private final MpscProducer producer = queue.newProducer();

    @Actor
    public void receiver(II_Result r) {
        shared.announceWaiter(WAITER);
        final ReadClaim record = receiver.tryRecv();
        r.r1 = record == null ? 0 : Math.min(1, Records.take(record));
    }

    @Actor
    public void sender(II_Result r) {
        Records.commit(producer.tryClaim(8), 1);
        r.r2 = shared.wake() ? 1 : 0;
    }
}
