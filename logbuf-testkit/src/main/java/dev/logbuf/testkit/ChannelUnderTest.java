package dev.logbuf.testkit;

/**
 * A channel as the contracts see it: a ring whose producers are senders and
 * whose consumer is a receiver, with disconnect on both sides. The ring
 * contracts run over it through {@code trySend} and {@code tryRecv}.
 */
public interface ChannelUnderTest extends RingUnderTest {

    @Override
    SenderUnderTest producer();

    @Override
    SenderUnderTest newProducer();

    @Override
    ReceiverUnderTest consumer();
}
