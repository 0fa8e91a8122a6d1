package dev.logbuf.channel;

import dev.logbuf.queue.SpscQueue;

/**
 * A channel with one sender and one receiver over an {@link SpscQueue}.
 *
 * <pre>{@code
 * SpscChannel channel = SpscChannel.create(1 << 20);
 * SpscSender sender = channel.sender();       // the producing thread's
 * Receiver receiver = channel.receiver();     // the background thread's
 * }</pre>
 *
 * <p>Threading: the sender is used by one thread at a time, the receiver by
 * one thread at a time; they run concurrently.
 */
public final class SpscChannel {

    private final SpscSender sender;
    private final Receiver receiver;

    private SpscChannel(SpscQueue queue) {
        final Shared shared = new Shared();
        this.sender = new SpscSender(queue.producer(), shared);
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
    public static SpscChannel create(int capacity) {
        return new SpscChannel(SpscQueue.create(capacity));
    }

    /**
     * The channel's one sender; every call returns the same handle.
     *
     * @return the sender
     */
    public SpscSender sender() {
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
