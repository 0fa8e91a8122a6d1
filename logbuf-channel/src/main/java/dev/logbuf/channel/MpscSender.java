package dev.logbuf.channel;

import dev.logbuf.queue.MpscProducer;

/**
 * A sender of an {@link MpscChannel}. Each producing thread takes its own
 * with {@link #duplicate()}; the channel stays connected until every one of
 * them is closed.
 *
 * <p>Threading: a sender is used by one thread at a time; duplicates of it
 * may be used by other threads at the same time.
 */
public final class MpscSender extends Sender {

    private final MpscProducer producer;

    MpscSender(MpscProducer producer, Shared shared) {
        super(producer, shared);
        this.producer = producer;
    }

    /**
     * A new sender on the same channel, for another producing thread. The
     * receiver sees a disconnect only once every sender, this one and every
     * duplicate, is closed.
     *
     * @return a new, open sender
     * @throws IllegalStateException if this sender is closed
     */
    public MpscSender duplicate() {
        checkOpen();
        // this sender's producer is open, so the queue cannot have disconnected
        return new MpscSender(producer.duplicate(), shared);
    }
}
