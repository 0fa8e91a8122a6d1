package dev.logbuf.channel;

import dev.logbuf.queue.QueueStats;

/**
 * A snapshot of one channel: its queue's positions and counters, and how the
 * receiver waited. Taken by {@link Receiver#stats()} from any thread; see
 * {@link QueueStats} for what a snapshot does and does not promise.
 *
 * @param queue the queue's positions and counters (records, bytes, full,
 *        aborted, recovered claims, stalls)
 * @param parks times the receiver parked because nothing was committed
 * @param wakeups times a sender found the receiver parked and unparked it
 */
public record ChannelStats(QueueStats queue, long parks, long wakeups) {
}
