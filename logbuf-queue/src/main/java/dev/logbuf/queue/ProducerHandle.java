package dev.logbuf.queue;

import dev.logbuf.queue.internal.Hooks;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * What {@link SpscProducer} and {@link MpscProducer} share: the claim
 * flyweight, the handle's {@link Claimant}, and its lifecycle (close, or leave
 * when collected). The two differ only in how they reserve space.
 */
abstract class ProducerHandle {

    static {
        // before any handle exists: the channel attaches its wake-up to handles it was given
        Hooks.install((producer, hook) -> ((ProducerHandle) producer).claim.hook(hook));
    }

    final Ring ring;
    final Handles handles;
    /** The ring's file header when it is shared between processes, else null. */
    final RingFile file;
    final Claimant claimant;
    final WriteClaim claim;
    private final Cleaner.Cleanable leaving;
    /** Whether this handle was closed; touched by the thread using it. */
    private boolean closed;
    /** Whether the attempt under way is a tryClaimAgain; touched by the thread using it. */
    private boolean retrying;

    ProducerHandle(Ring ring, Handles handles) {
        this.ring = ring;
        this.handles = handles;
        this.file = handles instanceof SharedHandles ? ((SharedHandles) handles).file : null;
        this.claimant = handles.join();
        this.claim = new WriteClaim(ring, this, claimant);
        // the action holds the claimant and the registry, never this handle, so it can be collected
        this.leaving = Handles.CLEANER.register(this, new Handles.Leave(handles, claimant));
    }

    /**
     * Checks that a claim may start, and records the claiming thread as the
     * owner before the claim is marked (the mark's release store publishes it).
     */
    final WriteClaim begin() {
        checkNotClosed();
        final WriteClaim claim = this.claim;
        claim.checkIdle();
        final Thread current = Thread.currentThread();
        if (claimant.owner != current) {
            claimant.owner = current;
        }
        return claim;
    }

    /** @throws IllegalStateException if this handle is closed */
    final void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("this producer is closed");
        }
    }

    /**
     * Marks the record reserved at {@code position} in progress and opens the
     * claim on it; or, when another thread began a claim on this handle since
     * this one did (two threads using one handle at once), withdraws the
     * reservation and throws, leaving the claim flyweight to the other thread.
     */
    final WriteClaim open(long position, int length, int recordSize) {
        final Claimant claimant = this.claimant;
        final int offset = ring.offset(position);
        // release (in claimAt): a consumer that reads this position, or a later one, sees how the
        // handle ended its earlier claims; the mark's release below publishes it with the mark
        claimant.claimAt(position);
        final long mark = RecordDescriptor.inProgress(claimant.id, recordSize);
        // release: pairs with the consumer's headerAcquire; a consumer that sees the mark sees its owner
        ring.publishRelease(offset, mark);
        final Thread current = Thread.currentThread();
        // opaque: a load from memory, never this thread's own store in begin() reused
        final Thread owner = claimant.ownerOpaque();
        if (owner != current) {
            withdraw(offset, mark, recordSize, owner, current);
        }
        final WriteClaim opened;
        try {
            opened = claim.open(offset, length);
        } catch (IllegalArgumentException e) {
            // the view's limit moved between this thread's two stores to it: another thread is opening
            // the flyweight at the same time (one thread alone cannot fail here). Cold: a handler costs
            // the fast path nothing
            withdraw(offset, mark, recordSize, claimant.owner, current);
            throw e; // not reached: withdraw throws
        }
        // this handle must not be found unreachable (and leave) while its mark is being written
        Reference.reachabilityFence(this);
        return opened;
    }

    /**
     * Two threads use this handle at once: {@code other} began a claim after
     * {@code current} did, and before {@code current} marked its own, or the
     * two opened the flyweight at the same time ({@code other} is then the
     * handle's latest claimer, which may be {@code current}). Ends
     * the reservation {@code current} made, as a skip, and throws; the
     * flyweight is left to {@code other}.
     */
    private void withdraw(int offset, long mark, int recordSize, Thread other, Thread current) {
        // volatile CAS: the consumer may recover the mark first (the claim position has moved on to
        // the other thread's), and exactly one of the two takes effect; pairs with Consumer.unblock
        if (ring.casHeader(offset, mark, RecordDescriptor.skip(recordSize))) {
            claimant.countAbort();
        }
        final String both = other == current ? current + " and another thread" : current + " and " + other;
        throw new IllegalStateException("two threads used this producer at once: " + both
                + " claimed at the same time, and " + current + "'s claim was withdrawn (nothing of it is in the"
                + " ring): " + ONE_THREAD_AT_A_TIME);
    }

    /** How to use a handle from several threads; the end of every message about two threads on one handle. */
    static final String ONE_THREAD_AT_A_TIME = "a producer handle is used by one thread at a time: give each"
            + " thread its own (MpscProducer.duplicate(), MpscSender.duplicate()), or hand the handle over"
            + " between claims";

    /** The ring had no room: counted (as a retry during tryClaimAgain), and nothing claimed. */
    final WriteClaim refused() {
        claimant.countRefused(retrying);
        return null;
    }

    /** The claim both variants make; {@link Producer#tryClaim(int)}. */
    abstract WriteClaim tryClaim(int length);

    /**
     * Claims {@code length} payload bytes again, continuing a wait that a
     * {@link Producer#tryClaim(int)} which returned {@code null} began; see
     * {@link Producer#tryClaimAgain(int)}.
     *
     * @param length the payload length, from 1 to {@link #maxRecordLength()}
     * @return this handle's claim flyweight, open for writing; or {@code null}
     *         when the ring still has no room for the record
     * @throws IllegalArgumentException if {@code length} is zero, negative or
     *         above {@link #maxRecordLength()}
     * @throws IllegalStateException if this handle is closed, or its previous
     *         claim is still open
     */
    public final WriteClaim tryClaimAgain(int length) {
        // owner-local flag, read only on the refusal path: the claim's fast path is tryClaim's
        retrying = true;
        try {
            return tryClaim(length);
        } finally {
            retrying = false;
        }
    }

    /**
     * Closes this handle: aborts its open claim, if any, then leaves the
     * queue; once every producer handle has left, the consumer's
     * {@link Consumer#isDisconnected()} is true, with what they committed
     * still readable until the consumer has drained it. A closed handle
     * refuses new claims. Closing again does nothing.
     */
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        claim.close(); // aborts it if open: the consumer must never wait on it
        leaving.clean(); // leaves after the abort, so whoever sees the disconnect sees the abort
    }

    /**
     * Tests only (jcstress among them): leaves the queue without ending the
     * open claim, as the Cleaner does for a handle collected with a claim
     * open. The Cleaner then has nothing left to do: a cleanable runs once.
     */
    final void leaveAsIfCollected() {
        leaving.clean();
    }

    /**
     * Whether the queue's consumer has been closed. Claims still succeed
     * while there is room, but nothing will read them.
     *
     * @return true when the consumer is closed
     */
    public final boolean isDisconnected() {
        return handles.consumerClosed();
    }

    /**
     * The ring's capacity in bytes (a power of two).
     *
     * @return the capacity
     */
    public final int capacity() {
        return ring.capacity;
    }

    /**
     * The longest payload a claim accepts: the capacity less the 8-byte header.
     *
     * @return the bound
     */
    public final int maxRecordLength() {
        return ring.maxRecordLength;
    }
}
