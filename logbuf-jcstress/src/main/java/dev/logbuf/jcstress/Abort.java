package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.SpscProducer;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.WriteClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Race 2, abort: an aborted claim publishes a skip header (release store) that
 * the consumer steps over without showing it; the records around it arrive.
 * Each result is (records the consumer saw while the producers ran, records
 * left for the arbiter's drain), as the digits of their tags.
 */
public final class Abort {

    private Abort() {
    }

    /** SPSC: commit 1, abort 2 (written in full first), commit 3, against a batch read. */
    @JCStressTest
    @Description("SPSC: commit 1, abort 2 (written in full first), commit 3, against a batch read.")
    @Outcome(id = "0, 13", expect = ACCEPTABLE, desc = "The batch read ran before the first commit.")
    @Outcome(id = "1, 3", expect = ACCEPTABLE_INTERESTING, desc = "The batch read saw 1 and stopped at the open claim 2 or before 3.")
    @Outcome(id = "13, 0", expect = ACCEPTABLE_INTERESTING, desc = "The batch read stepped over the aborted claim to 3.")
    @Outcome(expect = FORBIDDEN, desc = "The aborted record was shown, a record was lost, duplicated or torn.")
    @State
    public static class Spsc {
        private final SpscQueue queue = SpscQueue.create(64);
        private final Records.Digits reader = new Records.Digits();

        @Actor
        public void producer() {
            final SpscProducer producer = queue.producer();
            Records.commit(producer.tryClaim(8), 1);
            final WriteClaim aborted = producer.tryClaim(8);
            Records.fill(aborted, 2);
            aborted.abort();
            Records.commit(producer.tryClaim(8), 3);
        }

        @Actor
        public void consumer(II_Result r) {
            r.r1 = reader.read(queue.consumer(), 8);
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = Records.drain(queue.consumer());
        }
    }

    /** MPSC: one producer commits 1 then 3; another thread claims 2, writes it, aborts it, then takes up to two records one at a time. */
    @JCStressTest
    @Description("MPSC: one producer commits 1 then 3; another thread claims 2, writes it, aborts it, then takes up to two records one at a time.")
    @Outcome(id = {"0, 13", "1, 3", "13, 0"}, expect = ACCEPTABLE, desc = "1 then 3, the aborted claim never shown, wherever it fell between them.")
    @Outcome(expect = FORBIDDEN, desc = "The aborted record was shown, a record was lost, duplicated, reordered or torn.")
    @State
    public static class Mpsc {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer committer = queue.newProducer();
        private final MpscProducer aborter = queue.newProducer();

        @Actor
        public void committer() {
            Records.commit(committer.tryClaim(8), 1);
            Records.commit(committer.tryClaim(8), 3);
        }

        @Actor
        public void abortThenConsume(II_Result r) {
            final WriteClaim claim = aborter.tryClaim(8);
            Records.fill(claim, 2);
            claim.abort();
            r.r1 = Records.takeTwo(queue.consumer());
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = Records.drain(queue.consumer());
        }
    }
}
