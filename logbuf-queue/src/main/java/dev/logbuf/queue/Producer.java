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
 * <p>Threading: a handle is used by one thread at a time.
 */
public sealed interface Producer permits SpscProducer, MpscProducer {

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
     * @throws IllegalStateException if this handle's previous claim is still open
     */
    WriteClaim tryClaim(int length);

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
