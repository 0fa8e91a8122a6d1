package dev.logbuf.channel;

import dev.logbuf.queue.MpscQueue;

/**
 * A channel with any number of senders and one receiver over an
 * {@link MpscQueue}.
 *
 * <pre>{@code
 * MpscChannel channel = MpscChannel.create(1 << 20);
 * Receiver receiver = channel.receiver();
 * MpscSender sender = channel.newSender();     // one per producing thread, each closed when done
 * }</pre>
 *
 * <p>The channel starts with no sender: each {@link #newSender()} (or
 * {@link MpscSender#duplicate()}) opens one, which its owner closes when it
 * is done. The receiver reports the disconnect once every sender opened has
 * closed and their records have been received; a receiver that starts
 * before the first sender waits for records as usual. Once disconnected, the
 * channel stays so: a later {@code newSender()} is refused. So open every
 * sender before starting threads that may close theirs (or open the next
 * one with {@link MpscSender#duplicate()} from a sender still open): a
 * channel whose senders so far have all closed has ended.
 *
 * <p>Threading: each sender is used by one thread at a time; the receiver by
 * one thread at a time. {@code newSender()} may be called from any thread.
 */
public final class MpscChannel {

    private final MpscQueue queue;
    private final Shared shared;
    private final Receiver receiver;

    private MpscChannel(MpscQueue queue) {
        this.queue = queue;
        this.shared = new Shared();
        this.receiver = new Receiver(queue.consumer(), shared);
    }

    /**
     * Creates a channel over a ring of at least {@code capacity} bytes.
     *
     * @param capacity the requested capacity in bytes, 16 to 2^30; rounded up
     *        to a power of two
     * @return the channel
     * @throws IllegalArgumentException if {@code capacity} is below 16 or above 2^30
     */
    public static MpscChannel create(int capacity) {
        return new MpscChannel(MpscQueue.create(capacity));
    }

    /**
     * Opens a new sender, for one producing thread. The caller owns it and
     * closes it when done: the receiver reports the disconnect only once
     * every sender opened has closed (a sender that is never closed counts as
     * closed once the garbage collector has collected it).
     *
     * @return a new, open sender
     * @throws IllegalStateException if every sender opened before has closed:
     *         the channel has disconnected, and stays so
     */
    public MpscSender newSender() {
        try {
            return new MpscSender(queue.newProducer(), shared);
        } catch (IllegalStateException disconnected) {
            throw new IllegalStateException("every sender of this channel has closed: it has disconnected, and a"
                    + " disconnected channel takes no new sender", disconnected);
        }
    }

    /**
     * The channel's receiver; every call returns the same handle.
     *
     * @return the receiver
     */
    public Receiver receiver() {
        return receiver;
    }

    /**
     * The ring's capacity in bytes (a power of two).
     *
     * @return the capacity
     */
    public int capacity() {
        return receiver.capacity();
    }

    /**
     * The longest payload a send accepts: the capacity less the 8-byte header.
     *
     * @return the bound
     */
    public int maxRecordLength() {
        return receiver.maxRecordLength();
    }
}
