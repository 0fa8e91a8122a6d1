package dev.logbuf.testkit;

import java.time.Duration;

/**
 * A sender of a {@link ChannelUnderTest}. {@link #tryClaim(int)} is the
 * channel's {@code trySend}. The bounded send, {@link #send(int, Duration)},
 * is optional: its default throws {@link UnsupportedOperationException}, and
 * the contracts that need it fail saying so.
 */
public interface SenderUnderTest extends ProducerUnderTest {

    /**
     * Claims, waiting (spinning) while the ring is full. When the ring has
     * room at once it claims without looking at the thread's interrupted
     * status, and leaves it set.
     *
     * @param length the payload length
     * @return the open claim
     * @throws InterruptedException if the thread is interrupted while waiting
     *         (its interrupted status is then cleared); nothing is claimed
     * @throws dev.logbuf.channel.ChannelClosedException if the receiver is closed
     */
    ClaimUnderTest send(int length) throws InterruptedException;

    /**
     * Claims, waiting at most {@code timeout} while the ring is full
     * ({@code Sender.send(int, Duration)}). A zero or negative timeout makes
     * exactly one attempt, as {@link #tryClaim(int)} does; with room at once
     * it claims whatever the timeout and the interrupted status (which it
     * leaves set). A send that gives up or is interrupted claims nothing and
     * writes no record (only the wrap padding a refused {@link #tryClaim(int)}
     * would write). Optional.
     *
     * @param length the payload length
     * @param timeout how long to wait at most
     * @return the open claim, or {@code null} if there was no room in time
     * @throws InterruptedException if the thread is interrupted while waiting
     *         (its interrupted status is then cleared); nothing is claimed
     * @throws dev.logbuf.channel.ChannelClosedException if the receiver is closed
     * @throws UnsupportedOperationException if the wrapper has no bounded send (the default)
     */
    default ClaimUnderTest send(int length, Duration timeout) throws InterruptedException {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement SenderUnderTest.send(int, Duration)");
    }

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
