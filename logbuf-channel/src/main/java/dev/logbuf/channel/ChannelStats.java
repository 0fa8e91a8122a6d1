package dev.logbuf.channel;

import dev.logbuf.queue.QueueStats;

/**
 * A snapshot of one channel: its queue's positions and counters, and how the
 * receiver waited. Taken by {@link Receiver#stats()} from any thread; see
 * {@link QueueStats} for what a snapshot does and does not promise.
 *
 * @param queue the queue's positions and counters (records, bytes, sends
 *        that found the ring full and the refused attempts of their waits,
 *        aborted claims, recovered claims, stalls): a {@code trySend} that
 *        returned {@code null} or a {@code send} that waited counts once in
 *        {@link QueueStats#full()}, each of its refused attempts in
 *        {@link QueueStats#refused()}
 * @param parks times the receiver parked because nothing was committed
 * @param wakeups times a sender's commit (or {@code wake()}) found the receiver announced
 *        as a waiter and unparked it. The sender that finds the
 *        announcement clears it (a compare-and-set) and takes the wake-up, so
 *        each announcement is taken at most once, whatever the number of
 *        senders. The receiver announces itself before its last look at the
 *        ring, so this is at most {@code parks} plus the last looks that
 *        found a record after all (an unpark of a running thread only sets
 *        its permit; its next park then returns at once)
 */
public record ChannelStats(QueueStats queue, long parks, long wakeups) {
}
