package dev.logbuf.queue;

/**
 * The producing side of a ring: claims bytes, which the caller writes in place
 * and then commits or aborts through the returned {@link WriteClaim}.
 *
 * <p>Implemented by {@link SpscProducer} (the one producer of an
 * {@link SpscQueue}) and {@link MpscProducer} (one of many handles of an
 * {@link MpscQueue}). Code that only claims can take a {@code Producer} and
 * work with either.
 *
 * <p>Lifecycle: a handle is closed with {@link #close()} (which aborts its open
 * claim) or, if it is abandoned, counts as closed once the garbage collector
 * has collected it. Once every producer handle of a queue has closed, the
 * consumer's {@link Consumer#isDisconnected()} says so at once, with the
 * records committed before still readable; once the consumer has closed,
 * {@link #isDisconnected()} here says so.
 *
 * <p>A claim belongs to the thread that made it. If that thread terminates
 * before the claim ends, or the handle is collected with the claim open, the
 * claim is dead: {@link Consumer#unblock()} steps over it, and it is never
 * committed. A claim held by a live thread is never taken away, however long
 * it is held. So hand an open claim to another thread (to finish an
 * asynchronous read into it, say) only if the claiming thread outlives the
 * claim.
 *
 * <p>Threading: a handle is used by one thread at a time.
 */
public sealed interface Producer extends AutoCloseable permits SpscProducer, MpscProducer {

    /**
     * Claims {@code length} payload bytes, or reports that the ring is full.
     *
     * <p>The claim allocates nothing and makes no system call. When it returns
     * {@code null} the caller retries later; every accepted length fits once
     * the consumer has drained the ring, wherever the ring's position is.
     *
     * @param length the payload length, from 1 to {@link #maxRecordLength()}
     * @return this handle's claim flyweight, open for writing; or {@code null}
     *         when the ring has no room for the record now
     * @throws IllegalArgumentException if {@code length} is zero, negative or
     *         above {@link #maxRecordLength()}
     * @throws IllegalStateException if this handle is closed, or its previous
     *         claim is still open (a claim left open by a thread that has since
     *         terminated is aborted instead, and the new claim proceeds)
     */
    WriteClaim tryClaim(int length);

    /**
     * Claims {@code length} payload bytes, as {@link #tryClaim(int)} does, as
     * a retry: the caller is waiting for room after a {@code tryClaim} that
     * returned {@code null}. The two differ only in what they count: a
     * refused {@code tryClaim} counts in {@link QueueStats#full()} (a claim
     * that found the ring full) and in {@link QueueStats#refused()}; a refused
     * retry counts in {@code refused()} only. So a wait loop of one
     * {@code tryClaim} and any number of {@code tryClaimAgain} counts once in
     * {@code full()}, however long it spins. A channel's spinning
     * {@code send} waits this way.
     *
     * @param length the payload length, from 1 to {@link #maxRecordLength()}
     * @return this handle's claim flyweight, open for writing; or {@code null}
     *         when the ring still has no room for the record
     * @throws IllegalArgumentException if {@code length} is zero, negative or
     *         above {@link #maxRecordLength()}
     * @throws IllegalStateException if this handle is closed, or its previous
     *         claim is still open (a claim left open by a thread that has since
     *         terminated is aborted instead, and the new claim proceeds)
     */
    WriteClaim tryClaimAgain(int length);

    /**
     * Closes this handle: aborts its open claim, if any (from any thread), and
     * leaves the queue. When it was the last open producer handle, the
     * consumer's {@link Consumer#isDisconnected()} turns true at once, while
     * records committed before may still be waiting in the ring: they stay
     * readable, and the consumer drains them by reading until a read finds
     * nothing. (A channel's receiver does that drain itself and reports the
     * disconnect only after it.) A closed handle refuses new claims. Closing
     * again does nothing.
     */
    @Override
    void close();

    /**
     * Whether the queue's consumer has been closed. Claims still succeed
     * while there is room, but nothing will read them.
     *
     * @return true when the consumer is closed
     */
    boolean isDisconnected();

    /**
     * The ring's capacity in bytes (a power of two).
     *
     * @return the capacity
     */
    int capacity();

    /**
     * The longest payload a claim accepts: the capacity less the 8-byte header.
     *
     * @return the bound
     */
    int maxRecordLength();
}
