package dev.logbuf.testkit;

/**
 * A record the consumer holds until it is released ({@link #close()}) or put
 * back ({@link #putBack()}, optional: its default throws
 * {@link UnsupportedOperationException}, and the contracts that need it fail
 * saying so).
 */
public interface RecordUnderTest {

    /**
     * The payload length.
     *
     * @return the length
     */
    int length();

    /**
     * A copy of the payload.
     *
     * @return the bytes
     */
    byte[] bytes();

    /**
     * Releases the record: its bytes are zeroed and given back to the
     * producers. Closing again, or after {@link #putBack()}, does nothing.
     */
    void close();

    /**
     * Puts the record back ({@code ReadClaim.putBack()}): ends the claim
     * without consuming the record, which stays in the ring, unchanged, and
     * is the first one the consumer's next claim or read hands out; its bytes
     * are not given back meanwhile. Any use of this record afterwards but
     * {@link #close()} (which then does nothing) throws
     * {@link IllegalStateException}. Optional.
     *
     * @throws IllegalStateException if the record was already released or put back
     * @throws UnsupportedOperationException if the wrapper cannot put records back (the default)
     */
    default void putBack() {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement RecordUnderTest.putBack()");
    }
}
