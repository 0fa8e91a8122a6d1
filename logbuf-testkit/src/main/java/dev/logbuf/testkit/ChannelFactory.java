package dev.logbuf.testkit;

import java.util.function.IntFunction;

/** Makes a fresh {@link ChannelUnderTest}: what a {@link ChannelContract} runs against. */
public interface ChannelFactory extends RingFactory {

    @Override
    ChannelUnderTest create(int requestedCapacity);

    /**
     * A factory from a name, a sender count and a constructor.
     *
     * @param name shown in reports
     * @param multiProducer whether the channels are MPSC
     * @param create makes one channel
     * @return the factory
     */
    static ChannelFactory of(String name, boolean multiProducer, IntFunction<? extends ChannelUnderTest> create) {
        return new ChannelFactory() {
            @Override
            public ChannelUnderTest create(int requestedCapacity) {
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
