package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.Payload;
import dev.logbuf.queue.Producer;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.WriteClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Race 11, the consumer's controlled read and put-back against a producer
 * that needs the bytes:
 *
 * <ul>
 *   <li>{@link ControlledRecordHandler.Action#COMMIT COMMIT} gives back what
 *       the read consumed so far in the middle of the read: the bytes are
 *       zeroed, then head is published (release store), and the read goes on.
 *       A producer that acquires that head and claims the same bytes finds
 *       them zero, and no late zeroing wipes what it writes
 *       ({@code CommitMidRead}).</li>
 *   <li>{@link ControlledRecordHandler.Action#ABORT ABORT} and
 *       {@link ReadClaim#putBack()} leave the record in the ring, unzeroed, with
 *       head at it: the next read hands it out again, intact, then the rest
 *       in order, and a producer never gets its bytes
 *       ({@code AbortLeavesRecord}, {@code PutBack}).</li>
 * </ul>
 *
 * <p>The rings are small, so the producer's next records land on the bytes
 * of the first ones, one lap on (offset 0). Records read as {@link Records}
 * digits.
 */
public final class Control {

    private Control() {
    }

    /**
     * Up to {@code attempts} claims of {@code length} bytes: -1 if every one
     * found the ring full; otherwise the claim is checked for zeroes (0 every
     * payload byte read zero, 1 some byte was stale) and committed as record
     * {@code tag}.
     */
    static int claimAndCheck(Producer producer, int length, int tag, int attempts) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            final WriteClaim claim = producer.tryClaim(length);
            if (claim != null) {
                final int stale = Records.allZero(claim) ? 0 : 1;
                Records.commit(claim, tag);
                return stale;
            }
        }
        return -1;
    }

    /**
     * The producer of the abort scenarios: commits record 2 (there is room),
     * then tries record 3 (it needs record 1's bytes back, once consumed),
     * then, if record 3 was claimed, record 4 (it needs record 2's bytes,
     * which are never given back: record 2 is put back or not read at all).
     *
     * @return -1 record 3 never fitted; 0 record 3 claimed, zero, and record 4
     *         refused; 1 record 3's bytes were stale; 2 record 4 was claimed
     *         (committed anyway, so the arbiter sees the damage)
     */
    static int produceAfterAbort(Producer producer) {
        Records.commit(producer.tryClaim(8), 2);
        final int third = claimAndCheck(producer, 8, 3, 2);
        if (third != 0) {
            return third;
        }
        final WriteClaim fourth = producer.tryClaim(8);
        if (fourth == null) {
            return 0;
        }
        Records.commit(fourth, 4);
        return 2;
    }

    /** Notes each record's tag as a digit; COMMIT after record 1, CONTINUE after any other. */
    static final class CommitAfterFirst implements ControlledRecordHandler {
        int digits;
        int records;

        @Override
        public Action onRecord(Payload payload) {
            final int tag = Records.tagOf(payload);
            digits = digits * 10 + tag;
            records++;
            return tag == 1 ? Action.COMMIT : Action.CONTINUE;
        }

        /** One controlled read: the digits it was handed, or -1 if its count disagrees with them. */
        int read(Consumer consumer) {
            digits = 0;
            records = 0;
            final int consumed = consumer.controlledRead(this, 8);
            return consumed == records ? digits : -1;
        }
    }

    /** Notes each record's tag as a digit; CONTINUE after record 1, ABORT on any other. */
    static final class AbortAfterFirst implements ControlledRecordHandler {
        int digits;
        int records;

        @Override
        public Action onRecord(Payload payload) {
            final int tag = Records.tagOf(payload);
            digits = digits * 10 + tag;
            records++;
            return tag == 1 ? Action.CONTINUE : Action.ABORT;
        }

        /**
         * One controlled read: the digits it was handed (the last one aborted
         * when it is not 1), or -1 if it did not count exactly record 1 as
         * consumed.
         */
        int read(Consumer consumer) {
            digits = 0;
            records = 0;
            final int consumed = consumer.controlledRead(this, 4);
            return consumed == 1 ? digits : -1;
        }
    }

    /**
     * CommitMidRead's payload length: 32-byte records, which the COMMIT
     * zeroes with a bulk copy (as it zeroes most records), not with the two
     * stores of a 16-byte record; the wider window between zeroing and head
     * store made {@code commit-zero-after-release} show in every result
     * rather than in half of them.
     */
    static final int COMMIT_LENGTH = 24;

    /**
     * SPSC, a 128-byte ring full with records 1 to 4 (24-byte payloads). The
     * consumer's controlled read commits after record 1 (zero its bytes, then
     * publish head) and goes on: records 2, 3 and 4, then record 5 if the
     * producer has committed it into record 1's bytes meanwhile (after a
     * COMMIT the read may go one lap past its last give-back). The producer
     * tries to claim those bytes.
     *
     * <p>Results are (what the producer found: -1 full on all four attempts,
     * 0 claimed and every payload byte read zero, 1 claimed and some byte was
     * stale; the records the controlled read was handed, as digits, or -1 if
     * its count disagreed; the records the arbiter drained after the actors).
     */
    @JCStressTest
    @Description("SPSC, ring full with 1 to 4: a controlled read COMMITs after 1 and goes on, while the producer claims 1's bytes for record 5.")
    @Outcome(id = "-1, 1234, 0", expect = ACCEPTABLE, desc = "The producer looked before the COMMIT's head store: full every time.")
    @Outcome(id = "0, 1234, 5", expect = ACCEPTABLE, desc = "The producer reused the committed bytes, found them zero; record 5 came after the read looked.")
    @Outcome(id = "0, 12345, 0", expect = ACCEPTABLE_INTERESTING, desc = "The read went on past its COMMIT into record 5, written into the bytes it had just given back.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "The producer found stale bytes: head was published before the COMMIT's zeroing.")
    @Outcome(expect = FORBIDDEN, desc = "Record 5 was lost or torn (zeroed under the producer), a record came back or went missing.")
    @State
    public static class CommitMidRead {
        /**
         * The COMMIT's zeroing, then head release store (Consumer.release(from, to) called from
         * controlledRead), pairs with the producer's head acquire in tryClaim; the producer's
         * header release store of record 5 pairs with the read's header acquire.
         */
        private final SpscQueue queue = SpscQueue.create(128);
        private final CommitAfterFirst handler = new CommitAfterFirst();

        public CommitMidRead() {
            for (int tag = 1; tag <= 4; tag++) {
                Records.commit(queue.producer().tryClaim(COMMIT_LENGTH), tag);
            }
        }

        @Actor
        public void consumer(III_Result r) {
            r.r2 = handler.read(queue.consumer());
        }

        @Actor
        public void producer(III_Result r) {
            r.r1 = claimAndCheck(queue.producer(), COMMIT_LENGTH, 5, 4);
        }

        @Arbiter
        public void rest(III_Result r) {
            r.r3 = Records.drain(queue.consumer());
        }
    }

    /**
     * MPSC, ring holding record 1. The consumer's controlled read consumes
     * record 1 and ABORTs record 2 if the producer has committed it by then
     * (record 1 is zeroed and given back when the read ends; record 2 stays,
     * unzeroed, with head at it). The producer commits 2, then claims 3 into
     * record 1's bytes once they are back, then tries record 4, which would
     * need record 2's bytes: never free, whatever the consumer did.
     *
     * <p>Results are (the records the controlled read was handed, as digits:
     * 1, or 12 with 2 aborted; -1 if it did not count exactly record 1 as
     * consumed; the producer, as {@link #produceAfterAbort}; the records the
     * arbiter drained after the actors: 2 must come first, again, intact).
     */
    @JCStressTest
    @Description("MPSC, ring holding 1: a controlled read consumes 1 and ABORTs 2, while the producer commits 2, claims 1's bytes for 3, then tries 4 (2's bytes).")
    @Outcome(id = "1, -1, 2", expect = ACCEPTABLE, desc = "The read ran before record 2; the producer looked before record 1 was given back.")
    @Outcome(id = "1, 0, 23", expect = ACCEPTABLE, desc = "The read ran before record 2; the producer reused record 1's bytes (zero); 4 refused.")
    @Outcome(id = "12, -1, 2", expect = ACCEPTABLE_INTERESTING, desc = "The read aborted record 2; the producer looked before record 1 was given back.")
    @Outcome(id = "12, 0, 23", expect = ACCEPTABLE_INTERESTING, desc = "The read aborted record 2, which the arbiter received again, intact, before 3; 4 refused.")
    @Outcome(id = ".*, 2, .*", expect = FORBIDDEN, desc = "Record 4 was claimed: the abort gave record 2's bytes back.")
    @Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "Record 3 found stale bytes: head was published before the read's zeroing.")
    @Outcome(expect = FORBIDDEN, desc = "The aborted record was consumed, lost or torn, a record came back or went missing.")
    @State
    public static class AbortLeavesRecord {
        /**
         * The read's end (zero record 1, then head release store) pairs with the producer's head
         * acquire; the ABORT stores nothing, so no head the producer can acquire covers record 2.
         */
        private final MpscQueue queue = MpscQueue.create(32);
        private final Producer producer = queue.newProducer();
        private final AbortAfterFirst handler = new AbortAfterFirst();

        public AbortLeavesRecord() {
            Records.commit(producer.tryClaim(8), 1);
        }

        @Actor
        public void consumer(III_Result r) {
            r.r1 = handler.read(queue.consumer());
        }

        @Actor
        public void producer(III_Result r) {
            r.r2 = produceAfterAbort(producer);
        }

        @Arbiter
        public void rest(III_Result r) {
            r.r3 = Records.drain(queue.consumer());
        }
    }

    /**
     * SPSC, ring holding record 1. The consumer claims record 1 and puts it
     * back ({@link ReadClaim#putBack()}), claims again (it must be record 1,
     * intact) and closes it (consumed), then claims record 2 if the producer
     * has committed it and puts it back too. The producer is that of
     * {@code AbortLeavesRecord}: record 3 needs record 1's bytes (back only
     * after the close), record 4 record 2's (never back).
     *
     * <p>Results are (the consumer's three claims as three digits: the first
     * tag put back, the tag claimed and closed, the tag put back last or 0
     * for none, so 110 or 112; the producer, as {@link #produceAfterAbort};
     * the records the arbiter drained after the actors).
     */
    @JCStressTest
    @Description("SPSC, ring holding 1: the consumer puts 1 back, claims and closes it, puts 2 back, while the producer commits 2, claims 1's bytes for 3, then tries 4.")
    @Outcome(id = "110, -1, 2", expect = ACCEPTABLE, desc = "1 put back and handed out again; 2 came after; the producer looked before 1 was closed.")
    @Outcome(id = "110, 0, 23", expect = ACCEPTABLE, desc = "1 put back, handed out again and closed; the producer reused its bytes (zero); 4 refused.")
    @Outcome(id = "112, -1, 2", expect = ACCEPTABLE_INTERESTING, desc = "2 put back as well; the producer looked before 1 was closed.")
    @Outcome(id = "112, 0, 23", expect = ACCEPTABLE_INTERESTING, desc = "2 put back and received again by the arbiter, intact, before 3; 4 refused.")
    @Outcome(id = ".*, 2, .*", expect = FORBIDDEN, desc = "Record 4 was claimed: the put-back gave record 2's bytes back.")
    @Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "Record 3 found stale bytes: head was published before record 1 was zeroed.")
    @Outcome(expect = FORBIDDEN, desc = "A put-back record was consumed, lost or torn, or the second claim was not record 1.")
    @State
    public static class PutBack {
        /**
         * The close of the second claim (zero record 1, then head release store) pairs with the
         * producer's head acquire; the put-backs store nothing, so the producer sees no head past
         * the record put back.
         */
        private final SpscQueue queue = SpscQueue.create(32);

        public PutBack() {
            Records.commit(queue.producer().tryClaim(8), 1);
        }

        @Actor
        public void consumer(III_Result r) {
            final Consumer consumer = queue.consumer();
            ReadClaim claim = consumer.tryClaim();
            final int first = claim == null ? 0 : Records.tagOf(claim);
            if (claim != null) {
                claim.putBack();
            }
            final int again = Records.takeOne(consumer);
            claim = consumer.tryClaim();
            int last = 0;
            if (claim != null) {
                last = Records.tagOf(claim);
                claim.putBack();
            }
            r.r1 = first * 100 + again * 10 + last;
        }

        @Actor
        public void producer(III_Result r) {
            r.r2 = produceAfterAbort(queue.producer());
        }

        @Arbiter
        public void rest(III_Result r) {
            r.r3 = Records.drain(queue.consumer());
        }
    }
}
