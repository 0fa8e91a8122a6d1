package dev.logbuf.testkit;

/**
 * A ring as the contracts see it: producer handles that claim, and one
 * consumer. Implement it (or {@link ChannelUnderTest}) over your own wrapper
 * to run the contracts against it; {@link Variants} has the adapters for
 * logbuf's own queues and channels.
 *
 * <p>An implementation need not be thread-safe beyond what the library
 * promises: each handle is used by one thread at a time.
 */
public interface RingUnderTest {

    /**
     * The capacity in bytes after rounding (a power of two).
     *
     * @return the capacity
     */
    int capacity();

    /**
     * The longest payload a claim accepts.
     *
     * @return the bound
     */
    int maxRecordLength();

    /**
     * Whether {@link #newProducer()} may be called: an MPSC variant.
     *
     * @return true for several producers
     */
    boolean multiProducer();

    /**
     * Whether the disconnect is final: once every producer handle has closed,
     * {@link #newProducer()} is refused. True for a ring in one process; a
     * ring shared between processes lets producers come back, so its
     * adapter answers false and the contracts do not ask for the refusal.
     *
     * @return true when the disconnect is final
     */
    default boolean disconnectIsFinal() {
        return true;
    }

    /**
     * The first producer handle; every call returns the same one.
     *
     * @return the producer
     */
    ProducerUnderTest producer();

    /**
     * Another producer handle, for another thread.
     *
     * @return a new producer
     * @throws UnsupportedOperationException if the ring has one producer only
     */
    ProducerUnderTest newProducer();

    /**
     * The consumer; every call returns the same one.
     *
     * @return the consumer
     */
    ConsumerUnderTest consumer();
}
