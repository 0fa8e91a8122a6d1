package dev.logbuf.queue.internal;

/**
 * Not API: what {@code dev.logbuf.channel} runs on the committing thread
 * after each commit of a producer handle it owns, to wake a parked receiver.
 * This package is exported to {@code dev.logbuf.channel} only; on the class
 * path it is visible but carries no compatibility promise.
 */
public interface CommitHook {

    /**
     * Called by the thread that committed, after the record's header is
     * published and the claim has ended. Must not block, allocate or throw.
     */
    void committed();
}
