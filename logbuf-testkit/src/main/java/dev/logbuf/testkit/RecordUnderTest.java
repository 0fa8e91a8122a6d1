package dev.logbuf.testkit;

/** A record the consumer holds until it is released. */
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

    /** Releases the record: its bytes are zeroed and given back to the producers. */
    void close();
}
