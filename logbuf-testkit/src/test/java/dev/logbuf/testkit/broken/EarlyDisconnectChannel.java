package dev.logbuf.testkit.broken;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.testkit.ChannelUnderTest;
import dev.logbuf.testkit.ReceiverUnderTest;
import dev.logbuf.testkit.RecordUnderTest;
import dev.logbuf.testkit.SenderUnderTest;
import java.time.Duration;

/**
 * A broken channel that reports the disconnect before draining: its
 * receiver throws {@link ChannelClosedException} as soon as every sender is
 * closed, dropping the records still in the ring. Wraps a real channel.
 */
public final class EarlyDisconnectChannel implements ChannelUnderTest {

    private final ChannelUnderTest real;
    private final ReceiverUnderTest receiver;

    /**
     * Wraps {@code real}.
     *
     * @param real a correct channel
     */
    public EarlyDisconnectChannel(ChannelUnderTest real) {
        this.real = real;
        final ReceiverUnderTest r = real.consumer();
        this.receiver = new ReceiverUnderTest() {
            @Override
            public RecordUnderTest tryClaim() {
                checkSenders();
                return r.tryClaim();
            }

            @Override
            public int read(RecordHandler handler, int limit) {
                checkSenders();
                return r.read(handler, limit);
            }

            @Override
            public RecordUnderTest recv(Duration timeout) throws InterruptedException {
                checkSenders();
                return r.recv(timeout);
            }

            @Override
            public boolean isDisconnected() {
                return r.isDisconnected();
            }

            @Override
            public void close() {
                r.close();
            }

            private void checkSenders() {
                if (r.isDisconnected()) {
                    throw new ChannelClosedException("every sender is closed");
                }
            }
        };
    }

    @Override
    public int capacity() {
        return real.capacity();
    }

    @Override
    public int maxRecordLength() {
        return real.maxRecordLength();
    }

    @Override
    public boolean multiProducer() {
        return real.multiProducer();
    }

    @Override
    public SenderUnderTest producer() {
        return real.producer();
    }

    @Override
    public SenderUnderTest newProducer() {
        return real.newProducer();
    }

    @Override
    public ReceiverUnderTest consumer() {
        return receiver;
    }
}
