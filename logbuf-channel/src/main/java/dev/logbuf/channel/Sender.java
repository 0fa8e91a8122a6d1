package dev.logbuf.channel;

import dev.logbuf.queue.Producer;
import dev.logbuf.queue.WriteClaim;
import dev.logbuf.queue.internal.Hooks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The sending side of a channel: claims space, which the caller writes in
 * place and commits; the commit wakes the receiver if it is parked.
 *
 * <pre>{@code
 * try (WriteClaim claim = sender.send(payload.length)) {   // spins while full; interruptible
 *     claim.put(payload);
 *     claim.commit();                                      // wakes a parked receiver by itself
 * }
 * }</pre>
 *
 * <p>Waking: every commit of a sender's claim looks for a parked receiver and
 * unparks it, with no memory fence: while the receiver is awake a commit pays
 * one load of a cache line the receiver writes only when it parks, and no
 * system call. A commit made at the very moment the receiver announces that
 * it parks can miss it; the receiver's first park after announcing lasts
 * {@value Receiver#FIRST_PARK_SLICE_MICROS} µs, so such a record waits that
 * long at most, never a whole park slice. {@link #wake()} is the fenced form,
 * which never misses; a commit no longer needs it.
 *
 * <p>Senders never park, sleep or block on a lock: {@link #send(int)} spins
 * ({@link Thread#onSpinWait()}) while the ring is full, then yields the
 * processor between attempts, until there is room or the thread is
 * interrupted; {@link #send(int, Duration)} gives up after a time-out;
 * {@link #trySend(int)} makes one attempt. The fast path (room in the ring)
 * makes no system call, and reads neither the clock nor the interrupt.
 *
 * <p>Counting ({@link Receiver#stats()}, {@link dev.logbuf.queue.QueueStats}):
 * a {@code trySend} that returns {@code null}, and a {@code send} that had to
 * wait, each count once in {@code full()}, however many attempts the wait
 * took; every refused attempt, retries included, counts in
 * {@code refused()}.
 *
 * <p>Closing a sender aborts its open claim, if any, and tells the receiver
 * once it was the last open one. A sender that becomes unreachable without
 * being closed counts as closed once the garbage collector has collected it;
 * the receiver notices within its park slice. If it was collected with a
 * claim open, that claim is dead: the receiver steps over it (it is never
 * committed) and the records behind it flow again. The same holds for a claim
 * whose thread terminated before ending it; a claim held by a live thread is
 * never taken away (see {@link Receiver#unblockAfter}).
 *
 * <p>Threading: a sender is used by one thread at a time. {@link SpscSender}
 * is the only sender of its channel; {@link MpscSender}s are duplicated, one
 * per producing thread.
 */
public abstract sealed class Sender implements AutoCloseable permits SpscSender, MpscSender {

    /** Attempts that spin before {@link #send} starts yielding the processor. */
    private static final int SPINS = 128;

    private final Producer producer;
    final Shared shared;
    /** Whether this handle was closed; touched by its owner thread only. */
    private boolean closed;

    Sender(Producer producer, Shared shared) {
        this.producer = producer;
        this.shared = shared;
        // each commit wakes a parked receiver by itself (Shared.committed); before any use
        Hooks.attach(producer, shared);
    }

    /**
     * Claims {@code length} bytes, waiting while the ring is full.
     *
     * <p>Spins, then yields, until there is room, the receiver is closed, or
     * the thread is interrupted. It never parks: a full ring means the
     * receiver is behind, and waiting for it is the caller's choice
     * ({@link #trySend(int)} does not wait, {@link #send(int, Duration)} waits
     * a bounded time). While it waits it wakes a parked receiver, which may
     * have to step over wrap padding before a long record fits.
     *
     * <p>When the ring has room at once, the claim is made without looking at
     * the thread's interrupted status (which is left as it is): the interrupt
     * and the clock are looked at only while waiting, so the common case costs
     * what {@link #trySend(int)} costs.
     *
     * @param length the payload length, from 1 to {@link #maxRecordLength()}
     * @return the claim, open for writing; commit it (the commit wakes the receiver)
     * @throws InterruptedException if the thread is interrupted while waiting
     *         (its interrupted status is cleared, as
     *         {@link java.util.concurrent.BlockingQueue#put} does); nothing
     *         is claimed, and no record was written (an attempt may have
     *         padded the end of the ring, as a refused {@link #trySend(int)}
     *         may, which the receiver steps over)
     * @throws IllegalArgumentException at once if {@code length} is zero,
     *         negative or above {@link #maxRecordLength()}
     * @throws ChannelClosedException if the receiver is closed
     * @throws IllegalStateException if this sender is closed or its previous
     *         claim is still open
     */
    public final WriteClaim send(int length) throws InterruptedException {
        checkOpen();
        final WriteClaim claim = attempt(length);
        return claim != null ? claim : await(length, 0L, false);
    }

    /**
     * Claims {@code length} bytes, waiting at most {@code timeout} while the
     * ring is full; as {@link #send(int)} otherwise. A zero or negative
     * timeout makes exactly one attempt, as {@link #trySend(int)} does.
     *
     * @param length the payload length, from 1 to {@link #maxRecordLength()}
     * @param timeout how long to wait at most
     * @return the claim, open for writing; or {@code null} if there was no
     *         room in time: nothing is claimed and no record was written
     *         (an attempt may have padded the end of the ring, which the
     *         receiver steps over)
     * @throws InterruptedException if the thread is interrupted while waiting
     *         (its interrupted status is cleared); nothing is claimed
     * @throws IllegalArgumentException at once if {@code length} is zero,
     *         negative or above {@link #maxRecordLength()}
     * @throws ChannelClosedException if the receiver is closed
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if this sender is closed or its previous
     *         claim is still open
     */
    public final WriteClaim send(int length, Duration timeout) throws InterruptedException {
        return send(length, TimeUnit.NANOSECONDS.convert(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Claims {@code length} bytes, waiting at most {@code timeout}
     * {@code unit}s while the ring is full; see {@link #send(int, Duration)}.
     *
     * @param length the payload length, from 1 to {@link #maxRecordLength()}
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return the claim, open for writing; or {@code null} if there was no room in time
     * @throws InterruptedException if the thread is interrupted while waiting
     *         (its interrupted status is cleared); nothing is claimed
     * @throws IllegalArgumentException at once if {@code length} is zero,
     *         negative or above {@link #maxRecordLength()}
     * @throws ChannelClosedException if the receiver is closed
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if this sender is closed or its previous
     *         claim is still open
     */
    public final WriteClaim send(int length, long timeout, TimeUnit unit) throws InterruptedException {
        final long nanos = unit.toNanos(timeout); // a null unit fails before anything else
        checkOpen();
        final WriteClaim claim = attempt(length);
        return claim != null || nanos <= 0 ? claim : await(length, nanos, true);
    }

    /**
     * The ring was full: attempts again until one succeeds, the deadline
     * passes ({@code null}) or the thread is interrupted. Runs only after a
     * refused attempt, so the clock and the interrupt cost nothing when there
     * is room.
     */
    private WriteClaim await(int length, long nanos, boolean timed) throws InterruptedException {
        final Shared shared = this.shared;
        final long deadline = timed ? System.nanoTime() + nanos : 0L;
        int attempts = 0;
        for (;;) {
            // a parked receiver must look: it may have to step over the wrap padding an attempt
            // wrote before the record fits, and no commit will wake it meanwhile
            shared.wake();
            if (attempts < SPINS) {
                attempts++;
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            final WriteClaim claim = attemptAgain(length);
            if (claim != null) {
                return claim;
            }
            if (timed && System.nanoTime() - deadline >= 0) {
                return null;
            }
        }
    }

    /**
     * Claims {@code length} bytes if the ring has room now.
     *
     * @param length the payload length, from 1 to {@link #maxRecordLength()}
     * @return the claim, open for writing; or {@code null} when the ring is full
     * @throws IllegalArgumentException if {@code length} is zero, negative or
     *         above {@link #maxRecordLength()}
     * @throws ChannelClosedException if the receiver is closed
     * @throws IllegalStateException if this sender is closed or its previous
     *         claim is still open
     */
    public final WriteClaim trySend(int length) {
        checkOpen();
        return attempt(length);
    }

    /**
     * Wakes the receiver if it is parked waiting for a record, with a memory
     * fence first. A commit already wakes a parked receiver by itself (see
     * above), so this is not needed after one; it is the strict form: it
     * never misses a receiver that announced itself at the same moment, at
     * the cost of the fence whether the receiver is parked or not. When it
     * is, the first sender to get here, or to commit, takes the wake-up (a
     * compare-and-set) and unparks it once; the other senders find it taken
     * and do nothing.
     *
     * <p>Memory consistency effects: a receiver parked in {@code recv} when
     * this is called after a commit is woken and sees that record; it does
     * not sleep out even its first, short park slice.
     */
    public final void wake() {
        shared.wake();
    }

    /**
     * Whether the receiver has been closed; once true, {@link #send(int)} and
     * {@link #trySend(int)} throw {@link ChannelClosedException}.
     *
     * @return true when the receiver is closed
     */
    public final boolean isDisconnected() {
        return producer.isDisconnected();
    }

    /**
     * The ring's capacity in bytes (a power of two).
     *
     * @return the capacity
     */
    public final int capacity() {
        return producer.capacity();
    }

    /**
     * The longest payload a claim accepts: the capacity less the 8-byte header.
     *
     * @return the bound
     */
    public final int maxRecordLength() {
        return producer.maxRecordLength();
    }

    /**
     * Closes this sender: aborts its open claim, if any, and when it was the
     * last open sender, tells the receiver, which reports the disconnect once
     * it has received every committed record. Closing again does nothing.
     */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        // the producer aborts its open claim, then leaves the queue: the receiver must never wait on it
        producer.close();
        // a receiver parked on an empty ring must look: this may have been the last sender
        shared.wake();
    }

    /**
     * One claim, then a look at the receiver. The producer checks the length
     * first, so a bad length is an IllegalArgumentException whatever the
     * channel's state (a caller treating ChannelClosedException as a normal
     * shutdown must not swallow its own bug); a claim won from a ring whose
     * receiver has closed is aborted before the exception.
     */
    private WriteClaim attempt(int length) {
        return checked(producer.tryClaim(length));
    }

    /**
     * A retry inside a wait: as {@link #attempt}, but a refusal counts only
     * as a refused attempt, not as one more send that found the ring full.
     */
    private WriteClaim attemptAgain(int length) {
        return checked(producer.tryClaimAgain(length));
    }

    /** Aborts {@code claim} and throws if the receiver has closed; else returns it. */
    private WriteClaim checked(WriteClaim claim) {
        // acquire: pairs with the receiver's close (Consumer.close's release store)
        if (producer.isDisconnected()) {
            if (claim != null) {
                claim.abort();
            }
            throw receiverGone();
        }
        return claim;
    }

    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this sender is closed");
        }
    }

    private static ChannelClosedException receiverGone() {
        return new ChannelClosedException("the receiver is closed");
    }
}
