package dev.logbuf.testkit;

import java.util.function.IntFunction;

/**
 * Makes a fresh {@link RingUnderTest} for a requested capacity: what a
 * {@link RingContract} runs against.
 */
public interface RingFactory {

    /**
     * A fresh ring.
     *
     * @param requestedCapacity the capacity asked for, 16 to 2^30; the ring may round it up
     * @return the ring
     */
    RingUnderTest create(int requestedCapacity);

    /**
     * Whether the rings made have several producers; decides which operation
     * sequences and schedules the contracts generate.
     *
     * @return true for MPSC
     */
    boolean multiProducer();

    /**
     * A factory from a name, a producer count and a constructor.
     *
     * @param name shown in reports
     * @param multiProducer whether the rings are MPSC
     * @param create makes one ring
     * @return the factory
     */
    static RingFactory of(String name, boolean multiProducer, IntFunction<? extends RingUnderTest> create) {
        return new RingFactory() {
            @Override
            public RingUnderTest create(int requestedCapacity) {
                return create.apply(requestedCapacity);
            }

            @Override
            public boolean multiProducer() {
                return multiProducer;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
