package dev.logbuf.queue;

/**
 * Told when {@link Consumer#unblock()} finds the head held by a claim it must
 * not recover: a live producer thread has claimed and not yet committed. An
 * application logs it, raises an alert, or inspects the thread's stack.
 *
 * <p>Called on the consumer's thread, once per stalled claim; it must return
 * promptly and must not call the consumer.
 */
@FunctionalInterface
public interface StallListener {

    /**
     * A claim holds the head and its owner is alive.
     *
     * @param position the ring position of the stalled claim (the head)
     * @param claimant the thread that made the claim; {@code null} when it
     *        cannot be told (an MPSC reservation whose producer has not marked
     *        it, or died before it could: see {@link Consumer#unblock()})
     */
    void onStall(long position, Thread claimant);
}
