package dev.logbuf.testkit;

import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.StallListener;
import dev.logbuf.queue.Unblock;
import java.time.Duration;

/**
 * The consumer of a {@link RingUnderTest}: used by one thread at a time.
 *
 * <p>Only {@link #tryClaim()} and {@link #read} are required. Lifecycle
 * ({@link #close()}, {@link #isDisconnected()}), recovery of dead claims
 * ({@link #unblock()}, {@link #unblockAfter(Duration)},
 * {@link #stallListener(StallListener)}) and counters ({@link #stats()}) are
 * optional: their defaults throw {@link UnsupportedOperationException}, and
 * the contracts that need them fail saying which one is missing. A wrapper
 * without one of them overrides the contracts that need it without
 * {@code @Property} (the testkit's README lists which contract needs what).
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
     * @param handler receives each payload (a view valid during the call only)
     * @param limit the most records to read
     * @return how many records the handler received
     */
    int read(RecordHandler handler, int limit);

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
