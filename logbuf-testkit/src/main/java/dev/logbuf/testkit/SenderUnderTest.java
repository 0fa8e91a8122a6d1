package dev.logbuf.testkit;

/**
 * A sender of a {@link ChannelUnderTest}. {@link #tryClaim(int)} is the
 * channel's {@code trySend}.
 */
public interface SenderUnderTest extends ProducerUnderTest {

    /**
     * Claims, waiting (spinning) while the ring is full.
     *
     * @param length the payload length
     * @return the open claim
     * @throws InterruptedException if the thread is interrupted while waiting;
     *         nothing is claimed
     * @throws dev.logbuf.channel.ChannelClosedException if the receiver is closed
     */
    ClaimUnderTest send(int length) throws InterruptedException;

    /** Wakes a parked receiver after a commit. */
    void wake();

    /**
     * Whether the receiver is closed.
     *
     * @return true once the receiver is closed
     */
    @Override
    boolean isDisconnected();

    /** Closes this sender, aborting its open claim. */
    @Override
    void close();

    /**
     * A new sender on the same channel (an MPSC sender's {@code duplicate()}).
     * Optional.
     *
     * @return the new, open sender
     * @throws IllegalStateException if this sender is closed
     * @throws UnsupportedOperationException if the channel has one sender, or
     *         the wrapper cannot duplicate senders (the default)
     */
    @Override
    default SenderUnderTest duplicate() {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement SenderUnderTest.duplicate()");
    }
}
