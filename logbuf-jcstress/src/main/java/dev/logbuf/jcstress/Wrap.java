package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.Producer;
import dev.logbuf.queue.SpscQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Race 3, the wrap. Each ring has 64 bytes and starts part-way round: a first
 * record was committed and consumed, so head = tail = {@code start}. Results
 * are (what the consumer saw while the producer ran, what the arbiter's drain
 * found after), as the digits of the records' tags.
 *
 * <p>Padding then a record at offset 0: a 16-byte payload (24 bytes) at offset
 * 48 does not fit the 16 bytes before the end, so the producer publishes a
 * skip header over them and claims at offset 0 in the same call. Exact end: a
 * 24-byte record at offset 40 ends exactly at the end of the ring, and the
 * next record starts at offset 0 with no padding.
 */
public final class Wrap {

    private Wrap() {
    }

    /** Moves an empty ring's head and tail to {@code start} (a multiple of 8, at least 16). */
    static void startAt(Producer producer, Consumer consumer, int start) {
        Records.commit(producer.tryClaim(start - 8), 1);
        Records.drain(consumer);
    }

    /** SPSC: padding to the end, then the record at offset 0, against a consumer taking one record. */
    @JCStressTest
    @Description("SPSC: padding to the end, then the record at offset 0, against a consumer taking one record.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The consumer looked before the commit (or saw only the padding).")
    @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "The consumer stepped over the padding and took the record at offset 0.")
    @Outcome(expect = FORBIDDEN, desc = "The record was lost, duplicated or torn, or the padding was shown as a record.")
    @State
    public static class PaddingSpsc {
        private final SpscQueue queue = SpscQueue.create(64);

        public PaddingSpsc() {
            startAt(queue.producer(), queue.consumer(), 48);
        }

        @Actor
        public void producer() {
            Records.commit(queue.producer().tryClaim(16), 1);
        }

        @Actor
        public void consumer(II_Result r) {
            r.r1 = Records.takeOne(queue.consumer());
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = Records.drain(queue.consumer());
        }
    }

    /** MPSC: padding to the end, then the record at offset 0, against a batch read. */
    @JCStressTest
    @Description("MPSC: padding to the end, then the record at offset 0, against a batch read.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The batch read ran before the commit (or saw only the padding).")
    @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "The batch read stepped over the padding and took the record at offset 0.")
    @Outcome(expect = FORBIDDEN, desc = "The record was lost, duplicated or torn, or the padding was shown as a record.")
    @State
    public static class PaddingMpsc {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer producer = queue.newProducer();
        private final Records.Digits reader = new Records.Digits();

        public PaddingMpsc() {
            startAt(producer, queue.consumer(), 48);
        }

        @Actor
        public void producer() {
            Records.commit(producer.tryClaim(16), 1);
        }

        @Actor
        public void consumer(II_Result r) {
            r.r1 = reader.read(queue.consumer(), 4);
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = Records.drain(queue.consumer());
        }
    }

    /** SPSC: record 1 ends exactly at the end of the ring, record 2 starts at offset 0; a batch read races them. */
    @JCStressTest
    @Description("SPSC: record 1 ends exactly at the end of the ring, record 2 starts at offset 0; a batch read races them.")
    @Outcome(id = {"0, 12", "1, 2"}, expect = ACCEPTABLE, desc = "The batch read ran before one of the commits.")
    @Outcome(id = "12, 0", expect = ACCEPTABLE_INTERESTING, desc = "The batch read took both, across the end of the ring.")
    @Outcome(expect = FORBIDDEN, desc = "A record lost, duplicated, reordered or torn at the end of the ring.")
    @State
    public static class ExactEndSpsc {
        private final SpscQueue queue = SpscQueue.create(64);
        private final Records.Digits reader = new Records.Digits();

        public ExactEndSpsc() {
            startAt(queue.producer(), queue.consumer(), 40);
        }

        @Actor
        public void producer() {
            Records.commit(queue.producer().tryClaim(16), 1);
            Records.commit(queue.producer().tryClaim(8), 2);
        }

        @Actor
        public void consumer(II_Result r) {
            r.r1 = reader.read(queue.consumer(), 4);
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = Records.drain(queue.consumer());
        }
    }

    /** MPSC: two producers race; the first claim ends exactly at the end of the ring, the second starts at offset 0; the arbiter drains. */
    @JCStressTest
    @Description("MPSC: two producers race; the first claim ends exactly at the end of the ring, the second starts at offset 0; the arbiter drains.")
    @Outcome(id = {"12", "21"}, expect = ACCEPTABLE, desc = "Both records, in claim order, intact across the end of the ring.")
    @Outcome(expect = FORBIDDEN, desc = "A record lost, duplicated or torn at the end of the ring, or padding where none was needed.")
    @State
    public static class ExactEndMpsc {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer first = queue.newProducer();
        private final MpscProducer second = queue.newProducer();

        public ExactEndMpsc() {
            startAt(first, queue.consumer(), 40);
        }

        @Actor
        public void producer1() {
            Records.commit(first.tryClaim(16), 1);
        }

        @Actor
        public void producer2() {
            Records.commit(second.tryClaim(16), 2);
        }

        @Arbiter
        public void drain(I_Result r) {
            r.r1 = Records.drain(queue.consumer());
        }
    }
}
