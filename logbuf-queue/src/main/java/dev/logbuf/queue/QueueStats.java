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
 * @param full claims refused because the ring had no room
 * @param aborted claims aborted (by {@code abort()}, {@code close()} or a
 *        closing handle)
 * @param recovered dead claims the consumer stepped over (their owner was gone)
 * @param stalls claims found holding the head while their owner was alive
 */
public record QueueStats(int capacity, long head, long tail, int producers,
        long committed, long committedBytes, long consumed, long consumedBytes,
        long full, long aborted, long recovered, long stalls) {

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
