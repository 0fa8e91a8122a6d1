package dev.logbuf.queue;

/**
 * What {@link Consumer#unblock()} found at the head of the ring.
 */
public enum Unblock {

    /** Nothing held the head: a record (or nothing at all) is next. */
    NOT_BLOCKED,

    /**
     * A claim whose owner is gone (its thread terminated, or its producer
     * handle was closed or collected) held the head; it was stepped over as
     * if aborted, and the records behind it can now be read.
     */
    RECOVERED,

    /**
     * A claim held by a live thread, or by a claimant that cannot be told
     * (a reservation not yet marked), holds the head. Nothing was freed; the
     * record arrives when its producer commits it.
     */
    STALLED
}
