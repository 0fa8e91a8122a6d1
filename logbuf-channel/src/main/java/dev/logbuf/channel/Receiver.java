package dev.logbuf.channel;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.StallListener;
import dev.logbuf.queue.Unblock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The receiving side of a channel (SPSC or MPSC alike): takes committed
 * records in order, waiting when there are none.
 *
 * <pre>{@code
 * try {
 *     for (;;) {
 *         try (ReadClaim record = receiver.recv()) {   // parks while idle
 *             journal.write(record.buffer());
 *         }
 *     }
 * } catch (ChannelClosedException everySenderClosed) {
 *     // every record committed before the last sender closed was received
 * }
 * }</pre>
 *
 * <p>Waiting: the receiver first spins briefly, then parks with
 * {@link LockSupport#parkNanos}; a sender's {@link Sender#wake()} after a
 * commit unparks it. The park slice ({@value #PARK_SLICE_MILLIS} ms) only
 * bounds how late a sender that was abandoned without being closed is
 * noticed; it is never how a record is noticed.
 *
 * <p>Disconnect: once every sender is closed, the receiver still hands out
 * every record they committed; only then do {@link #recv()} and its siblings
 * throw {@link ChannelClosedException}. Nothing committed is lost to that race.
 *
 * <p>Dead senders: a claim whose thread terminated, or whose sender was
 * collected, before it was committed would hold back every record claimed
 * after it. Once such a claim has held the head for {@link #unblockAfter}
 * (default {@value #UNBLOCK_AFTER_MILLIS} ms), the receiver steps over it, as
 * if it had been aborted. A claim held by a live thread is never taken away:
 * it is reported to the {@linkplain #stallListener stall listener} and counted
 * in {@link #stats()}, and its record arrives when its thread commits it.
 *
 * <p>Threading: used by one thread at a time.
 */
public final class Receiver implements AutoCloseable {

    /** How long one park lasts at most, in milliseconds. */
    public static final long PARK_SLICE_MILLIS = 100;

    private static final long PARK_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(PARK_SLICE_MILLIS);

    /**
     * How long a claim may hold the head, by default, before the receiver
     * looks at its owner, in milliseconds: one park slice. Recovery never
     * takes a live thread's claim, so this bounds only how long a dead claim
     * holds back the records behind it, and how soon a live one is reported
     * as a stall. A claim is normally held for the time of a copy
     * (nanoseconds to microseconds); one held for 100 ms is dead, descheduled
     * or paused, and worth a look, while looking costs one registry lookup
     * and {@link Thread#isAlive()} per period, only while a claim holds the
     * head.
     */
    public static final long UNBLOCK_AFTER_MILLIS = PARK_SLICE_MILLIS;

    /** Empty looks that spin before the receiver parks (a few microseconds). */
    private static final int SPINS = 256;

    private final Consumer consumer;
    private final Shared shared;
    /** Whether this receiver was closed; touched by its owner thread only. */
    private boolean closed;
    /** Times this receiver parked; owner thread writes, any thread reads (a snapshot). */
    private volatile long parks;

    Receiver(Consumer consumer, Shared shared) {
        this.consumer = consumer;
        this.shared = shared;
        consumer.unblockAfter(Duration.ofMillis(UNBLOCK_AFTER_MILLIS));
    }

    /**
     * Takes the next record if one is committed; never waits.
     *
     * @return the record, valid until closed; or {@code null} when none is
     *         committed and at least one sender is open
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalStateException if this receiver is closed or its
     *         previous record is still open
     */
    public ReadClaim tryRecv() {
        checkOpen();
        final ReadClaim record = consumer.tryClaim();
        if (record != null) {
            return record;
        }
        return lastLook();
    }

    /**
     * Takes the next record, waiting for as long as it takes.
     *
     * @return the record, valid until closed
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared, as
     *         {@link java.util.concurrent.BlockingQueue#take()} does); no
     *         record is lost
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalStateException if this receiver is closed or its
     *         previous record is still open
     */
    public ReadClaim recv() throws InterruptedException {
        return await(Long.MAX_VALUE, false);
    }

    /**
     * Takes the next record, waiting at most {@code timeout}. A zero or
     * negative timeout makes exactly one attempt.
     *
     * @param timeout how long to wait at most
     * @return the record, valid until closed; or {@code null} if none arrived in time
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared); no record is lost
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalStateException if this receiver is closed or its
     *         previous record is still open
     */
    public ReadClaim recv(Duration timeout) throws InterruptedException {
        return recv(TimeUnit.NANOSECONDS.convert(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Takes the next record, waiting at most {@code timeout} {@code unit}s. A
     * zero or negative timeout makes exactly one attempt.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return the record, valid until closed; or {@code null} if none arrived in time
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared); no record is lost
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalStateException if this receiver is closed or its
     *         previous record is still open
     */
    public ReadClaim recv(long timeout, TimeUnit unit) throws InterruptedException {
        return await(unit.toNanos(timeout), true);
    }

    /**
     * Hands up to {@code limit} committed records to {@code handler} and
     * releases them with one store; never waits. See
     * {@link Consumer#read(RecordHandler, int)}.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to read, at least 1
     * @return the number of records handled; 0 when none was committed and at
     *         least one sender is open
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int tryRead(RecordHandler handler, int limit) {
        checkOpen();
        final int read = consumer.read(handler, limit);
        if (read != 0) {
            return read;
        }
        if (consumer.isDisconnected()) {
            // every commit is visible now: one more batch, then the disconnect
            final int last = consumer.read(handler, limit);
            if (last != 0) {
                return last;
            }
            if (consumer.unblock() == Unblock.RECOVERED) {
                return tryRead(handler, limit); // a dead claim held back the rest
            }
            throw sendersGone();
        }
        return 0;
    }

    /**
     * Hands up to {@code limit} committed records to {@code handler}, which
     * says after each whether to go on, stop, leave the record in the ring,
     * or give back what was read so far; never waits. See
     * {@link Consumer#controlledRead(ControlledRecordHandler, int)} and
     * {@link ControlledRecordHandler} for what each action, and a handler
     * that throws, does to the record in hand: a record the handler aborts
     * (or throws on) stays in the ring and is handed out first next time.
     *
     * <p>Disconnect: a record left in the ring is still to be received, so
     * this throws {@link ChannelClosedException} only when every sender is
     * closed and no record is left, never while the handler keeps aborting.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to consume, at least 1
     * @return the number of records consumed; 0 when none was committed (and
     *         at least one sender is open) or the handler aborted the first
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int tryControlledRead(ControlledRecordHandler handler, int limit) {
        checkOpen();
        final int read = consumer.controlledRead(handler, limit);
        if (read != 0 || !consumer.isDisconnected()) {
            return read;
        }
        // acquire (isDisconnected): every commit before the last close is visible to this look. A
        // record here was aborted by the handler or committed since: not the end. It goes back
        // unconsumed, so the handler is not offered the same record twice in one call
        final ReadClaim next = consumer.tryClaim();
        if (next != null) {
            next.abort();
            return 0;
        }
        if (consumer.unblock() == Unblock.RECOVERED) {
            return tryControlledRead(handler, limit); // a dead claim held back the rest
        }
        throw sendersGone();
    }

    /**
     * Whether every sender has been closed. Records they committed may still
     * be waiting: the receive methods hand them out before they report the
     * disconnect.
     *
     * @return true when no sender is open
     */
    public boolean isDisconnected() {
        return consumer.isDisconnected();
    }

    /**
     * Sets how long a claim may hold the head before the receiver looks at
     * its owner: it then steps over the claim if the owner is gone (thread
     * terminated, sender closed or collected), or reports a stall if the
     * owner is alive. See {@link Consumer#unblock()}.
     *
     * @param after the delay; {@code null} turns the automatic look off
     *        ({@link #unblock()} still works on demand)
     * @throws IllegalArgumentException if {@code after} is negative
     */
    public void unblockAfter(Duration after) {
        consumer.unblockAfter(after);
    }

    /**
     * Looks at what holds the head now, stepping over a dead claim; see
     * {@link Consumer#unblock()}.
     *
     * @return what held the head
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public Unblock unblock() {
        checkOpen();
        return consumer.unblock();
    }

    /**
     * Sets what is told about a claim held by a live sender thread; see
     * {@link Consumer#stallListener(StallListener)}.
     *
     * @param listener the listener, or {@code null} for none
     */
    public void stallListener(StallListener listener) {
        consumer.stallListener(listener);
    }

    /**
     * A snapshot of the channel's queue and of the receiver's waiting, from
     * any thread.
     *
     * @return the snapshot
     */
    public ChannelStats stats() {
        return new ChannelStats(consumer.stats(), parks, shared.wakeups());
    }

    /**
     * The ring's capacity in bytes (a power of two).
     *
     * @return the capacity
     */
    public int capacity() {
        return consumer.capacity();
    }

    /**
     * Closes the receiver. Senders then throw {@link ChannelClosedException}
     * from {@code send} and {@code trySend}, including one spinning on a full
     * ring. Records still in the ring are dropped. Closing again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // release: pairs with the senders' acquire in Producer.isDisconnected
        consumer.close();
    }

    private ReadClaim await(long nanos, boolean timed) throws InterruptedException {
        checkOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ReadClaim record = tryRecv();
        if (record != null || (timed && nanos <= 0)) {
            return record;
        }
        final long deadline = timed ? System.nanoTime() + nanos : 0L;
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if ((record = tryRecv()) != null) {
                return record;
            }
        }
        final Thread me = Thread.currentThread();
        for (;;) {
            final long wait;
            if (timed) {
                wait = Math.min(deadline - System.nanoTime(), PARK_SLICE_NANOS);
                if (wait <= 0) {
                    return null;
                }
            } else {
                wait = PARK_SLICE_NANOS;
            }
            shared.announceWaiter(me);
            try {
                // second look after announcing: pairs with the fence in Sender.wake
                if ((record = tryRecv()) != null) {
                    return record;
                }
                parks++; // only this thread writes it
                LockSupport.parkNanos(this, wait);
            } finally {
                shared.clearWaiter();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if ((record = tryRecv()) != null) {
                return record;
            }
        }
    }

    /** The ring looked empty: if no sender is left, look once more, then report the disconnect. */
    private ReadClaim lastLook() {
        if (consumer.isDisconnected()) {
            // acquire: every commit before the last close is visible to this look
            final ReadClaim record = consumer.tryClaim();
            if (record != null) {
                return record;
            }
            if (consumer.unblock() == Unblock.RECOVERED) {
                return tryRecv(); // a dead claim held back the rest
            }
            throw sendersGone();
        }
        return null;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this receiver is closed");
        }
    }

    private static ChannelClosedException sendersGone() {
        return new ChannelClosedException("every sender is closed and every record was received");
    }
}
