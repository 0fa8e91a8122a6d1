package dev.logbuf.testkit;

/** A producer handle of a {@link RingUnderTest}: used by one thread at a time. */
public interface ProducerUnderTest {

    /**
     * One attempt to claim {@code length} payload bytes.
     *
     * @param length the payload length
     * @return the open claim, or {@code null} when the ring is full; must not wait
     * @throws IllegalArgumentException if the length is zero, negative or above the maximum
     */
    ClaimUnderTest tryClaim(int length);
}
