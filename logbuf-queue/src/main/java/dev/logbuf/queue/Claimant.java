package dev.logbuf.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a queue knows about one producer handle besides the handle itself: the
 * id its in-progress headers carry, the thread that made its latest claim, and
 * its counters. The handle's cleaning action holds this object, never the
 * handle, so an abandoned handle can still be collected; the counters outlive
 * it and are folded into the queue's totals when it leaves.
 *
 * <p>Padded on both sides: handles duplicated one after another are allocated
 * next to each other, and each one's counters are written by a different
 * producing thread.
 */
final class Claimant extends ClaimantFields {

    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;
    @SuppressWarnings("unused")
    private long p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;

    Claimant(int id) {
        super(id);
    }
}

/** Padding before the fields, so no other object's fields share their cache lines. */
abstract class ClaimantPad {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07;
    @SuppressWarnings("unused")
    private long p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

/** The fields of {@link Claimant}. */
abstract class ClaimantFields extends ClaimantPad {

    /*
     * The counters are written by the thread that uses the handle (one at a
     * time) and read by whoever asks for a snapshot. Opaque on both sides: a
     * plain mov on x86, never torn, never cached in a register by the reader;
     * a snapshot needs nothing stronger.
     */

    private static final VarHandle COMMITTED;
    private static final VarHandle COMMITTED_BYTES;
    private static final VarHandle FULL;
    private static final VarHandle REFUSED;
    private static final VarHandle ABORTED;
    private static final VarHandle TAIL;
    private static final VarHandle OWNER;
    private static final VarHandle CLAIM_AT;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            COMMITTED = lookup.findVarHandle(ClaimantFields.class, "committed", long.class);
            COMMITTED_BYTES = lookup.findVarHandle(ClaimantFields.class, "committedBytes", long.class);
            FULL = lookup.findVarHandle(ClaimantFields.class, "full", long.class);
            REFUSED = lookup.findVarHandle(ClaimantFields.class, "refused", long.class);
            ABORTED = lookup.findVarHandle(ClaimantFields.class, "aborted", long.class);
            TAIL = lookup.findVarHandle(ClaimantFields.class, "tail", long.class);
            OWNER = lookup.findVarHandle(ClaimantFields.class, "owner", Thread.class);
            CLAIM_AT = lookup.findVarHandle(ClaimantFields.class, "claimAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The id in this handle's in-progress headers: 0 .. 2^30 - 1, unique among the queue's open handles. */
    final int id;

    /**
     * The thread that made this handle's latest claim. Written by that thread
     * before it marks the claim in progress with a release store, so a
     * consumer that acquires the mark reads this claim's thread, not an
     * earlier one's. Plain: it changes only when another thread takes the
     * handle over, and only between claims.
     */
    Thread owner;

    /**
     * The ring position of this handle's claim in progress; -1 when none is
     * open. Written (release) before the claim is marked, so a consumer that
     * acquires the mark reads this position or a later value; and written
     * -1 (release) after the header that ends the claim, so a consumer that
     * reads any other value sees how the handle ended this claim (see
     * {@link Handles#owner}). A claim in progress at another position is
     * one nothing will end: two threads used the handle at once, and the
     * flyweight moved on; or it is an earlier, departed handle's whose id
     * came round to this one (ids wrap after 2^30 handles), made before this
     * handle joined.
     */
    @SuppressWarnings("unused") // accessed through CLAIM_AT
    private long claimAt = -1;

    private long committed;
    private long committedBytes;
    /** SPSC only: the producer's tail, mirrored for monitoring (the ring's tail slot is MPSC's). */
    private long tail;
    /** Claims that found the ring full: a tryClaim refused, not the tryClaimAgain retries after it. */
    private long full;
    /** Every refused attempt, retries included. */
    private long refused;
    private long aborted;

    ClaimantFields(int id) {
        this.id = id;
    }

    /**
     * Owner, before marking the claim at {@code position}: release, so a
     * consumer that acquires this position, or a later one, also sees every
     * header this handle wrote before it (the end of its earlier claims).
     */
    final void claimAt(long position) {
        CLAIM_AT.setRelease(this, position);
    }

    /**
     * Owner, after the header that ended its claim (a commit or an abort):
     * release, so a consumer that reads the claim ended sees that header.
     */
    final void claimEnded() {
        CLAIM_AT.setRelease(this, -1L);
    }

    /**
     * Consumer: the position of this handle's claim in progress, -1 when it
     * has none; pairs with {@link #claimAt(long)} and {@link #claimEnded()}.
     */
    final long claimAtAcquire() {
        return (long) CLAIM_AT.getAcquire(this);
    }

    /**
     * Owner, after marking a claim: the thread that began the latest claim,
     * read from memory (opaque), not from what this thread wrote in
     * {@code begin}: another thread that began a claim on the same handle
     * meanwhile shows here.
     */
    final Thread ownerOpaque() {
        return (Thread) OWNER.getOpaque(this);
    }

    /** Owner: one record of {@code length} bytes committed. */
    final void countCommit(int length) {
        COMMITTED.setOpaque(this, committed + 1);
        COMMITTED_BYTES.setOpaque(this, committedBytes + length);
    }

    /**
     * Owner: an attempt refused because the ring was full; {@code retry} when
     * it continues a wait that an earlier refused attempt began (tryClaimAgain),
     * so the claim was already counted as having found the ring full.
     */
    final void countRefused(boolean retry) {
        REFUSED.setOpaque(this, refused + 1);
        if (!retry) {
            FULL.setOpaque(this, full + 1);
        }
    }

    /** Owner: a claim aborted. */
    final void countAbort() {
        ABORTED.setOpaque(this, aborted + 1);
    }

    /**
     * SPSC producer: mirrors its tail for monitoring. A field store on this
     * handle's own line: as cheap as a plain store, where a store into the
     * ring's buffer through its VarHandle measured 2 to 3 ns a claim.
     */
    final void mirrorTail(long tail) {
        TAIL.setOpaque(this, tail);
    }

    /** Monitoring: the mirrored SPSC tail. */
    final long tail() {
        return (long) TAIL.getOpaque(this);
    }

    final long committed() {
        return (long) COMMITTED.getOpaque(this);
    }

    final long committedBytes() {
        return (long) COMMITTED_BYTES.getOpaque(this);
    }

    final long full() {
        return (long) FULL.getOpaque(this);
    }

    final long refused() {
        return (long) REFUSED.getOpaque(this);
    }

    final long aborted() {
        return (long) ABORTED.getOpaque(this);
    }
}
