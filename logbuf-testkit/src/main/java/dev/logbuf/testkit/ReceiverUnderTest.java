package dev.logbuf.testkit;

import java.time.Duration;

/**
 * The receiver of a {@link ChannelUnderTest}. {@link #tryClaim()} is the
 * channel's {@code tryRecv}, {@link #read} its {@code tryRead} and
 * {@link #controlledRead} (optional) its {@code tryControlledRead}: they throw
 * {@link dev.logbuf.channel.ChannelClosedException} once every sender is
 * closed and every committed record was received (a record a controlled
 * read's handler aborts is still to be received).
 */
public interface ReceiverUnderTest extends ConsumerUnderTest {

    /**
     * Takes the next record, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return the record, or {@code null} on time-out
     * @throws InterruptedException if interrupted while waiting
     */
    RecordUnderTest recv(Duration timeout) throws InterruptedException;

    /**
     * Whether every sender is closed (records may still be waiting).
     *
     * @return true when no sender is open
     */
    @Override
    boolean isDisconnected();

    /** Closes the receiver: senders then see the disconnect. */
    @Override
    void close();
}
