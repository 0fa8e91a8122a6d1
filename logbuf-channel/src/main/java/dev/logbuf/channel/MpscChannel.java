package dev.logbuf.channel;

import dev.logbuf.queue.MpscQueue;

/**
 * A channel with any number of senders and one receiver over an
 * {@link MpscQueue}.
 *
 * <pre>{@code
 * MpscChannel channel = MpscChannel.create(1 << 20);
 * MpscSender first = channel.sender();
 * MpscSender second = first.duplicate();      // one sender per producing thread
 * Receiver receiver = channel.receiver();
 * }</pre>
 *
 * <p>The channel starts with one open sender, {@link #sender()}; every
 * {@link MpscSender#duplicate()} adds one. The receiver reports the
 * disconnect once all of them are closed and their records received.
 *
 * <p>Threading: each sender is used by one thread at a time; the receiver by
 * one thread at a time.
 */
public final class MpscChannel {

    private final MpscSender sender;
    private final Receiver receiver;

    private MpscChannel(MpscQueue queue) {
        final Shared shared = new Shared();
        this.sender = new MpscSender(queue.newProducer(), shared);
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
     * The channel's first sender; every call returns the same handle.
     * Duplicate it for each further producing thread.
     *
     * @return the first sender
     */
    public MpscSender sender() {
        return sender;
    }

    /**
     * The channel's receiver; every call returns the same handle.
     *
     * @return the receiver
     */
    public Receiver receiver() {
        return receiver;
    }
}
