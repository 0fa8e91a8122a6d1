package dev.logbuf.testkit;

/**
 * A producer handle of a {@link RingUnderTest}: used by one thread at a time.
 *
 * <p>Only {@link #tryClaim(int)} is required. The lifecycle methods
 * ({@link #close()}, {@link #isDisconnected()}, {@link #duplicate()}) are
 * optional: their defaults throw {@link UnsupportedOperationException}, and
 * the contracts that need them fail saying which one is missing. A wrapper
 * that has no such lifecycle overrides those contracts without
 * {@code @Property} to leave them out (see the testkit's README).
 */
public interface ProducerUnderTest {

    /**
     * One attempt to claim {@code length} payload bytes.
     *
     * @param length the payload length
     * @return the open claim, or {@code null} when the ring is full; must not wait
     * @throws IllegalArgumentException if the length is zero, negative or above the maximum
     */
    ClaimUnderTest tryClaim(int length);

    /**
     * Closes this handle: aborts its open claim, if any, and leaves the ring;
     * once every handle has closed the consumer's
     * {@link ConsumerUnderTest#isDisconnected()} is true at once, with the
     * records committed before still readable (a channel's receiver reports
     * the disconnect only after handing them all out). A closed handle's
     * {@link #tryClaim(int)} throws {@link IllegalStateException}; closing
     * again does nothing. Optional.
     *
     * @throws UnsupportedOperationException if the wrapper has no lifecycle (the default)
     */
    default void close() {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement ProducerUnderTest.close()");
    }

    /**
     * Whether the consumer has been closed. Optional.
     *
     * @return true once the consumer is closed
     * @throws UnsupportedOperationException if the wrapper has no lifecycle (the default)
     */
    default boolean isDisconnected() {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement ProducerUnderTest.isDisconnected()");
    }

    /**
     * A new handle on the same ring, for another thread (an MPSC producer's
     * {@code duplicate()}). Optional.
     *
     * @return the new, open handle
     * @throws IllegalStateException if this handle is closed
     * @throws UnsupportedOperationException if the ring has one producer, or
     *         the wrapper cannot duplicate handles (the default)
     */
    default ProducerUnderTest duplicate() {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement ProducerUnderTest.duplicate()");
    }
}
