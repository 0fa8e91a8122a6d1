/**
 * Lock-free byte rings that move variable-length records from hot threads to
 * one consumer thread without allocating, formatting or making a system call
 * on the producing side.
 *
 * <p>The module exports one package, {@link dev.logbuf.queue}: the
 * single-producer ring {@link dev.logbuf.queue.SpscQueue}, the multi-producer
 * ring {@link dev.logbuf.queue.MpscQueue}, their producer handles, the shared
 * {@link dev.logbuf.queue.Consumer} and the reusable claim flyweights
 * {@link dev.logbuf.queue.WriteClaim} and {@link dev.logbuf.queue.ReadClaim}
 * (with text encoded and decoded in place, {@link dev.logbuf.queue.Utf8});
 * the batch read's handlers {@link dev.logbuf.queue.RecordHandler} and
 * {@link dev.logbuf.queue.ControlledRecordHandler}; the consumer's recovery of dead claims ({@link dev.logbuf.queue.Unblock},
 * {@link dev.logbuf.queue.StallListener}), the counters' snapshot
 * {@link dev.logbuf.queue.QueueStats}, and {@link dev.logbuf.queue.Backoff}
 * for consumers that poll. Either queue can also live in a file that several
 * processes map ({@code createFile}, {@code attachFile}).
 *
 * <p>Threading contract: every handle (a producer or the consumer) is used by
 * one thread at a time. An MPSC producer handle is duplicated, one per
 * producing thread; an SPSC queue has exactly one producer and one consumer.
 * Everything written into a claim before {@code commit()} happens-before the
 * consumer's read of that record. A claim belongs to the thread that made it:
 * once that thread has terminated (or its handle is closed or collected) with
 * the claim open, the consumer may step over the claim; a claim held by a live
 * thread is never taken away.
 *
 * <p>The module requires nothing beyond {@code java.base}: memory ordering goes
 * through {@link java.lang.invoke.VarHandle} on a direct buffer, so it links
 * into a jlink image and runs without warnings on current JDKs.
 */
module dev.logbuf.queue {
    exports dev.logbuf.queue;
    // not API: the channel's wake-up on commit (dev.logbuf.queue.internal.CommitHook)
    exports dev.logbuf.queue.internal to dev.logbuf.channel;
}
