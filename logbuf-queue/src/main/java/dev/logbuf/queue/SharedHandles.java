package dev.logbuf.queue;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The handles of a ring shared between processes: producer slots and the
 * consumer's role live in the ring's file header ({@link RingFile}), so every
 * process sees who holds what, and a holder that is gone is known by its
 * process id.
 *
 * <p>What changes from one process: a claimant id is a slot and that slot's
 * generation; a claim's owner is looked up in the slot (this process's own
 * handles still by their thread); the consumer's and the producers' "the other
 * side is gone" are snapshots of the roles held by live processes, not final
 * (a process may attach later); and a reservation that a producer process made
 * and died before marking is found through the intent it wrote before its CAS.
 */
final class SharedHandles extends Handles {

    /*
     * Who is alive. A role word names a process id and a fingerprint of its
     * start time; a process is alive when the OS has a live process of that id
     * whose start matches. No one is declared dead on a timeout: only the OS's
     * word that the process is gone frees its slot or its claims.
     *
     * A reservation not yet marked. An MPSC producer writes its intent (start,
     * size) into its own slot, then CASes the tail; it marks the claim just
     * after. If its process dies between the CAS and the mark, the consumer
     * finds zeroes at a position the tail is past. The owner of that position
     * is the producer whose intent covers it (an unmarked reservation's owner
     * has not moved on: it marks before it intends again). The consumer
     * recovers it only when no live producer's intent covers the position,
     * and the dead ones that do agree on where the reservation ends (two
     * producers that lost and won the same CAS and both died there cannot be
     * told apart: that is reported as a stall, never guessed).
     */

    /** How a process is told alive or gone; the OS's answer, or a test's. */
    interface Liveness {
        /** This process's id. */
        long pid();

        /** This process's start fingerprint (see {@link RingFile}); 0 when the OS does not say. */
        int fingerprint();

        /** Whether process {@code pid}, started at {@code fingerprint} (0: unknown), is alive. */
        boolean alive(long pid, int fingerprint);

        /** The operating system's answer, through {@link ProcessHandle}. */
        Liveness OS = new Liveness() {
            private final long pid = ProcessHandle.current().pid();
            private final int fingerprint = fingerprintOf(ProcessHandle.current());

            @Override
            public long pid() {
                return pid;
            }

            @Override
            public int fingerprint() {
                return fingerprint;
            }

            @Override
            public boolean alive(long pid, int fingerprint) {
                final Optional<ProcessHandle> process = ProcessHandle.of(pid);
                if (process.isEmpty() || !process.get().isAlive()) {
                    return false;
                }
                final int found = fingerprintOf(process.get());
                return fingerprint == 0 || found == 0 || Math.abs(found - fingerprint) <= START_TOLERANCE;
            }
        };
    }

    /**
     * How far apart two processes' views of one process's start may be, in
     * seconds. On Linux a start instant is the boot time plus the start's
     * clock ticks, and each JVM reads the boot time when it starts: a step of
     * the system clock between two JVMs' starts shifts what they compute.
     * Taking a live process for dead would free bytes it may still write, so
     * the match is loose: a process id reused within the hour counts as the
     * old process still alive (a stall, never a loss).
     */
    static final int START_TOLERANCE = 3600;

    /** The process's start time in seconds since the epoch (31 bits), never 0; 0 when unknown. */
    static int fingerprintOf(ProcessHandle process) {
        return process.info().startInstant()
                .map(start -> Math.max(1, (int) (start.getEpochSecond() & Integer.MAX_VALUE)))
                .orElse(0);
    }

    /** What {@link #owner} says of a live owner that is not one of this process's threads. */
    static final Object ELSEWHERE = "a live process";

    private static final int SLOT_MASK = (1 << RingFile.SLOT_BITS) - 1;

    /**
     * How long the consumer's {@code isDisconnected()} trusts the operating
     * system's word that a producer process is alive: 10 ms. Within it, a
     * call that finds the same process still holding the same slot answers
     * "connected" with one load instead of asking the OS about up to 256
     * slots. Only that direction is ever late: a producer process that dies
     * holding its slot is reported gone up to this long after; "disconnected"
     * always comes from a look at every slot, and a slot freed by a closing
     * producer is seen at once.
     */
    static final long ALIVE_FOR_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** The clock of that cache; tests set their own before the first call. */
    LongSupplier clock = System::nanoTime;

    /**
     * The last producer slot found held by a live process (its role word),
     * and when; null before the first. Volatile: isDisconnected() may be
     * called from any thread, and each replaces the whole record.
     */
    private volatile AliveProducer lastAlive;

    final RingFile file;
    private final Liveness liveness;
    /** The role word of this process. */
    private final long self;

    SharedHandles(RingFile file, Liveness liveness) {
        this.file = file;
        this.liveness = liveness;
        this.self = RingFile.self(liveness);
    }

    /** The slot a claimant id names. */
    static int slot(int claimantId) {
        return claimantId & SLOT_MASK;
    }

    /** Whether a role word is held by a live process (this one included). */
    private boolean heldByLive(long word) {
        if (!RingFile.isHeld(word)) {
            return false;
        }
        final long pid = RingFile.pid(word);
        return pid == liveness.pid() || liveness.alive(pid, RingFile.fingerprint(word));
    }

    /**
     * Takes a producer slot: a free one, else one whose process is gone and
     * whose last intent is behind the head (a dead producer's unmarked
     * reservation must stay findable until the consumer has recovered it).
     */
    @Override
    Claimant join() {
        final long head = file.ring.headAcquire();
        long holder = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int slot = 0; slot < file.slots; slot++) {
                final long state = file.stateAcquire(slot);
                if (RingFile.isHeld(state)) {
                    holder = state;
                    if (pass == 0 || heldByLive(state) || !file.intentBefore(slot, head)) {
                        continue;
                    }
                }
                // volatile CAS: of two processes taking the same slot, one wins
                if (file.casState(slot, state, self)) {
                    // the slot's last intent is an earlier holder's, and owner() must not take a claim inside
                    // it for this holder's: that holder marked every claim it made (it left after ending or
                    // marking it; a dead one's intent is behind the head, or this slot was not taken). A
                    // consumer that still reads the old intent reports a stall, until it reads this
                    file.forgetIntent(slot);
                    final int generation = (file.generation(slot) + 1) & RingFile.GENERATION_MASK;
                    // before this handle's first mark, whose release store publishes it
                    file.generationOpaque(slot, generation);
                    final Claimant claimant = new Claimant(generation << RingFile.SLOT_BITS | slot);
                    claimants.put(claimant.id, claimant);
                    return claimant;
                }
                slot--; // lost the slot to another taker: look at it again
            }
        }
        if (file.kind == RingFile.KIND_SPSC) {
            throw new IllegalStateException("the producer of this SPSC ring is held by live process "
                    + RingFile.pid(holder) + (RingFile.pid(holder) == liveness.pid() ? " (this one)" : ""));
        }
        throw new IllegalStateException("all " + file.slots + " producer slots of this ring are held by live "
                + "processes (or keep a dead producer's reservation the consumer has not recovered yet)");
    }

    /** A handle leaves: its claim has ended (or it was collected); its slot is free for any process. */
    @Override
    void leave(Claimant claimant) {
        forget(claimant);
        // release: the claim's end is visible to whoever sees the slot free
        file.freeRelease(slot(claimant.id));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A claimant id is a slot and its generation, which wraps after 2^22
     * holders of the slot; a claim of an earlier holder may still be in the
     * ring when the generation comes round. An MPSC holder's claim in
     * progress is inside its slot's last intent (it intends again only after
     * the claim has ended), so a claim outside it is an earlier holder's.
     */
    @Override
    Object owner(int id, long position) {
        final int slot = slot(id);
        // acquire: pairs with the taker's CAS and the leaver's release
        final long state = file.stateAcquire(slot);
        if (!RingFile.isHeld(state) || file.generation(slot) != id >>> RingFile.SLOT_BITS) {
            return null; // the handle left (its claim was ended or it was collected), or its process died
        }
        if (file.kind == RingFile.KIND_MPSC) {
            // acquire: pairs with intend(); the holder wrote its intent before the CAS and the mark the
            // consumer acquired, so this reads that intent or a later one, written after the claim ended
            final long start = file.intentStartAcquire(slot);
            if (start == RingFile.NO_INTENT || position < start || position >= start + file.intentSize(slot)) {
                return null; // not the holder's claim in progress: an earlier holder's, or ended (the CAS says)
            }
        }
        if (RingFile.pid(state) == liveness.pid()) {
            // this process: its own handle by its thread; another attachment's is taken as live
            return claimants.containsKey(id) ? super.owner(id, position) : ELSEWHERE;
        }
        return liveness.alive(RingFile.pid(state), RingFile.fingerprint(state)) ? ELSEWHERE : null;
    }

    @Override
    long deadReservationEnd(Ring ring, long position) {
        if (file.kind != RingFile.KIND_MPSC) {
            return -1; // an SPSC producer marks at its tail: zeroes there are nothing reserved
        }
        // acquire: every intent written before a CAS that moved the tail this far is visible
        if (ring.tailAcquire() <= position) {
            return -1;
        }
        long ownerStart = Long.MIN_VALUE;
        long ownerEnd = -1;
        boolean ambiguous = false;
        for (int slot = 0; slot < file.slots; slot++) {
            final long start = file.intentStartAcquire(slot);
            if (start == RingFile.NO_INTENT || start > position) {
                continue;
            }
            final long end = start + file.intentSize(slot);
            if (end <= position) {
                continue;
            }
            if (heldByLive(file.stateAcquire(slot))) {
                return -1; // a live producer may own it, and mark it any moment
            }
            if (start > ownerStart) {
                ownerStart = start;
                ownerEnd = end;
                ambiguous = false;
            } else if (start == ownerStart && end != ownerEnd) {
                ambiguous = true;
            }
        }
        if (ownerEnd < 0 || ambiguous) {
            return -1;
        }
        // a recovered span stops at the end of the ring, as every skip does; the rest is the next look's
        return Math.min(ownerEnd, position + ring.capacity - ring.offset(position));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Asks the OS about another process at most once per
     * {@link #ALIVE_FOR_NANOS} while one proves the ring connected: see there
     * for which answer may be late, and by how much.
     */
    @Override
    boolean producersGone() {
        if (!claimants.isEmpty()) {
            return false;
        }
        final long now = clock.getAsLong();
        final AliveProducer alive = lastAlive;
        // acquire, as the look below: pairs with the taker's CAS and the leaver's release. The same word
        // means the same process (pid and start) still holds the slot; it was alive less than the interval ago
        if (alive != null && now - alive.seenAt < ALIVE_FOR_NANOS && file.stateAcquire(alive.slot) == alive.word) {
            return false;
        }
        for (int slot = 0; slot < file.slots; slot++) {
            final long word = file.stateAcquire(slot);
            if (heldByLive(word)) {
                lastAlive = new AliveProducer(slot, word, now);
                return false;
            }
        }
        return true;
    }

    /** A producer slot found held by a live process: the slot, its role word, and when (the cache's clock). */
    private static final class AliveProducer {
        final int slot;
        final long word;
        final long seenAt;

        AliveProducer(int slot, long word, long seenAt) {
            this.slot = slot;
            this.word = word;
            this.seenAt = seenAt;
        }
    }

    @Override
    int openProducers() {
        int open = 0;
        for (int slot = 0; slot < file.slots; slot++) {
            if (heldByLive(file.stateAcquire(slot))) {
                open++;
            }
        }
        return open;
    }

    @Override
    long tail(Ring ring) {
        // MPSC: the shared tail; SPSC: the producer's mirror of its tail in the ring
        return ring.tailOpaque();
    }

    /**
     * Takes the consumer role for this process, or says who holds it.
     *
     * @throws IllegalStateException if a live process (this one included) holds it
     */
    void takeConsumer() {
        for (;;) {
            final long word = file.consumerAcquire();
            if (RingFile.isHeld(word)) {
                final long pid = RingFile.pid(word);
                if (pid == liveness.pid()) {
                    throw new IllegalStateException("the consumer of this ring is already taken in this process (pid "
                            + pid + "): a ring has one consumer");
                }
                if (liveness.alive(pid, RingFile.fingerprint(word))) {
                    throw new IllegalStateException("the consumer of this ring is held by live process " + pid);
                }
            }
            // volatile CAS: of two processes taking the role, one wins
            if (file.casConsumer(word, self)) {
                completeRelease(file.ring);
                return;
            }
        }
    }

    /**
     * A consumer that died while zeroing bytes it had announced leaves them
     * half zeroed, with the head before them; finish its release.
     */
    private static void completeRelease(Ring ring) {
        final long head = ring.headAcquire();
        // acquire: pairs with the announcement, written before any of the zeroing
        final long releasing = ring.releasingAcquire();
        if (releasing > head) {
            ring.zeroRange(head, releasing);
            // release: pairs with the producers' headAcquire, as every head store does
            ring.headRelease(releasing);
        }
    }

    @Override
    void closeConsumer() {
        super.closeConsumer();
        // volatile CAS: gives the role back only if this process still holds it
        file.casConsumer(self, 0L);
    }

    @Override
    boolean consumerClosed() {
        // acquire: pairs with the CAS that took or gave back the role
        return !heldByLive(file.consumerAcquire());
    }
}
