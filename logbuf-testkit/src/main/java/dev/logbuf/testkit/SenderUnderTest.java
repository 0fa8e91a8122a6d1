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
     * @throws dev.logbuf.channel.ChannelClosedException if the receiver is closed
     */
    ClaimUnderTest send(int length);

    /** Wakes a parked receiver after a commit. */
    void wake();

    /**
     * Whether the receiver is closed.
     *
     * @return true once the receiver is closed
     */
    boolean isDisconnected();

    /** Closes this sender, aborting its open claim. */
    void close();
}
