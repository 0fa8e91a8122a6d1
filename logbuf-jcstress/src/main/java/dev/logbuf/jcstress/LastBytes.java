package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.WriteClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Race 4, MPSC producers racing for the last free bytes: the CAS on tail
 * orders the reservations, so two claims never overlap, and a claim reports
 * full only when the space it needs is really taken. Results are (producer
 * 1 claimed, producer 2 claimed, the records the arbiter drains after the
 * ring's first record, as the digits of their tags); a producer that wins
 * writes its record in full and commits it.
 */
public final class LastBytes {

    private LastBytes() {
    }

    /** One attempt: 1 and a committed record tagged {@code tag} when the claim succeeds, else 0. */
    static int tryCommit(MpscProducer producer, int tag) {
        final WriteClaim claim = producer.tryClaim(16);
        if (claim == null) {
            return 0;
        }
        Records.commit(claim, tag);
        return 1;
    }

    /** A 64-byte ring holds a 40-byte record at offset 0; two producers race for the 24 bytes left, exactly one record's worth. */
    @JCStressTest
    @Description("A 64-byte ring holds a 40-byte record at offset 0; two producers race for the 24 bytes left, exactly one record's worth.")
    @Outcome(id = {"1, 0, 1", "0, 1, 2"}, expect = ACCEPTABLE, desc = "Exactly one producer won the last bytes, and its record was delivered intact.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both claims succeeded: they overlap (there was room for one).")
    @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "Both producers reported full although one record's worth of bytes was free.")
    @Outcome(expect = FORBIDDEN, desc = "The winner's record was lost or torn.")
    @State
    public static class OneFits {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer first = queue.newProducer();
        private final MpscProducer second = queue.newProducer();

        public OneFits() {
            Records.commit(first.tryClaim(32), 3);
        }

        @Actor
        public void producer1(III_Result r) {
            r.r1 = tryCommit(first, 1);
        }

        @Actor
        public void producer2(III_Result r) {
            r.r2 = tryCommit(second, 2);
        }

        @Arbiter
        public void drain(III_Result r) {
            final int all = Records.drain(queue.consumer());
            r.r3 = all / 10 == 3 ? all % 10 : -all; // the first record must be the one claimed up front
        }
    }

    /** An empty 64-byte ring whose head and tail are at offset 48: two 24-byte claims race; the first needs wrap padding (16 bytes), together they fill the ring exactly. */
    @JCStressTest
    @Description("An empty 64-byte ring whose head and tail are at offset 48: two 24-byte claims race; the first needs wrap padding (16 bytes), together they fill the ring exactly.")
    @Outcome(id = {"1, 1, 12", "1, 1, 21"}, expect = ACCEPTABLE, desc = "Both claims fit, one after the padding at offset 0, the other behind it; both delivered in claim order.")
    @Outcome(id = "0, .*, .*", expect = FORBIDDEN, desc = "Producer 1 reported full although the ring had room for both records.")
    @Outcome(id = ".*, 0, .*", expect = FORBIDDEN, desc = "Producer 2 reported full although the ring had room for both records.")
    @Outcome(expect = FORBIDDEN, desc = "A record lost, duplicated or torn: the claims overlapped or the padding hid one.")
    @State
    public static class BothFitAcrossTheWrap {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer first = queue.newProducer();
        private final MpscProducer second = queue.newProducer();

        public BothFitAcrossTheWrap() {
            Wrap.startAt(first, queue.consumer(), 48);
        }

        @Actor
        public void producer1(III_Result r) {
            r.r1 = tryCommit(first, 1);
        }

        @Actor
        public void producer2(III_Result r) {
            r.r2 = tryCommit(second, 2);
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = Records.drain(queue.consumer());
        }
    }
}
