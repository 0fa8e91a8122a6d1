package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.SpscQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Race 1, publication: the header is the commit marker. A consumer that
 * acquires a committed header must see every payload byte written before the
 * producer's release store of it (WriteClaim.commit → Ring.publishRelease,
 * paired with Consumer.tryClaim → Ring.headerAcquire).
 */
public final class Publication {

    private Publication() {
    }

    /** SPSC: a 32-byte record committed while the consumer looks for it. */
    @JCStressTest
    @Description("SPSC: a 32-byte record committed while the consumer looks for it.")
    @Outcome(id = "0", expect = ACCEPTABLE, desc = "The consumer looked before the commit: nothing published yet.")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "The consumer saw the record with every payload word.")
    @Outcome(expect = FORBIDDEN, desc = "The header was seen but a payload word was not: the commit did not publish the payload.")
    @State
    public static class Spsc {
        private final SpscQueue queue = SpscQueue.create(64);

        @Actor
        public void producer() {
            Records.commit(queue.producer().tryClaim(32), 1);
        }

        @Actor
        public void consumer(I_Result r) {
            r.r1 = Records.takeOne(queue.consumer());
        }
    }

    /** MPSC: a producer handle that reserved its bytes with the tail CAS commits a 32-byte record while the consumer looks for it. */
    @JCStressTest
    @Description("MPSC: a producer handle that reserved its bytes with the tail CAS commits a 32-byte record while the consumer looks for it.")
    @Outcome(id = "0", expect = ACCEPTABLE, desc = "The consumer looked before the commit: nothing published yet.")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "The consumer saw the record with every payload word.")
    @Outcome(expect = FORBIDDEN, desc = "The header was seen but a payload word was not: the commit did not publish the payload.")
    @State
    public static class Mpsc {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer producer = queue.newProducer();

        @Actor
        public void producer() {
            Records.commit(producer.tryClaim(32), 1);
        }

        @Actor
        public void consumer(I_Result r) {
            r.r1 = Records.takeOne(queue.consumer());
        }
    }
}
