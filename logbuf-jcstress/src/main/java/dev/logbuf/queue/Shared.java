package dev.logbuf.queue;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.jcstress.Records;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Race 13, rings shared between processes: what one process finds of
 * another that died, against the live ones.
 *
 * <ul>
 *   <li>An MPSC producer writes its intent (start, size) into its slot before
 *       its CAS on the tail (RingFile.intend), and forgets it after a lost
 *       CAS. A consumer that finds a zero header with the tail past it
 *       recovers the bytes as a skip only when no live producer's intent
 *       covers the position and the dead ones that do agree on its end
 *       (SharedHandles.deadReservationEnd, Consumer.unblock's CAS 0 to skip).
 *       A dead producer's stale intent over a live producer's reservation
 *       does not make it recoverable ({@code LiveOwnerNotTaken}), nor does a
 *       live producer paused between its CAS and its mark
 *       ({@code PausedLiveProducer}); a dead producer's real reservation is
 *       recovered, once, as exactly its bytes, and the live record behind it
 *       is not touched ({@code DeadReservationAmongLive}).</li>
 *   <li>The consumer announces each release (Ring.announceRelease: an opaque
 *       store, then a store-store fence) before it zeroes the bytes. A
 *       consumer process that takes the role over from a dead one completes
 *       an announced release (SharedHandles.completeRelease) before it reads
 *       ({@code ConsumerTakeover}); an SPSC producer process that takes over
 *       from a dead one looks for the tail by stepping over headers, and a
 *       zero that a running release wrote is not the tail: it goes on from
 *       the announced end (SpscProducer.findTail;
 *       {@code SpscTakeoverDuringRelease}).</li>
 * </ul>
 *
 * <p>Processes are faked in one JVM, as the queue's SharedRingTest does: each
 * attachment to the same memory has a {@link SharedHandles.Liveness} whose
 * pid this class chooses; {@link #DEAD_PRODUCER} and {@link #DEAD_CONSUMER}
 * are dead from the start, every other pid is alive. A dead (or paused)
 * process's state is built in the state's constructor: the real code up to
 * the call it did not finish, then the accessors that call uses
 * (RingFile.intend, Ring.casTail, announceRelease, zero, tailMirrorOpaque)
 * for the steps it made of it.
 *
 * <p>Where the race is a few instructions wide, the actors meet first: one
 * raises a {@link Flag} (or moves the tail) as its first step and the other
 * waits for it, so that the racing steps overlap in most samples, not in the
 * few where jcstress happened to start them together. Every state's memory
 * (37 KiB for an MPSC ring's 256 producer slots) is reused by the next state
 * ({@link #retire}).
 *
 * <p>An outcome's {@link Unblock} is encoded as in {@link Recovery} (0
 * NOT_BLOCKED, 1 RECOVERED, 2 STALLED); records as {@link Records} digits;
 * {@link #THREW} where the consumer threw (only a broken variant's damage,
 * a header no record has, makes it).
 */
public final class Shared {

    /** The pids of the fake processes. */
    static final long DEAD_PRODUCER = 1;
    static final long CONSUMER = 2;
    static final long DEAD_CONSUMER = 3;
    static final long PRODUCER = 4;
    static final long NEW_PRODUCER = 5;
    static final long NEW_CONSUMER = 6;

    private static final SharedHandles.Liveness[] PROCESSES = new SharedHandles.Liveness[(int) NEW_CONSUMER + 1];

    static {
        for (int pid = 1; pid < PROCESSES.length; pid++) {
            PROCESSES[pid] = liveness(pid);
        }
    }

    private Shared() {
    }

    private static SharedHandles.Liveness liveness(long pid) {
        return new SharedHandles.Liveness() {
            @Override
            public long pid() {
                return pid;
            }

            @Override
            public int fingerprint() {
                return 7;
            }

            @Override
            public boolean alive(long other, int fingerprint) {
                return other != DEAD_PRODUCER && other != DEAD_CONSUMER;
            }
        };
    }

    /** Memory given back by arbiters, by size, for the states made next. */
    private static final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<ByteBuffer>> FREE = new ConcurrentHashMap<>();

    /**
     * Direct memory of exactly {@code size} bytes for a shared ring, 128-byte
     * aligned: one an arbiter gave back ({@link #retire}), or a new one.
     * (create zeroes it either way.)
     */
    static ByteBuffer memory(long size) {
        final ByteBuffer reused = FREE.computeIfAbsent((int) size, k -> new ConcurrentLinkedQueue<>()).poll();
        if (reused != null) {
            return reused;
        }
        // alignedSlice trims both ends to the alignment: a line pair of slack at each end
        return ByteBuffer.allocateDirect((int) size + 2 * Ring.CACHE_LINE_PAIR - 1)
                .alignedSlice(Ring.CACHE_LINE_PAIR).slice(0, (int) size);
    }

    /**
     * The arbiter's last step: closes the state's producer handles, then gives
     * its memory back for the next state (jcstress makes the next state right
     * after the arbiter, on the same thread). Without the reuse the forks run
     * out of direct memory (256 MB) before the garbage collector frees the
     * buffers of states gone by; without the closes, a handle collected
     * unclosed would free its slot later, from the Cleaner's thread, in the
     * ring that by then lives in the same memory.
     */
    static void retire(ByteBuffer memory, Producer... producers) {
        for (Producer producer : producers) {
            producer.close();
        }
        FREE.get(memory.capacity()).offer(memory);
    }

    /** A new shared MPSC ring of {@code capacity} in fresh memory. */
    static ByteBuffer mpscRing(int capacity) {
        final ByteBuffer memory = memory(MpscQueue.sharedSize(capacity));
        MpscQueue.create(memory, capacity);
        return memory;
    }

    /** A new shared SPSC ring of {@code capacity} in fresh memory. */
    static ByteBuffer spscRing(int capacity) {
        final ByteBuffer memory = memory(SpscQueue.sharedSize(capacity));
        SpscQueue.create(memory, capacity);
        return memory;
    }

    /** Process {@code pid}'s attachment to the MPSC ring in {@code memory}. */
    static MpscQueue mpsc(ByteBuffer memory, long pid) {
        return MpscQueue.attach(memory, PROCESSES[(int) pid]);
    }

    /** Process {@code pid}'s attachment to the SPSC ring in {@code memory}. */
    static SpscQueue spsc(ByteBuffer memory, long pid) {
        return SpscQueue.attach(memory, PROCESSES[(int) pid]);
    }

    /** {@code b}'s digits after {@code a}'s. */
    static int append(int a, int b) {
        for (int rest = b; rest != 0; rest /= 10) {
            a *= 10;
        }
        return a + b;
    }

    /** Commits {@code claim} as record {@code tag}; nothing if the ring refused it (a broken variant's damage). */
    static void commitIfClaimed(WriteClaim claim, int tag) {
        if (claim != null) {
            Records.commit(claim, tag);
        }
    }

    /**
     * Drains the consumer, recovering what holds it when its owner is gone
     * (a few rounds at most): the digits of what it delivers, -1 if the ring
     * does not end empty and settled, {@link #THREW} if the consumer threw.
     */
    static int drainRecovering(Consumer consumer) {
        try {
            int digits = 0;
            for (int round = 0; round < 4; round++) {
                digits = append(digits, Records.drain(consumer));
                if (consumer.unblock() != Unblock.RECOVERED) {
                    break;
                }
            }
            if (consumer.unblock() != Unblock.NOT_BLOCKED || consumer.stats().size() != 0) {
                return -1;
            }
            return digits;
        } catch (RuntimeException e) {
            return THREW;
        }
    }

    /**
     * How long an actor waits for the other before it goes on without it: far
     * longer than the other takes (a few hundred nanoseconds compiled, a few
     * hundred microseconds interpreted) and than a young collection's pause
     * (every state allocates), so it runs out only when the other thread was
     * descheduled that long. A wait that runs out costs that sample its
     * alignment, never its correctness: the other actors' code is in
     * try/catch (a broken variant's damage may make the consumer throw), so
     * none of them can stop short of what the other waits for.
     */
    static final long WAIT_NANOS = 50_000_000;

    /** An outcome's value when the consumer threw: it read a header that no record has. */
    static final int THREW = -2;

    /**
     * A flag one actor raises just before its racing steps and the other
     * waits for, so that the two race in every sample, not only in those
     * where jcstress happened to start them together.
     */
    static final class Flag {
        private volatile boolean raised;

        void raise() {
            raised = true;
        }

        void await() {
            final long deadline = System.nanoTime() + WAIT_NANOS;
            while (!raised && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Waits until the tail is past {@code position}: the consumer's look then
     * lands just after the live producer's CAS, in the instructions before
     * its mark, in most samples rather than a few.
     */
    static void awaitTailPast(Ring ring, long position) {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (ring.tailOpaque() <= position && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    /** Where the MPSC intent scenarios start: one lap into their 256-byte rings. */
    static final long LAP = 256;

    /**
     * One record as large as the ring, committed and consumed: every position
     * after it is one lap on. (A slot's intent in a new ring reads as [0, 0);
     * starting past position 0 keeps the scenarios about the intents they
     * write, not about that one.)
     */
    static void lap(Producer producer, Consumer consumer) {
        Records.commit(producer.tryClaim((int) LAP - RecordDescriptor.HEADER_LENGTH), 8);
        if (Records.takeOne(consumer) != 8 || consumer.position() != LAP) {
            throw new IllegalStateException("the first lap did not go round");
        }
    }

    /**
     * MPSC, 256-byte ring, head and tail at T = 256 (one lap in). A dead
     * producer process wrote its intent to reserve [T, T + 64), lost the CAS
     * to the live producer and died before forgetting it: its stale intent
     * covers the live producer's reservation, with the same end. The live
     * producer (another process) claims 64 bytes at T (its intent, then the
     * CAS, then the mark) and commits record 1. The consumer raises its flag
     * (the producer starts then), waits for the tail to move (the live CAS),
     * unblock()s 16 times and then looks. Between the live CAS and the mark
     * the head reads 0 with the tail past it; the live intent, written before
     * the CAS, must keep the consumer from taking the bytes for the dead
     * producer's.
     *
     * <p>Results: (the unblocks: 1 if one recovered, else 2 if one reported a
     * stall, else 0; the consumer's look after them: 1 or 0; what the arbiter
     * drained, unblocking between drains, -1 if the ring was not left empty).
     */
    @JCStressTest
    @Description("MPSC, a dead producer's stale intent over the head: a live producer claims and commits 1 there while the consumer unblocks, then looks.")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "The unblocks ran before the live CAS (nothing reserved) or found the record; the arbiter got it.")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "The unblocks ran before the CAS or after the commit; the look got the record.")
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "An unblock found the live reservation (unmarked, or marked) and reported a stall; the arbiter got the record.")
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "An unblock reported a stall; the commit landed before the look, which got the record.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "The live reservation was recovered: the consumer took the dead producer's stale intent for its owner.")
    @Outcome(expect = FORBIDDEN, desc = "The record was lost, shown twice or torn, or the ring was not left empty.")
    @State
    public static class LiveOwnerNotTaken {
        /**
         * The live intent (size opaque, start release) precedes the volatile CAS on the tail; the
         * consumer's tail acquire that sees the CAS sees the intent, and its slot's live holder.
         */
        private final ByteBuffer memory = mpscRing(256);
        private final MpscProducer live = mpsc(memory, PRODUCER).newProducer();
        private final MpscQueue dead = mpsc(memory, DEAD_PRODUCER);
        private final MpscProducer deadProducer = dead.newProducer();
        private final Consumer consumer = mpsc(memory, CONSUMER).consumer();
        /** Raised by the consumer first thing; the producer claims once it is. */
        private final Flag looking = new Flag();

        public LiveOwnerNotTaken() {
            lap(live, consumer);
            // the dead producer's intent, left behind when it lost the CAS for this position and died
            dead.file.intend(SharedHandles.slot(deadProducer.claimant.id), LAP, 64);
        }

        @Actor
        public void claimAndCommit() {
            looking.await();
            commitIfClaimed(live.tryClaim(56), 1);
        }

        @Actor
        public void unblockThenLook(III_Result r) {
            looking.raise();
            awaitTailPast(live.ring, LAP);
            try {
                r.r1 = Recovery.unblockRepeatedly(consumer);
                r.r2 = Records.takeOne(consumer);
            } catch (RuntimeException e) {
                r.r2 = THREW;
            }
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = drainRecovering(consumer);
            retire(memory, live, deadProducer);
        }
    }

    /**
     * MPSC, 256-byte ring, head at T = 256 (one lap in). A dead producer
     * process reserved [T, T + 64) (its intent, then the CAS) and died before
     * marking it. A live producer (another process) claims [T + 64, T + 96)
     * behind it and commits record 1. The consumer raises its flag (the
     * producer starts then), waits for the tail to move (the live CAS),
     * unblock()s once (the dead reservation: recovered, as a skip of exactly
     * its 64 bytes, while the live one behind it may still be unmarked),
     * unblock()s 16 times more (at T + 64: the live reservation) and then
     * looks.
     *
     * <p>Results: (the first unblock; the later unblocks: 1 if one recovered,
     * else 2 if one reported a stall, else 0; the consumer's look: 1 or 0;
     * what the arbiter drained, unblocking between drains, -1 if the ring was
     * not left empty; the reservations recovered in all).
     */
    @JCStressTest
    @Description("MPSC, a dead producer's unmarked reservation at the head: a live producer claims and commits 1 behind it while the consumer recovers it, unblocks, then looks.")
    @Outcome(id = "1, 0, 0, 1, 1", expect = ACCEPTABLE, desc = "The dead reservation recovered; the later unblocks ran before the live CAS or after the commit; the arbiter got the record.")
    @Outcome(id = "1, 0, 1, 0, 1", expect = ACCEPTABLE, desc = "The dead reservation recovered; the look got the record.")
    @Outcome(id = "1, 2, 0, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "A later unblock found the live reservation and reported a stall; the arbiter got the record.")
    @Outcome(id = "1, 2, 1, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "A later unblock reported a stall; the commit landed before the look, which got the record.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "The live reservation behind the dead one was recovered too.")
    @Outcome(expect = FORBIDDEN, desc = "The dead reservation was not recovered at once, or twice, or as more than its bytes; the record was lost, shown twice or torn.")
    @State
    public static class DeadReservationAmongLive {
        /** As in LiveOwnerNotTaken; the dead intent [T, T + 64) ends where the live one starts. */
        private final ByteBuffer memory = mpscRing(256);
        private final MpscProducer live = mpsc(memory, PRODUCER).newProducer();
        private final MpscQueue dead = mpsc(memory, DEAD_PRODUCER);
        private final MpscProducer deadProducer = dead.newProducer();
        private final Consumer consumer = mpsc(memory, CONSUMER).consumer();
        /** Raised by the consumer first thing; the producer claims once it is. */
        private final Flag looking = new Flag();

        public DeadReservationAmongLive() {
            lap(live, consumer);
            // what the dead producer did before the mark it never wrote: its intent, then the CAS
            dead.file.intend(SharedHandles.slot(deadProducer.claimant.id), LAP, 64);
            if (!dead.ring.casTail(LAP, LAP + 64)) {
                throw new IllegalStateException("the tail is not where the lap left it");
            }
        }

        @Actor
        public void claimAndCommit() {
            looking.await();
            commitIfClaimed(live.tryClaim(24), 1);
        }

        @Actor
        public void recoverThenLook(IIIII_Result r) {
            looking.raise();
            awaitTailPast(live.ring, LAP + 64);
            try {
                r.r1 = Recovery.code(consumer.unblock());
                r.r2 = Recovery.unblockRepeatedly(consumer);
                r.r3 = Records.takeOne(consumer);
            } catch (RuntimeException e) {
                r.r3 = THREW;
            }
        }

        @Arbiter
        public void drain(IIIII_Result r) {
            r.r4 = drainRecovering(consumer);
            r.r5 = (int) consumer.stats().recovered();
            retire(memory, live, deadProducer);
        }
    }

    /**
     * MPSC, 256-byte ring, head at T = 256 (one lap in). A live producer
     * process has reserved [T, T + 64) (its intent, then the CAS: the first
     * half of tryClaim, done in the constructor) and is paused before its
     * mark, as a descheduled process is. The consumer unblock()s once while
     * it is paused (the head reads 0, the tail is past it, and the only
     * intent that covers it is the live one's: a stall), then looks; the
     * producer resumes once the consumer has looked (or after
     * {@link #WAIT_NANOS}): it marks the claim (ProducerHandle.open, the
     * rest of tryClaim) and commits record 1, racing the consumer's look.
     *
     * <p>Results: (the unblock; the consumer's look after it: 1 or 0; what
     * the arbiter drained, unblocking between drains, -1 if the ring was not
     * left empty).
     */
    @JCStressTest
    @Description("MPSC, a live producer paused between its CAS and its mark: the consumer unblocks, then looks, while the producer marks and commits 1.")
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "The unblock reported the live reservation as a stall; the look came before the commit; the arbiter got the record.")
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "The unblock reported a stall; the commit landed before the look, which got the record.")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "The producer stopped waiting (the consumer was descheduled for WAIT_NANOS) and committed before the unblock.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "The live reservation was recovered while its producer was paused: its intent's live holder was not looked at.")
    @Outcome(expect = FORBIDDEN, desc = "The unblock did not stall, or the record was lost, shown twice or torn, or the ring was not left empty.")
    @State
    public static class PausedLiveProducer {
        /** The live intent and the CAS precede the state's publication to the actors (by jcstress). */
        private final ByteBuffer memory = mpscRing(256);
        private final MpscQueue side = mpsc(memory, PRODUCER);
        private final MpscProducer live = side.newProducer();
        private final Consumer consumer = mpsc(memory, CONSUMER).consumer();
        /** Raised by the consumer once its unblock has returned; the producer resumes then. */
        private final Flag looked = new Flag();

        public PausedLiveProducer() {
            lap(live, consumer);
            // the first half of tryClaim: the intent, then the CAS; paused before the mark
            side.file.intend(SharedHandles.slot(live.claimant.id), LAP, 64);
            if (!side.ring.casTail(LAP, LAP + 64)) {
                throw new IllegalStateException("the tail is not where the lap left it");
            }
        }

        @Actor
        public void resumeAndCommit() {
            looked.await();
            live.begin();
            Records.commit(live.open(side.ring.offset(LAP), 56, 64), 1);
        }

        @Actor
        public void unblockThenLook(III_Result r) {
            try {
                r.r1 = Recovery.code(consumer.unblock());
            } catch (RuntimeException e) {
                r.r1 = THREW;
            } finally {
                looked.raise();
            }
            try {
                r.r2 = Records.takeOne(consumer);
            } catch (RuntimeException e) {
                r.r2 = THREW;
            }
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = drainRecovering(consumer);
            retire(memory, live);
        }
    }

    /**
     * Up to {@code attempts} claims: -1 if every one was refused; else the
     * claim is checked for zeroes (0 every payload byte read zero, 1 some
     * byte was stale) and committed as record {@code tag}.
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

    /** How many times ConsumerTakeover's producer tries: a few hundred nanoseconds, about the takeover's length. */
    static final int TAKEOVER_ATTEMPTS = 32;

    /**
     * MPSC, a 64-byte ring full with records 1 to 4 (16 bytes each). The
     * consumer process that read 1 and 2 died releasing them: it announced
     * the release of [0, 32), zeroed record 1, and died before zeroing record
     * 2 and storing head. A new consumer process takes the role (which
     * completes the release: zero [0, 32), then the head store) and drains;
     * a producer tries to claim 32 bytes for record 5, which fit only once
     * the head has moved, over records 1 and 2.
     *
     * <p>Results: (the producer: -1 refused on every attempt, 0 claimed and
     * every payload byte read zero, 1 claimed with stale bytes; what the new
     * consumer drained; what the arbiter drained after the actors, -1 if the
     * ring was not left empty).
     */
    @JCStressTest
    @Description("MPSC, full ring, a consumer process died mid-release (announced, half zeroed): a new consumer takes over and drains while a producer needs the released bytes.")
    @Outcome(id = "-1, 34, 0", expect = ACCEPTABLE, desc = "The producer gave up before the takeover moved the head; 3 and 4 arrived, once.")
    @Outcome(id = "0, 34, 5", expect = ACCEPTABLE, desc = "The takeover completed the release; the producer got the bytes, zero; 5 came after the drain.")
    @Outcome(id = "0, 345, 0", expect = ACCEPTABLE_INTERESTING, desc = "The new consumer drained 5 too, written into the bytes the takeover had released.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "The producer found stale bytes: head moved before the release was zeroed.")
    @Outcome(expect = FORBIDDEN, desc = "The new consumer stopped at the half-zeroed release (records stuck: the release not completed), read 1 or 2 again, or lost or tore a record.")
    @State
    public static class ConsumerTakeover {
        /**
         * takeConsumer's CAS on the role, then completeRelease: the announcement acquired, the rest
         * zeroed, then the head release store, which the producer's head acquire pairs with.
         */
        private final ByteBuffer memory = mpscRing(64);
        private final MpscProducer producer = mpsc(memory, PRODUCER).newProducer();
        private final MpscQueue next = mpsc(memory, NEW_CONSUMER);

        public ConsumerTakeover() {
            for (int tag = 1; tag <= 4; tag++) {
                Records.commit(producer.tryClaim(8), tag);
            }
            final MpscQueue dying = mpsc(memory, DEAD_CONSUMER);
            dying.consumer(); // takes the role, then dies mid-release: what Consumer.release(from, to) did so far
            dying.ring.announceRelease(32);
            dying.ring.zero(0, 16);
        }

        @Actor
        public void produce(III_Result r) {
            r.r1 = claimAndCheck(producer, 24, 5, TAKEOVER_ATTEMPTS);
        }

        @Actor
        public void takeOverAndDrain(III_Result r) {
            r.r2 = Records.drain(next.consumer());
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = Recovery.drainSettled(next.consumer());
            retire(memory, producer);
        }
    }

    /**
     * SpscTakeoverDuringRelease's dead claim: 60 KiB, which the consumer zeroes
     * in 15 bulk copies (a microsecond or two), about as long as the new
     * producer takes to join before it looks for the tail.
     */
    static final int DEAD_CLAIM_LENGTH = 60 * 1024 - 8;
    /** Where it starts: after records 1 and 2. */
    static final long DEAD_CLAIM_AT = 32;
    /** Where a producer taking over must resume: right after it. */
    static final long RESUME_AT = DEAD_CLAIM_AT + DEAD_CLAIM_LENGTH + 8;

    /**
     * SPSC, 64 KiB ring. The producer process committed records 1 and 2,
     * claimed 60 KiB (marked in progress) and died before it mirrored its
     * tail past that claim. The consumer drains 1 and 2 (each announced,
     * zeroed, head stored), unblock()s (the dead claim becomes a skip), and
     * drains again: it steps over the skip (announced, 60 KiB zeroed, head
     * stored), then takes 3 if it is there. A new producer process takes the
     * role once the consumer is about to step over the skip (findTail: from
     * the mirror, or the head if past it, step over headers to a zero; a zero
     * before the announced release end is the release's, so go on from
     * there) and commits record 3.
     *
     * <p>Results: (what the consumer drained in both drains; 1 if the new
     * producer resumed right after the dead claim, 0 if elsewhere; what the
     * arbiter drained, unblocking between drains, -1 if the ring was not left
     * empty).
     */
    @JCStressTest
    @Description("SPSC, a dead producer's claim in progress past its mirrored tail: the consumer drains, recovers it and steps over it while a new producer process takes over and commits 3.")
    @Outcome(id = "12, 1, 3", expect = ACCEPTABLE, desc = "The new producer resumed after the dead claim; 3 came after the consumer's drains.")
    @Outcome(id = "123, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "The consumer got 3 too, right after releasing the dead claim.")
    @Outcome(id = ".*, 0, .*", expect = FORBIDDEN, desc = "The new producer took a zero of the running release for the tail: it resumed inside the released bytes, behind the head.")
    @Outcome(expect = FORBIDDEN, desc = "A record was lost (3 written behind the head), shown twice or torn, or the ring was not left empty.")
    @State
    public static class SpscTakeoverDuringRelease {
        /**
         * The consumer's announceRelease (opaque store, then a store-store fence) precedes its
         * zeroing; findTail's releasingAcquire, after it read a zero, sees the announcement.
         */
        private final ByteBuffer memory = spscRing(64 * 1024);
        private final Consumer consumer = spsc(memory, CONSUMER).consumer();
        private final SpscQueue next = spsc(memory, NEW_PRODUCER);
        private final SpscQueue dying = spsc(memory, DEAD_PRODUCER);
        private final SpscProducer deadProducer = dying.producer();
        /**
         * Raised by the consumer just before it steps over the dead claim; the new producer takes
         * over once it is: its join takes about as long as the consumer's first zeroing stores, so
         * it looks for the tail while the 60 KiB are being zeroed.
         */
        private final Flag releasing = new Flag();

        public SpscTakeoverDuringRelease() {
            Records.commit(deadProducer.tryClaim(8), 1);
            Records.commit(deadProducer.tryClaim(8), 2);
            deadProducer.tryClaim(DEAD_CLAIM_LENGTH); // marked, never ended
            dying.ring.tailMirrorOpaque(DEAD_CLAIM_AT); // died between the mark and the mirror
        }

        @Actor
        public void drainRecoverDrain(III_Result r) {
            try {
                final int first = Records.drain(consumer);
                consumer.unblock();
                releasing.raise();
                r.r1 = append(first, Records.drain(consumer));
            } catch (RuntimeException e) {
                r.r1 = THREW;
            } finally {
                releasing.raise();
            }
        }

        @Actor
        public void takeOverAndCommit(III_Result r) {
            releasing.await();
            final SpscProducer producer = next.producer();
            commitIfClaimed(producer.tryClaim(8), 3);
            r.r2 = producer.claimant.tail() == RESUME_AT + 16 ? 1 : 0;
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = drainRecovering(consumer);
            retire(memory, deadProducer, next.producer());
        }
    }

    /**
     * MPSC, 256-byte ring, one lap in. A handle of the live producer process
     * claimed record 1 at T = 256 and was collected with the claim open (it
     * left: its slot is free, its claim marked in progress). The slot then
     * changed hands until its generation came round (as after 2^22 holders):
     * the next holder, in the same process, gets the dead claim's id, and a
     * live thread claims and commits record 2 on it while the consumer
     * unblock()s. The id, the slot's holder and its process are all live,
     * but the claim is not inside the holder's intent (its first claim
     * writes a new one, and taking the slot forgot the old one), so the
     * consumer must recover it, and never the live claim.
     *
     * <p>Results: (the unblocks: 1 if one recovered, else 2 if one reported a
     * stall, else 0; claims recovered by the consumer; what the arbiter
     * drained, unblocking between drains, -1 if the ring was not left empty).
     */
    @JCStressTest
    @Description("MPSC, a collected handle's claim whose id came round to a live holder of its slot: the holder commits 2 while the consumer unblocks.")
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "The dead claim was recovered, the live one left alone; record 2 arrived.")
    @Outcome(id = "2, 0, -1", expect = FORBIDDEN, desc = "The dead claim was taken for the live holder's: reported as a stall, and the ring stays blocked.")
    @Outcome(expect = FORBIDDEN, desc = "The live claim was recovered, records were lost, shown twice or torn, or the ring was not left empty.")
    @State
    public static class IdCameRound {
        private final ByteBuffer memory = mpscRing(256);
        private final MpscQueue side = mpsc(memory, PRODUCER);
        private final Consumer consumer = mpsc(memory, CONSUMER).consumer();
        private final MpscProducer successor;

        public IdCameRound() {
            final MpscProducer collected = side.newProducer();
            lap(collected, consumer);
            Records.fill(collected.tryClaim(56), 1);
            collected.leaveAsIfCollected();
            final int slot = SharedHandles.slot(collected.claimant.id);
            // as if the slot had changed hands 2^22 - 1 times since: its next holder gets the old generation
            side.file.generationOpaque(slot, ((collected.claimant.id >>> RingFile.SLOT_BITS) - 1) & RingFile.GENERATION_MASK);
            successor = side.newProducer();
            if (successor.claimant.id != collected.claimant.id) {
                throw new IllegalStateException("the id did not come round: " + successor.claimant.id);
            }
        }

        @Actor
        public void claimAndCommit() {
            commitIfClaimed(successor.tryClaim(56), 2);
        }

        @Actor
        public void unblock(III_Result r) {
            r.r1 = Recovery.unblockRepeatedly(consumer);
        }

        @Arbiter
        public void drain(III_Result r) {
            r.r3 = drainRecovering(consumer);
            r.r2 = (int) consumer.stats().recovered();
            retire(memory, successor);
        }
    }
}
