package dev.logbuf.queue;

/**
 * What {@link SpscQueue} and {@link MpscQueue} share: the ring, its handles,
 * its consumer, and whether it is shared between processes. The two differ
 * only in their producer side.
 */
abstract class RingQueue {

    final Ring ring;
    final Handles handles;
    /** The ring's file header when it is shared between processes, else null. */
    final RingFile file;
    /** Made at once in one process; a shared ring's when this process takes the consumer role. */
    private volatile Consumer consumer;

    /** A queue in one process. */
    RingQueue(Ring ring, Handles handles) {
        this.ring = ring;
        this.handles = handles;
        this.file = null;
    }

    /** A queue over a shared ring, whose holders are told alive or gone by {@code liveness}. */
    RingQueue(RingFile file, SharedHandles.Liveness liveness) {
        this.ring = file.ring;
        this.handles = new SharedHandles(file, liveness);
        this.file = file;
    }

    /** In one process: makes the consumer, once the producer side is set up. */
    final void makeConsumer() {
        this.consumer = new Consumer(ring, handles);
    }

    /**
     * The queue's one consumer; every call returns the same handle.
     *
     * <p>On a shared ring the first call takes the ring's consumer role for
     * this process. If the process that held it is gone, this consumer takes
     * over: it resumes at the shared head, after finishing the release the
     * last one had started; records that one had read but not released are
     * read again (see {@link ReadClaim#position()}). {@link Consumer#close()}
     * gives the role back.
     *
     * @return the consumer
     * @throws IllegalStateException on a shared ring, if a live process (this
     *         one, through another attachment, included) holds the consumer role
     */
    public final Consumer consumer() {
        final Consumer consumer = this.consumer;
        return consumer != null ? consumer : takeConsumer();
    }

    private synchronized Consumer takeConsumer() {
        if (consumer == null) {
            ((SharedHandles) handles).takeConsumer();
            consumer = new Consumer(ring, handles);
        }
        return consumer;
    }

    /**
     * The capacity in bytes (a power of two).
     *
     * @return the capacity
     */
    public final int capacity() {
        return ring.capacity;
    }

    /**
     * Bytes in use now: reserved by producers and not yet released by the
     * consumer, headers and padding included (a snapshot, from any thread).
     *
     * @return the bytes in use
     */
    public final long size() {
        return Consumer.size(ring, handles);
    }

    /**
     * A snapshot of the queue's positions and counters, from any thread; the
     * same as {@link Consumer#stats()}. On a shared ring the counters are
     * this process's: its producer handles', and the consumer's when this
     * process holds it (else zero).
     *
     * @return the snapshot
     */
    public final QueueStats stats() {
        return Consumer.stats(ring, handles, consumer);
    }

    /**
     * The longest payload a claim accepts: {@code capacity() - 8}.
     *
     * @return the bound
     */
    public final int maxRecordLength() {
        return ring.maxRecordLength;
    }

    /**
     * Whether this queue's ring is shared between processes (made by
     * {@code create(ByteBuffer, int)} or {@code attach}).
     *
     * @return true for a shared ring
     */
    public final boolean isShared() {
        return file != null;
    }

    /**
     * The random id the shared ring was created with, the same in every
     * process that attaches to it; a ring created again in the same file has
     * a new one. 0 for a queue in one process.
     *
     * @return the creation id, or 0
     */
    public final long creationId() {
        return file == null ? 0 : file.creationId;
    }
}
