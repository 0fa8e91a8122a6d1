package dev.logbuf.queue;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.jcstress.Records;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Race 10, recovery of claims in progress: {@link Consumer#unblock()} turns
 * an in-progress header into a skip once the claim's owner is gone (its
 * thread terminated, or its handle left the queue), and never while the
 * owner thread is alive.
 *
 * <ul>
 *   <li>A late end of a dead claim from another thread ({@code LateCommit},
 *       {@code LateAbort}) races the recovery: one compare-and-set on the
 *       header (Ring.casHeader, in WriteClaim.endElsewhere and in
 *       Consumer.unblock) lets exactly one of them take effect.</li>
 *   <li>The owner thread is written before the release store of the mark, so
 *       a consumer that acquires the mark reads this claim's owner, not the
 *       thread that used the handle before ({@code OwnerBeforeMark}).</li>
 *   <li>A handle leaves only after it has ended its claim: a consumer that
 *       finds the claimant gone also sees the commit or the abort
 *       ({@code CommitThenClose}, {@code CloseWithOpenClaim}).</li>
 * </ul>
 *
 * <p>These scenarios live in the queue's package (jcstress runs on the class
 * path) to reach the package-private {@code claimant} of a handle, whose
 * {@code owner} they set to a thread that has terminated, and the ring's
 * headers. An outcome's {@link Unblock} is encoded as 0 NOT_BLOCKED,
 * 1 RECOVERED, 2 STALLED; records as {@link Records} digits.
 */
public final class Recovery {

    /** A thread that has terminated: a claim it owns is dead and may be recovered. */
    static final Thread DEAD = terminated();

    private Recovery() {
    }

    private static Thread terminated() {
        // no lambda: its body would be a method of this class, which the new thread could not run
        // until this class's initialization (waiting in join below) had finished
        final Thread thread = new Thread("terminated-owner"); // no target: run() returns at once
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return thread;
    }

    /** What unblock() returned: 0 NOT_BLOCKED, 1 RECOVERED, 2 STALLED. */
    static int code(Unblock unblock) {
        return switch (unblock) {
            case NOT_BLOCKED -> 0;
            case RECOVERED -> 1;
            case STALLED -> 2;
        };
    }

    /**
     * Drains the consumer: the digits of what it still delivers, or -1 if the
     * ring does not end empty and settled (a claim still in progress, bytes
     * reserved and not released).
     */
    static int drainSettled(Consumer consumer) {
        final int digits = Records.drain(consumer);
        final QueueStats stats = consumer.stats();
        if (consumer.unblock() != Unblock.NOT_BLOCKED || stats.size() != 0) {
            return -1;
        }
        return digits;
    }

    /**
     * unblock() a few times in a row, which widens the span of the producer's
     * run it can land in: 1 if any call recovered, else 2 if any reported a
     * stall, else 0.
     */
    static int unblockRepeatedly(Consumer consumer) {
        int worst = 0;
        for (int i = 0; i < 16; i++) {
            final int code = code(consumer.unblock());
            if (code == 1) {
                return 1;
            }
            worst = Math.max(worst, code);
        }
        return worst;
    }

    /**
     * Claims record {@code tag} (8 bytes) on {@code producer} and commits it:
     * 1 if the commit returned, 0 if it threw because the claim was recovered
     * under it.
     */
    static int commitNew(MpscProducer producer, int tag) {
        final WriteClaim claim = producer.tryClaim(8);
        Records.fill(claim, tag);
        try {
            claim.commit();
            return 1;
        } catch (IllegalStateException recovered) {
            return 0;
        }
    }

    /** An open claim of record 1 on a fresh MPSC queue, its owner set to a terminated thread. */
    static WriteClaim deadClaim(MpscProducer producer) {
        final WriteClaim claim = producer.tryClaim(8);
        Records.fill(claim, 1);
        // plain: the state is published to the actors by jcstress (safely); no claim is marked after it
        producer.claimant.owner = DEAD;
        return claim;
    }

    /**
     * A dead claim (its owner terminated) of record 1. Another thread commits
     * it (not the owner: WriteClaim.endElsewhere's CAS) while the consumer
     * unblock()s (its CAS). Exactly one takes effect.
     *
     * <p>Results: (commit returned: 1, or threw: 0; unblock; what the arbiter
     * drained, -1 if the ring was not left empty).
     */
    @JCStressTest
    @Description("A dead claim of record 1: another thread commits it while the consumer recovers it.")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "The commit won (unblock found it committed, or lost the CAS); the record arrived intact.")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "The recovery won; commit threw; nothing was delivered and the ring drained.")
    @Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "Both took effect: commit reported success, and the recovery's skip lost the record.")
    @Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "Both took effect: the claim was recovered, then committed over the skip (a write into bytes given back).")
    @Outcome(expect = FORBIDDEN, desc = "Neither took effect, the ring was not left empty, or the record was torn or shown twice.")
    @State
    public static class LateCommit {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer producer = queue.newProducer();
        private final Consumer consumer = queue.consumer();
        private final WriteClaim claim = deadClaim(producer);

        @Actor
        public void commitElsewhere(III_Result r) {
            try {
                claim.commit();
                r.r1 = 1;
            } catch (IllegalStateException recovered) {
                r.r1 = 0;
            }
        }

        @Actor
        public void unblock(III_Result r) {
            r.r2 = code(consumer.unblock());
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = drainSettled(consumer);
        }
    }

    /**
     * A dead claim (its owner terminated) of record 1. Another thread aborts
     * it (WriteClaim.endElsewhere's CAS) while the consumer unblock()s (its
     * CAS). Both end it as a skip; nothing may be delivered, and the claim
     * counts once: as aborted if the abort won, as recovered if the recovery did.
     *
     * <p>Results: (unblock; what the arbiter drained, -1 if the ring was not
     * left empty; the stats' aborted * 10 + recovered).
     */
    @JCStressTest
    @Description("A dead claim of record 1: another thread aborts it while the consumer recovers it.")
    @Outcome(id = "0, 0, 10", expect = ACCEPTABLE, desc = "The abort won (unblock found a skip, or lost the CAS); nothing delivered, counted as aborted.")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "The recovery won; the abort found it ended and left the ring alone; counted once, as recovered.")
    @Outcome(id = ".*, 11", expect = FORBIDDEN, desc = "One claim counted twice, as aborted and as recovered.")
    @Outcome(expect = FORBIDDEN, desc = "The aborted record was delivered, the ring was not left empty, or the counters are off.")
    @State
    public static class LateAbort {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer producer = queue.newProducer();
        private final Consumer consumer = queue.consumer();
        private final WriteClaim claim = deadClaim(producer);

        @Actor
        public void abortElsewhere() {
            claim.abort();
        }

        @Actor
        public void unblock(III_Result r) {
            r.r1 = code(consumer.unblock());
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r2 = drainSettled(consumer);
            final QueueStats stats = consumer.stats();
            r.r3 = (int) (stats.aborted() * 10 + stats.recovered());
        }
    }

    /**
     * The handle was last used by a thread that has terminated; no claim is
     * open. A live thread claims record 1 on it (begin() makes it the owner,
     * then open() marks the claim with a release store) and commits it, while
     * the consumer unblock()s 16 times and then looks for a record. The consumer must
     * read the live owner with the mark, and never recover the claim.
     *
     * <p>Results: (the unblocks: 1 if one recovered, else 2 if one reported a
     * stall, else 0; the consumer's look after them: 1 or 0; what the arbiter
     * drained, -1 if the ring was not left empty; commit returned: 1, or
     * threw: 0).
     */
    @JCStressTest
    @Description("A handle last used by a terminated thread: a live thread claims and commits on it while the consumer unblocks.")
    @Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "The unblocks ran before the claim; the look before the commit; the arbiter got the record.")
    @Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE, desc = "The unblocks ran before the claim or after the commit; the look got the record.")
    @Outcome(id = "2, 0, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "An unblock saw the live claim (or the bare reservation) and reported a stall; the arbiter got the record.")
    @Outcome(id = "2, 1, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "An unblock reported a stall; the commit landed before the look, which got the record.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "A live claim was recovered: the consumer read the terminated previous owner with the mark.")
    @Outcome(expect = FORBIDDEN, desc = "The record was lost, shown twice or torn, the commit threw, or the ring was not left empty.")
    @State
    public static class OwnerBeforeMark {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer producer = queue.newProducer();
        private final Consumer consumer = queue.consumer();

        public OwnerBeforeMark() {
            // plain: the state is published to the actors by jcstress (safely)
            producer.claimant.owner = DEAD;
        }

        @Actor
        public void claimAndCommit(IIII_Result r) {
            r.r4 = commitNew(producer, 1);
        }

        @Actor
        public void unblockThenLook(IIII_Result r) {
            r.r1 = unblockRepeatedly(consumer);
            r.r2 = Records.takeOne(consumer);
        }

        @Arbiter
        public void drain(IIII_Result r) {
            r.r3 = drainSettled(consumer);
        }
    }

    /**
     * A fresh handle (no owner yet) claims record 1, commits it and closes
     * (it leaves the queue: what the Cleaner also does for a collected
     * handle), while the consumer unblock()s and then looks for a record. A
     * consumer that finds the claimant gone must see the commit: a committed
     * record is never recovered.
     *
     * <p>Results: (unblock; the consumer's look after it: 1 or 0; what the
     * arbiter drained, -1 if the ring was not left empty).
     */
    @JCStressTest
    @Description("A fresh handle claims, commits and closes while the consumer unblocks, then looks.")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "unblock and the look ran before the mark, or while the claim was open; the arbiter got the record.")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "unblock ran before the claim or after the commit; the look got the record.")
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "unblock saw the live claim (or the bare reservation) and reported a stall; the arbiter got the record.")
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "unblock reported a stall; the commit landed before the look, which got the record.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "The claim was recovered: a live claim stolen, or a committed record lost to a consumer that saw the handle gone but not the commit.")
    @Outcome(expect = FORBIDDEN, desc = "The record was lost, shown twice or torn, or the ring was not left empty.")
    @State
    public static class CommitThenClose {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer producer = queue.newProducer();
        private final Consumer consumer = queue.consumer();

        @Actor
        public void claimCommitClose() {
            Records.commit(producer.tryClaim(8), 1);
            producer.close();
        }

        @Actor
        public void unblockThenLook(III_Result r) {
            r.r1 = code(consumer.unblock());
            r.r2 = Records.takeOne(consumer);
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = drainSettled(consumer);
        }
    }

    /**
     * Handle A claims record 1 (at offset 0) and writes it; handle B, on the
     * same thread, commits record 2 behind it; then A is closed with its claim
     * open: close() aborts the claim (A's thread owns it: a plain release
     * store), then leaves. The consumer unblock()s and then looks. It must
     * never recover A's claim: the abort precedes the leaving, so a consumer
     * that finds A gone finds the claim ended. A recovery would let A's late
     * skip store land in bytes the consumer has already given back.
     *
     * <p>Results: (unblock; the consumer's look after it: 2 or 0; what the
     * arbiter drained, -1 if the ring was not left empty or a header behind
     * head is not zero).
     */
    @JCStressTest
    @Description("Handle A holds an open claim with B's record 2 behind it; A is closed (abort, then leave) while the consumer unblocks, then looks.")
    @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "unblock ran before A's claim; the look ran while it was open; the arbiter got record 2.")
    @Outcome(id = "0, 2, 0", expect = ACCEPTABLE, desc = "unblock found A's claim aborted (or nothing yet); the look stepped over it to record 2.")
    @Outcome(id = "2, 0, 2", expect = ACCEPTABLE_INTERESTING, desc = "unblock saw A's live claim (or a bare reservation) and reported a stall; the arbiter got record 2.")
    @Outcome(id = "2, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "unblock reported a stall; the abort landed before the look, which got record 2.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "A's claim was recovered while its owner was closing it: the handle left before the abort was published.")
    @Outcome(expect = FORBIDDEN, desc = "Record 1 was shown, record 2 lost or torn, the ring not left empty, or a stale header left behind head.")
    @State
    public static class CloseWithOpenClaim {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer a = queue.newProducer();
        private final MpscProducer b = a.duplicate();
        private final Consumer consumer = queue.consumer();

        @Actor
        public void claimThenClose() {
            Records.fill(a.tryClaim(8), 1);
            Records.commit(b.tryClaim(8), 2);
            a.close();
        }

        @Actor
        public void unblockThenLook(III_Result r) {
            r.r1 = code(consumer.unblock());
            r.r2 = Records.takeOne(consumer);
        }

        @Arbiter
        public void drain(III_Result r) {
            final int digits = drainSettled(consumer);
            // the consumer zeroes what it steps over: a header left behind head was written late
            r.r3 = a.ring.headerAcquire(0) != 0 || a.ring.headerAcquire(16) != 0 ? -1 : digits;
        }
    }

    /**
     * A dead claim of record 1 (its owner terminated, its handle gone as if
     * collected) holds the head; its claimant id has come round to a new
     * handle (as after 2^30 handles), which a live thread uses to claim and
     * commit record 2 while the consumer unblock()s. The id names the new
     * handle, but the claim is not its own: it is not where the new handle's
     * claim in progress is ({@code Claimant.claimAt}), so the consumer must
     * recover it, and never the new handle's live claim. Without that check the
     * consumer reads the new handle's live owner and reports the dead claim
     * as a stall for as long as the new handle lives.
     *
     * <p>Results: (the new handle's commit returned: 1, or threw: 0; claims
     * recovered; what the arbiter drained, -1 if the ring was not left
     * empty).
     */
    @JCStressTest
    @Description("A dead claim whose id came round to a new handle: a live thread commits on the new handle while the consumer unblocks.")
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "The dead claim was recovered, the live one left alone; record 2 arrived.")
    @Outcome(id = "1, 0, -1", expect = FORBIDDEN, desc = "The dead claim was taken for the new handle's: reported as a stall, and the ring stays blocked.")
    @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The new handle's live claim was recovered under it.")
    @Outcome(expect = FORBIDDEN, desc = "Records lost, shown twice or torn, or the ring not left empty.")
    @State
    public static class IdCameRound {
        private final MpscQueue queue = MpscQueue.create(64);
        private final Consumer consumer = queue.consumer();
        /** Keeps the queue connected while the dead claim's handle is gone. */
        private final MpscProducer keeper = queue.newProducer();
        private final MpscProducer successor;

        public IdCameRound() {
            final MpscProducer gone = keeper.duplicate();
            deadClaim(gone);
            gone.leaveAsIfCollected();
            // as if 2^30 handles had been made since: the next one gets the dead claim's id
            queue.handles.startIdsAt(gone.claimant.id);
            successor = keeper.duplicate();
            if (successor.claimant.id != gone.claimant.id) {
                throw new IllegalStateException("the id did not come round: " + successor.claimant.id);
            }
        }

        @Actor
        public void claimAndCommit(III_Result r) {
            r.r1 = commitNew(successor, 2);
        }

        @Actor
        public void unblock() {
            unblockRepeatedly(consumer);
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = drainSettled(consumer);
            r.r2 = (int) consumer.stats().recovered();
        }
    }

    /**
     * One claim on {@code producer}, tagged {@code tag}, by a thread that
     * shares the handle with another (a programming error): 1 if the commit
     * returned, 0 if a step threw the error that says two threads used the
     * handle, 2 if it threw any other IllegalStateException, 3 if it met an
     * IndexOutOfBoundsException. Whatever happened, the thread then closes
     * its claim, as the documented try-with-resources does: a claim that a
     * live thread leaves open after an exception holds the ring, misuse or
     * not, and that is not what this scenario tests.
     */
    static int claimShared(MpscProducer producer, int tag) {
        // the documented pattern: try-with-resources ends the claim (close aborts it) whatever is thrown
        try (WriteClaim claim = producer.tryClaim(8)) {
            Records.fill(claim, tag);
            claim.commit();
            return 1;
        } catch (IllegalStateException e) {
            // from the claim, or from close() at the end of the try: a claim the other thread ended
            return String.valueOf(e.getMessage()).contains("duplicate()") ? 0 : 2;
        } catch (IndexOutOfBoundsException e) {
            return 3; // the other thread's claim changed the shared flyweight's bounds under this one's write
        }
    }

    /**
     * Steps over what nothing will end and drains: 1 if the ring then ends
     * empty and settled within a few rounds, 0 if it stays blocked; and the
     * number of intact records delivered, in {@code r.r4}.
     */
    static int settle(Consumer consumer, IIII_Result r) {
        int intact = 0;
        for (int round = 0; round < 8; round++) {
            for (ReadClaim claim; (claim = consumer.tryClaim()) != null; ) {
                if (Records.take(claim) != Records.CORRUPT) {
                    intact++;
                }
            }
            if (consumer.unblock() == Unblock.NOT_BLOCKED && consumer.stats().size() == 0) {
                r.r4 = intact;
                return 1;
            }
        }
        r.r4 = intact;
        return 0;
    }

    /**
     * Two threads use one handle at once (a programming error), each
     * claiming and committing one record, both alive when the consumer
     * looks; each thread ends its claim with try-with-resources, as the
     * docs show. Whatever the interleaving, the misuse must end in the clear
     * error (or in nothing, when the claims did not overlap), and must never
     * leave a claim that nothing will end: a claim opened over another's in
     * the one flyweight leaves the first marked in progress by a live owner,
     * which the consumer recovers because the handle's claim position has
     * moved on ({@code Claimant.claimAt}). Without that, the ring stays
     * blocked for as long as the threads live.
     *
     * <p>What is promised is that the ring never stays blocked, and that an
     * {@code IllegalStateException} says what happened. The detection runs
     * on cold paths only (nothing is added to a claim's fast path), so two
     * claims that overlap can also garble or lose their records without an
     * error, or meet an {@code IndexOutOfBoundsException} from the shared
     * flyweight's bounds: sharing that goes on is reported, not every
     * overlap.
     *
     * <p>Results: (thread A: 1 the commit returned, 0 the clear error, 2 any
     * other IllegalStateException, 3 an IndexOutOfBoundsException; thread
     * B, the same; 1 if the ring ends settled, 0 if it stays blocked; intact
     * records delivered).
     */
    @JCStressTest
    @Description("Two threads claim and commit on one handle at once; the consumer looks after them, both threads alive.")
    @Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE, desc = "The claims did not overlap: both records arrived.")
    @Outcome(id = "[0-3], [0-3], 0, [0-9]+", expect = FORBIDDEN, desc = "The ring stays blocked: a claim nothing will end, its live owner found.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "Thread A got an IllegalStateException that does not say two threads used the handle.")
    @Outcome(id = "[013], 2, .*", expect = FORBIDDEN, desc = "Thread B got an IllegalStateException that does not say two threads used the handle.")
    @Outcome(id = "1, 1, 1, [01]", expect = ACCEPTABLE_INTERESTING, desc = "Overlap not reported: both commits returned, but the overlapping claims lost or garbled a record (detection is on cold paths only and cannot see every overlap). The ring settled.")
    @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "A thread got the clear error (0), or an IndexOutOfBoundsException from the shared flyweight (3); the records of the overlapping claims may be lost or garbled; the ring settled.")
    @State
    public static class TwoThreadsOneHandle {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer producer = queue.newProducer();
        private final Consumer consumer = queue.consumer();

        @Actor
        public void threadA(IIII_Result r) {
            r.r1 = claimShared(producer, 1);
        }

        @Actor
        public void threadB(IIII_Result r) {
            r.r2 = claimShared(producer, 2);
        }

        @Arbiter
        public void settle(IIII_Result r) {
            r.r3 = Recovery.settle(consumer, r);
        }
    }

    /**
     * A live thread commits record 1, then claims and commits record 2 on the
     * same handle, while the consumer unblock()s 16 times and then looks. The
     * handle's claim position moves on (to record 2, to none) only after the
     * header that ended record 1, so a consumer that reads it moved on
     * finds record 1 committed: the recovery CAS fails on it, and nothing is
     * recovered.
     *
     * <p>Results: (the unblocks: 1 if one recovered, else 2 if one reported a
     * stall, else 0; the consumer's look after them: the digits of up to two
     * records; what the arbiter drained, -1 if the ring was not left empty;
     * both commits returned: 1).
     */
    @JCStressTest
    @Description("A live thread commits record 1, then claims and commits record 2, while the consumer unblocks, then looks.")
    @Outcome(id = "[02], 0, 12, 1", expect = ACCEPTABLE, desc = "No claim was recovered; the look found nothing yet; the arbiter got both records.")
    @Outcome(id = "[02], 1, 2, 1", expect = ACCEPTABLE, desc = "No claim was recovered; the look got record 1, the arbiter record 2.")
    @Outcome(id = "[02], 12, 0, 1", expect = ACCEPTABLE, desc = "No claim was recovered; the look got both records.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "A claim of a live thread was recovered: the consumer read the claim position moved on before the end of the claim was visible.")
    @Outcome(expect = FORBIDDEN, desc = "A record was lost, shown twice or torn, a commit threw, or the ring was not left empty.")
    @State
    public static class ClaimAgain {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer producer = queue.newProducer();
        private final Consumer consumer = queue.consumer();

        @Actor
        public void commitTwo(IIII_Result r) {
            r.r4 = commitNew(producer, 1) & commitNew(producer, 2);
        }

        @Actor
        public void unblockThenLook(IIII_Result r) {
            r.r1 = unblockRepeatedly(consumer);
            r.r2 = Records.takeTwo(consumer);
        }

        @Arbiter
        public void drain(IIII_Result r) {
            r.r3 = drainSettled(consumer);
        }
    }

    /** A live thread that never ends: a claim it owns is never recovered for its owner's death. */
    static final Thread LIVE = parkedForever();

    private static Thread parkedForever() {
        final Thread thread = new Thread(new Runnable() {
            @Override
            public void run() {
                for (;;) {
                    java.util.concurrent.locks.LockSupport.park();
                }
            }
        }, "live-owner");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * An orphaned claim of record 1 holds the head: its owner is a live
     * thread, but the handle's claim position has moved on (as when a second
     * thread using the handle at the same time opened the flyweight over it),
     * so nothing will ever end it. Another handle commits record 2 behind it
     * while the consumer unblock()s and then looks. The consumer must recover
     * the orphan (its owner being alive is no reason to wait), and deliver
     * record 2.
     *
     * <p>Results: (the unblocks: 1 if one recovered, else 2 if one reported a
     * stall, else 0; the consumer's look after them: 2 or 0; what the arbiter
     * drained, -1 if the ring was not left empty).
     */
    @JCStressTest
    @Description("An orphaned claim (live owner, handle moved on) holds the head; another handle commits behind it while the consumer unblocks.")
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "The orphan was recovered; the look got record 2.")
    @Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "The orphan was recovered; record 2 was committed after the look; the arbiter got it.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "The orphan was taken for its live owner's: a stall, for as long as that thread lives.")
    @Outcome(expect = FORBIDDEN, desc = "Record 1 shown, record 2 lost or torn, or the ring not left empty.")
    @State
    public static class Orphaned {
        private final MpscQueue queue = MpscQueue.create(64);
        private final MpscProducer misused = queue.newProducer();
        private final MpscProducer other = misused.duplicate();
        private final Consumer consumer = queue.consumer();

        public Orphaned() {
            Records.fill(misused.tryClaim(8), 1);
            // plain: the state is published to the actors by jcstress (safely)
            misused.claimant.owner = LIVE;
            // what the second thread's claim leaves: the handle's claim is elsewhere now
            misused.claimant.claimAt(32);
        }

        @Actor
        public void commitBehind() {
            Records.commit(other.tryClaim(8), 2);
        }

        @Actor
        public void unblockThenLook(III_Result r) {
            r.r1 = unblockRepeatedly(consumer);
            r.r2 = Records.takeOne(consumer);
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = drainSettled(consumer);
        }
    }
}
