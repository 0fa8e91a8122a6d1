package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.queue.Producer;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.WriteClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Race 5, release against reuse: the consumer zeroes a record's bytes, then
 * publishes the new head (release store); a producer that acquires that head
 * and claims the same bytes finds them zero, and no late zeroing can wipe
 * what it writes. A 32-byte ring starts with record 1 (a 16-byte payload, 24
 * bytes) at offset 0; a second 24-byte record needs those same bytes back.
 *
 * <p>Results are (what the producer found: -1 never claimed, 0 claimed and
 * every claimed byte read zero, 1 claimed and some byte was stale; what the
 * arbiter drained after the actors, as tag digits). The producer makes two
 * attempts: the first may only write the wrap padding and report full.
 */
public final class Reuse {

    private Reuse() {
    }

    /** Two claim attempts; a won claim is checked for zeroes, then record 2 is written and committed. */
    static int claimAndCheck(Producer producer) {
        for (int attempt = 0; attempt < 2; attempt++) {
            final WriteClaim claim = producer.tryClaim(16);
            if (claim != null) {
                final int stale = Records.allZero(claim) ? 0 : 1;
                Records.commit(claim, 2);
                return stale;
            }
        }
        return -1;
    }

    /** SPSC: the consumer takes and closes record 1 while the producer tries to claim its bytes. */
    @JCStressTest
    @Description("SPSC: the consumer takes and closes record 1 while the producer tries to claim its bytes.")
    @Outcome(id = "-1, 0", expect = ACCEPTABLE, desc = "The producer looked before the release: full both times, nothing written.")
    @Outcome(id = "0, 2", expect = ACCEPTABLE_INTERESTING, desc = "The producer reused the released bytes, found them zero, and its record arrived intact.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "The producer found stale bytes: head was published before the zeroing.")
    @Outcome(expect = FORBIDDEN, desc = "Record 2 was lost or torn (zeroed under the producer), or record 1 came back.")
    @State
    public static class SingleRead {
        private final SpscQueue queue = SpscQueue.create(32);

        public SingleRead() {
            Records.commit(queue.producer().tryClaim(16), 1);
        }

        @Actor
        public void consumer() {
            Records.takeOne(queue.consumer());
        }

        @Actor
        public void producer(II_Result r) {
            r.r1 = claimAndCheck(queue.producer());
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = Records.drain(queue.consumer());
        }
    }

    /** MPSC: a batch read takes record 1 (zeroed and released when the batch ends) while a producer tries to claim its bytes. */
    @JCStressTest
    @Description("MPSC: a batch read takes record 1 (zeroed and released when the batch ends) while a producer tries to claim its bytes.")
    @Outcome(id = "-1, 0", expect = ACCEPTABLE, desc = "The producer looked before the release: full both times, nothing written.")
    @Outcome(id = "0, 2", expect = ACCEPTABLE_INTERESTING, desc = "The producer reused the released bytes, found them zero, and its record arrived intact.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "The producer found stale bytes: head was published before the batch was zeroed.")
    @Outcome(expect = FORBIDDEN, desc = "Record 2 was lost or torn (zeroed under the producer), or record 1 came back.")
    @State
    public static class BatchRead {
        private final MpscQueue queue = MpscQueue.create(32);
        private final Producer producer = queue.newProducer();
        private final Records.Digits reader = new Records.Digits();

        public BatchRead() {
            Records.commit(producer.tryClaim(16), 1);
        }

        @Actor
        public void consumer() {
            reader.read(queue.consumer(), 4);
        }

        @Actor
        public void producer(II_Result r) {
            r.r1 = claimAndCheck(producer);
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = Records.drain(queue.consumer());
        }
    }

    /**
     * MPSC, a held read released in part ({@code Consumer.releaseHeld(1)}, what a shipper with two batches in
     * flight does): records 1 and 3 are held; the consumer gives record 1 back while a producer tries to claim
     * its bytes for record 2 (a 64-byte ring: it fits only at offset 0, after the wrap). Record 3 stays held
     * throughout and must come out intact, then record 2; record 2's bytes must read zero when claimed.
     */
    @JCStressTest
    @Description("MPSC: two held records; the consumer releases the first alone while a producer tries to claim its bytes.")
    @Outcome(id = "-1, 3", expect = ACCEPTABLE, desc = "The producer looked before the release: full both times; record 3, still held, intact.")
    @Outcome(id = "0, 32", expect = ACCEPTABLE_INTERESTING, desc = "The producer reused record 1's bytes, found them zero; records 3 and 2 intact.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "The producer found stale bytes: head was published before the released record was zeroed.")
    @Outcome(expect = FORBIDDEN, desc = "Record 3 or 2 was lost or torn, or record 1 came back.")
    @State
    public static class PartialRelease {
        private final MpscQueue queue = MpscQueue.create(64);
        private final Producer producer = queue.newProducer();

        public PartialRelease() {
            Records.commit(producer.tryClaim(16), 1);
            Records.commit(producer.tryClaim(16), 3);
            queue.consumer().hold(payload -> { }, 2);
        }

        @Actor
        public void consumer() {
            queue.consumer().releaseHeld(1);
        }

        @Actor
        public void producer(II_Result r) {
            r.r1 = claimAndCheck(producer);
        }

        @Arbiter
        public void rest(II_Result r) {
            queue.consumer().rewindHeld(); // record 3 is handed out again, then what follows it
            r.r2 = Records.drain(queue.consumer());
        }
    }
}
