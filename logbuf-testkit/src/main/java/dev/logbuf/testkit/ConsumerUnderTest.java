package dev.logbuf.testkit;

import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.Payload;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.StallListener;
import dev.logbuf.queue.Unblock;
import java.time.Duration;

/**
 * The consumer of a {@link RingUnderTest}: used by one thread at a time.
 *
 * <p>Only {@link #tryClaim()} and {@link #read} are required. The controlled
 * read ({@link #controlledRead(ControlledRecordHandler, int)}), lifecycle
 * ({@link #close()}, {@link #isDisconnected()}), recovery of dead claims
 * ({@link #unblock()}, {@link #unblockAfter(Duration)},
 * {@link #stallListener(StallListener)}) and counters ({@link #stats()}) are
 * optional: their defaults throw {@link UnsupportedOperationException}, and
 * the contracts that need them fail saying which one is missing. A wrapper
 * without one of them overrides the contracts that need it without
 * {@code @Property} (the testkit's README lists which contract needs what).
 *
 * <p>The batch reads hand each record to their handler as a logbuf
 * {@link Payload}: its getters count from the record's first byte
 * ({@code payload.getLong(0)}), and it is one flyweight, reused for every
 * record and valid only until the read returns (the contracts copy what they
 * keep during the call). {@code Payload} is sealed: only a logbuf consumer
 * makes one, so a wrapper passes on the payloads its logbuf consumer or
 * receiver hands it, as {@link Variants} does.
 */
public interface ConsumerUnderTest {

    /**
     * One attempt to take the next committed record.
     *
     * @return the record, open until {@link RecordUnderTest#close()}; or
     *         {@code null} when none is committed; must not wait
     */
    RecordUnderTest tryClaim();

    /**
     * Hands up to {@code limit} committed records to {@code handler} and releases them.
     *
     * @param handler receives each record's {@link Payload}, valid until the read returns
     * @param limit the most records to read
     * @return how many records the handler received
     */
    int read(RecordHandler handler, int limit);

    /**
     * The controlled batch read ({@code Consumer.controlledRead}; a channel's
     * {@code Receiver.tryControlledRead}, which throws
     * {@link dev.logbuf.channel.ChannelClosedException} once every sender is
     * closed and no record is left). Hands up to {@code limit} committed
     * records to {@code handler}, in order, and does with each what the
     * handler returns: {@code CONTINUE} consumes it and goes on,
     * {@code BREAK} consumes it and stops, {@code ABORT} leaves it in the
     * ring, unconsumed and unchanged, to be handed out first next time, and
     * stops; {@code COMMIT} consumes it and gives back (zeroes and releases)
     * everything consumed so far at once, then goes on. A handler that throws
     * or returns {@code null} leaves the record in hand in the ring as
     * {@code ABORT} does; the records consumed before it are given back and
     * the exception propagates ({@link NullPointerException} for
     * {@code null}). Consumed records are given back at the latest when the
     * call ends. Optional.
     *
     * @param handler receives each record's {@link Payload}, valid until the read returns, and says
     *        what to do
     * @param limit the most records to consume, at least 1
     * @return how many records were consumed (an aborted record is not counted)
     * @throws UnsupportedOperationException if the wrapper has no controlled read (the default)
     */
    default int controlledRead(ControlledRecordHandler handler, int limit) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement ConsumerUnderTest.controlledRead(ControlledRecordHandler, int)");
    }

    /**
     * Whether every producer handle has closed (or was collected); records
     * they committed may still be waiting. Optional.
     *
     * @return true when no producer handle is open
     * @throws UnsupportedOperationException if the wrapper has no lifecycle (the default)
     */
    default boolean isDisconnected() {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement ConsumerUnderTest.isDisconnected()");
    }

    /**
     * Closes the consumer: producers then see the disconnect, and any further
     * use of the consumer but {@link #stats()} throws
     * {@link IllegalStateException}. Closing again does nothing. Optional.
     *
     * @throws UnsupportedOperationException if the wrapper has no lifecycle (the default)
     */
    default void close() {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement ConsumerUnderTest.close()");
    }

    /**
     * Looks at what holds the head: steps over a claim whose owner is gone
     * (thread terminated, handle closed or collected), reports one held by a
     * live thread as a stall. See {@code Consumer.unblock()}. Optional.
     *
     * @return what held the head
     * @throws UnsupportedOperationException if the wrapper does not expose recovery (the default)
     */
    default Unblock unblock() {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement ConsumerUnderTest.unblock()");
    }

    /**
     * Makes the consumer's reads call {@link #unblock()} by themselves once
     * the same claim has held the head for {@code after}. Optional.
     *
     * @param after the delay; {@code null} turns it off
     * @throws UnsupportedOperationException if the wrapper does not expose recovery (the default)
     */
    default void unblockAfter(Duration after) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement ConsumerUnderTest.unblockAfter(Duration)");
    }

    /**
     * Sets what is told about a claim held by a live thread. Optional.
     *
     * @param listener the listener, or {@code null} for none
     * @throws UnsupportedOperationException if the wrapper does not expose recovery (the default)
     */
    default void stallListener(StallListener listener) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement ConsumerUnderTest.stallListener(StallListener)");
    }

    /**
     * A snapshot of the ring's positions and counters (a channel gives its
     * queue's). Optional.
     *
     * @return the snapshot
     * @throws UnsupportedOperationException if the wrapper has no counters (the default)
     */
    default QueueStats stats() {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement ConsumerUnderTest.stats()");
    }
}
