package dev.logbuf.queue;

/**
 * A snapshot of one queue: its positions and counters, taken by
 * {@link Consumer#stats()} (or the queue's {@code stats()}) from any thread.
 *
 * <p>Each value is read once, without stopping producers or the consumer, so
 * values taken a few nanoseconds apart may not add up exactly (a record
 * committed after {@code committed} was read may already count in
 * {@code consumed}). Counters count from the queue's creation and include
 * producer handles that have since closed.
 *
 * @param capacity the ring's capacity in bytes
 * @param head the consumer's position: bytes released since creation
 * @param tail the producers' position: bytes reserved since creation
 * @param producers producer handles open now
 * @param committed records committed
 * @param committedBytes payload bytes committed
 * @param consumed records read and released
 * @param consumedBytes payload bytes read and released
 * @param full claims that found the ring full: each {@code tryClaim} (a
 *        channel's {@code trySend}, or a timed {@code send} that gave up at
 *        once) that returned {@code null} counts 1, and a wait for room
 *        counts 1 however many times it retried ({@link Producer#tryClaim}
 *        then any number of {@link Producer#tryClaimAgain}; a channel's
 *        {@code send} that waited, whether it then got its claim, timed out
 *        or was interrupted). A claim that found room at once counts 0
 * @param refused every attempt refused because the ring had no room,
 *        retries included: a {@code tryClaim} or {@code tryClaimAgain} that
 *        returned {@code null}. Never below {@code full}; the difference is
 *        the retries of waits, so {@code refused / full} is how many
 *        attempts a wait took on average
 * @param aborted claims aborted (by {@code abort()}, {@code close()} or a
 *        closing handle)
 * @param recovered dead claims the consumer stepped over (their owner was gone)
 * @param stalls claims found holding the head while their owner was alive
 */
public record QueueStats(int capacity, long head, long tail, int producers,
        long committed, long committedBytes, long consumed, long consumedBytes,
        long full, long refused, long aborted, long recovered, long stalls) {

    /**
     * Bytes in use: reserved by producers and not yet released by the
     * consumer, headers and padding included.
     *
     * @return {@code tail - head}
     */
    public long size() {
        return tail - head;
    }
}
