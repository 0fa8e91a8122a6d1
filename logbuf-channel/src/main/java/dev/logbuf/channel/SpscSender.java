package dev.logbuf.channel;

import dev.logbuf.queue.SpscProducer;

/**
 * The one sender of an {@link SpscChannel}. It has no {@code duplicate()}:
 * a single-producer ring cannot take a second producer, and the type system
 * says so. Use an {@link MpscChannel} for several producing threads.
 *
 * <p>Threading: used by one thread at a time.
 */
public final class SpscSender extends Sender {

    SpscSender(SpscProducer producer, Shared shared) {
        super(producer, shared);
    }
}
