package dev.logbuf.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handles of one queue: how many producer handles are open, whether the
 * consumer is closed, and the {@link Claimant} of every open producer handle
 * by id, which is how the consumer finds the owner of an in-progress header.
 *
 * <p>Nothing here is touched on the hot path: handles register when they are
 * made and leave when they are closed or collected; the consumer looks a
 * claimant up only when a claim has held the head.
 *
 * <p>This class keeps the handles of a ring in one process; {@link SharedHandles}
 * overrides what changes when the ring is shared between processes (slots and
 * roles in the ring's file header).
 */
class Handles {

    /*
     * Disconnect: a producer handle leaves (close, or its cleaning action once
     * it was collected) with a volatile read-modify-write of `producers`, after
     * it has ended its claim. A consumer that reads the disconnected state
     * (acquire) therefore sees every header those producers wrote: the raw
     * Consumer.isDisconnected() says so at once, and its caller drains (reads
     * until a read finds nothing); a channel's receiver looks at the ring once
     * more before it reports the disconnect. The count goes
     * 0 -> DISCONNECTED with a CAS, so a handle made in that instant (a
     * newProducer() racing the last close) either keeps the queue connected
     * or is refused: disconnection is final, as in the original.
     */

    /** One daemon thread for the whole module: runs the leave action of collected handles. */
    static final Cleaner CLEANER = Cleaner.create();

    private static final int DISCONNECTED = -1;

    private static final VarHandle PRODUCERS;
    private static final VarHandle CONSUMER_CLOSED;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCERS = lookup.findVarHandle(Handles.class, "producers", int.class);
            CONSUMER_CLOSED = lookup.findVarHandle(Handles.class, "consumerClosed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through PRODUCERS
    private int producers;
    @SuppressWarnings("unused") // accessed through CONSUMER_CLOSED
    private boolean consumerClosed;

    /** This process's open producer handles of the ring, by claimant id. */
    final ConcurrentHashMap<Integer, Claimant> claimants = new ConcurrentHashMap<>();

    /** SPSC: the one producer's claimant, whose mirrored tail is the queue's tail; null for MPSC. */
    private Claimant spscTail;

    /** The next id to try; guarded by this. */
    private int nextId;
    /** Counters of handles that have left; guarded by this. */
    private long leftCommitted;
    private long leftCommittedBytes;
    private long leftFull;
    private long leftRefused;
    private long leftAborted;

    /**
     * A new producer handle joins: counts it and gives it a claimant with a
     * free id, and the tail it starts from.
     *
     * <p>An id is free when no open handle has it; a handle that left may
     * still have a claim in progress with that id in the ring (a collected
     * handle's, not yet recovered), and the ids come round after 2^30 handles.
     * The claimant's claim position tells the two apart: the departed
     * handle's claim is never where the new handle's claim in progress is
     * (see {@link #owner}).
     *
     * @throws IllegalStateException if every earlier handle has closed (the
     *         queue has disconnected) or 2^30 handles are open
     */
    Claimant join() {
        for (;;) {
            final int open = (int) PRODUCERS.getVolatile(this);
            if (open == DISCONNECTED) {
                throw new IllegalStateException("every producer handle of this queue has closed: it is disconnected");
            }
            // volatile CAS: pairs with leave()'s CAS to DISCONNECTED; exactly one of them wins
            if (PRODUCERS.compareAndSet(this, open, open + 1)) {
                break;
            }
        }
        synchronized (this) {
            for (int tried = 0; tried <= RecordDescriptor.CLAIMANT_MASK; tried++) {
                final int id = nextId;
                nextId = (id + 1) & RecordDescriptor.CLAIMANT_MASK;
                final Claimant claimant = new Claimant(id);
                if (claimants.putIfAbsent(id, claimant) == null) {
                    return claimant;
                }
            }
        }
        leaveCount();
        throw new IllegalStateException("2^30 producer handles are open on this queue");
    }

    /**
     * Tests: the id the next {@link #join} tries first, as if as many handles
     * had been made since as it takes the counter to come round to it.
     */
    final synchronized void startIdsAt(int id) {
        nextId = id & RecordDescriptor.CLAIMANT_MASK;
    }

    /**
     * A producer handle leaves, after ending its claim (closed), or because
     * it was collected (its claim, if any, is then recovered by the consumer:
     * the claimant is no longer found). Its counters join the totals.
     */
    void leave(Claimant claimant) {
        forget(claimant);
        leaveCount();
    }

    /** Folds a leaving handle's counters into the totals and drops it from the registry. */
    final synchronized void forget(Claimant claimant) {
        leftCommitted += claimant.committed();
        leftCommittedBytes += claimant.committedBytes();
        leftFull += claimant.full();
        leftRefused += claimant.refused();
        leftAborted += claimant.aborted();
        claimants.remove(claimant.id, claimant); // never a later handle's that got the id again
    }

    private void leaveCount() {
        // volatile RMW: every header this handle wrote before leaving is visible to whoever reads the count
        if ((int) PRODUCERS.getAndAdd(this, -1) == 1) {
            // the last one: disconnected, unless a new handle joined in the meantime
            PRODUCERS.compareAndSet(this, 0, DISCONNECTED);
        }
    }

    /** Consumer: whether every producer handle has left; pairs with the RMWs in {@link #leave}. */
    boolean producersGone() {
        return (int) PRODUCERS.getAcquire(this) == DISCONNECTED;
    }

    /** The number of producer handles open now (a snapshot). */
    int openProducers() {
        return Math.max(0, (int) PRODUCERS.getVolatile(this));
    }

    /**
     * Consumer, about the claim in progress of claimant {@code id} at
     * {@code position}: its owner if it may still end the claim — a live
     * {@link Thread}, or a {@link ProcessHandle} when the owner is another
     * live process — or null when it never can (the handle left, or its
     * thread terminated, or the open handle with that id joined after the
     * claim was made: the id came round again and the claim is a departed
     * handle's; or the handle has claimed elsewhere since: the claim was
     * ended, or orphaned by two threads using the handle at once).
     */
    Object owner(int id, long position) {
        final Claimant claimant = claimants.get(id);
        // acquire: pairs with the release in claimAt(); the mark the consumer acquired was written
        // after this claim's position, so a different one is a later claim of the same handle
        if (claimant == null || claimant.claimAtAcquire() != position) {
            // the handle claimed again since: it ended this claim first (the recovery CAS fails on
            // that end, which the acquire made visible), or a second thread using the handle at the
            // same time opened the flyweight over it, and nothing will ever end it. Or the claim is
            // not this handle's at all: an earlier holder of the id (ids come round) made it before
            // this handle joined, and this handle's claims are all at later positions
            return null;
        }
        // the owner read here is this claim's: its write precedes the mark the consumer acquired
        final Thread owner = claimant.owner;
        return owner != null && owner.isAlive() ? owner : null;
    }

    /**
     * Consumer, at a position that reads as unpublished while the tail is past
     * it: where the reservation there ends, when it is known to be a dead
     * producer's that will never be marked; -1 when it is (or may be) a live
     * producer's about to mark it. In one process a producer cannot die
     * between its CAS and its mark but by an asynchronous error: never decided.
     */
    long deadReservationEnd(Ring ring, long position) {
        return -1;
    }

    /** SPSC: the tail is the one producer's, mirrored in its claimant. Called once, before the queue is shared. */
    void tailFrom(Claimant producer) {
        this.spscTail = producer;
    }

    /** The producers' position (a snapshot): the MPSC tail in the ring, or the SPSC producer's mirror. */
    long tail(Ring ring) {
        final Claimant spsc = spscTail;
        return spsc == null ? ring.tailOpaque() : spsc.tail();
    }

    /** Consumer: closes it; pairs with {@link #consumerClosed}. */
    void closeConsumer() {
        CONSUMER_CLOSED.setRelease(this, true);
    }

    /** Producer: whether the consumer has closed; pairs with {@link #closeConsumer}. */
    boolean consumerClosed() {
        return (boolean) CONSUMER_CLOSED.getAcquire(this);
    }

    /**
     * Sums of the producer-side counters of every handle, open or gone:
     * committed, bytes, full, refused, aborted.
     */
    synchronized long[] producerTotals() {
        final long[] totals = {leftCommitted, leftCommittedBytes, leftFull, leftRefused, leftAborted};
        for (Claimant claimant : claimants.values()) {
            totals[0] += claimant.committed();
            totals[1] += claimant.committedBytes();
            totals[2] += claimant.full();
            totals[3] += claimant.refused();
            totals[4] += claimant.aborted();
        }
        return totals;
    }

    /** The cleaning action of a producer handle: leaves once, on close or when the handle was collected. */
    static final class Leave implements Runnable {
        private final Handles handles;
        private final Claimant claimant;

        Leave(Handles handles, Claimant claimant) {
            this.handles = handles;
            this.claimant = claimant;
        }

        @Override
        public void run() {
            handles.leave(claimant);
        }
    }
}
