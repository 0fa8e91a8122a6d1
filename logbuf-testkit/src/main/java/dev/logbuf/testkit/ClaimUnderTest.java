package dev.logbuf.testkit;

/** The bytes a producer claimed: read, written, then committed or aborted. */
public interface ClaimUnderTest {

    /**
     * The claimed payload length.
     *
     * @return the length
     */
    int length();

    /**
     * Reads a payload byte before it is written (a freshly claimed payload must read as zero).
     *
     * @param index the payload index
     * @return the byte
     */
    byte get(int index);

    /**
     * Writes {@code bytes} at payload index {@code index}.
     *
     * @param index where to start
     * @param bytes what to write
     */
    void put(int index, byte[] bytes);

    /** Publishes the record. */
    void commit();

    /** Gives the bytes back unpublished: the consumer never sees them. */
    void abort();

    /** Aborts the claim unless it was committed or aborted. */
    void close();
}
