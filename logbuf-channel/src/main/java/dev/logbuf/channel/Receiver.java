package dev.logbuf.channel;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.Payload;
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
 * <p>Every way of taking records comes in three twins, named alike: one
 * that never waits ({@link #tryRecv()}, {@link #tryRead tryRead},
 * {@link #tryControlledRead tryControlledRead}), one that waits for as long
 * as it takes ({@link #recv()}, {@link #read(RecordHandler, int) read},
 * {@link #controlledRead(ControlledRecordHandler, int) controlledRead}) and
 * one that waits at most a timeout. The batch reads hand up to a limit of
 * records to a handler and give them back with one store:
 *
 * <pre>{@code
 * int read = receiver.read(payload -> journal.append(payload), 64);   // parks while idle
 * }</pre>
 *
 * <p>Waiting: the receiver first spins briefly, then parks with
 * {@link LockSupport#parkNanos}; a sender's commit unparks it. The first park
 * after the receiver announces itself lasts at most
 * {@value #FIRST_PARK_SLICE_MICROS} µs, which bounds how late a record whose
 * commit raced the announcement is found (see {@link Sender}); later parks
 * last at most {@value #PARK_SLICE_MILLIS} ms, which only bounds how late a
 * sender that was abandoned without being closed is noticed.
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
     * How long the first park after the receiver announces that it parks
     * lasts at most, in microseconds. A commit wakes a parked receiver by
     * itself without a memory fence (see {@link Sender}), so a commit made at
     * the very moment of the announcement can miss it; its record is found
     * when this slice ends. Later parks last up to {@link #PARK_SLICE_MILLIS}.
     */
    public static final long FIRST_PARK_SLICE_MICROS = 50;

    private static final long FIRST_PARK_SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(FIRST_PARK_SLICE_MICROS);

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
    /** The record a waiting recv's last attempt took, until recv returns it; owner thread only. */
    private ReadClaim taken;
    /** Counts what a waiting controlled read offers its handler; reused, owner thread only. */
    private final Offers offers = new Offers();

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
        return await(RECV, null, 1, Long.MAX_VALUE, false) == NOTHING ? null : taken();
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
        return await(RECV, null, 1, unit.toNanos(timeout), true) == NOTHING ? null : taken();
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
            next.putBack();
            return 0;
        }
        if (consumer.unblock() == Unblock.RECOVERED) {
            return tryControlledRead(handler, limit); // a dead claim held back the rest
        }
        throw sendersGone();
    }

    /**
     * Hands up to {@code limit} committed records after those already held to
     * {@code handler}, and keeps them in the ring until {@link #releaseHeld()}
     * (or hands them out again after {@link #rewindHeld()}); never waits. For
     * a receiver that must not let records go before somewhere else has them
     * (a Kafka shipper waiting for acknowledgements). See
     * {@link Consumer#hold(RecordHandler, int)}.
     *
     * <p>Disconnect: held records are still to be received, so this throws
     * {@link ChannelClosedException} only when every sender is closed, no
     * record is held and none is left.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to hand out, at least 1
     * @return the number of records handed out and now held; 0 when none was
     *         committed after those held
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received and released
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int tryHold(RecordHandler handler, int limit) {
        checkOpen();
        final int held = consumer.hold(handler, limit);
        if (held != 0 || !consumer.isDisconnected()) {
            return held;
        }
        // acquire (isDisconnected): every commit before the last close is visible to this look
        final int last = consumer.hold(handler, limit);
        if (last != 0 || consumer.heldCount() != 0) {
            return last; // records still held: they are still to be received
        }
        if (consumer.unblock() == Unblock.RECOVERED) {
            return tryHold(handler, limit); // a dead claim held back the rest
        }
        throw sendersGone();
    }

    /**
     * As {@link #tryHold(RecordHandler, int)}, waiting as {@link #recv()}
     * does, at most {@code timeout}, until there is at least one record to
     * hand out. A zero or negative timeout makes exactly one attempt.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to hand out, at least 1
     * @param timeout how long to wait at most
     * @return the number of records handed out and now held; 0 if none
     *         arrived in time
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared); no record is lost
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received and released
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int hold(RecordHandler handler, int limit, Duration timeout) throws InterruptedException {
        return readResult(await(HOLD, Objects.requireNonNull(handler, "handler"), limit,
                TimeUnit.NANOSECONDS.convert(timeout), true));
    }

    /**
     * Gives back every record {@link #tryHold} or {@link #hold} handed out
     * and kept. See {@link Consumer#releaseHeld()}.
     *
     * @throws IllegalStateException if this receiver is closed
     */
    public void releaseHeld() {
        checkOpen();
        consumer.releaseHeld();
    }

    /**
     * Gives back the first {@code records} of the held records, oldest first;
     * the rest stay held. See {@link Consumer#releaseHeld(int)}.
     *
     * @param records how many to give back, 0 to {@link #heldCount()}
     * @throws IllegalArgumentException if {@code records} is negative or more
     *         than are held
     * @throws IllegalStateException if this receiver is closed
     */
    public void releaseHeld(int records) {
        checkOpen();
        consumer.releaseHeld(records);
    }

    /**
     * Keeps the held records in the ring and stops holding them: they are
     * handed out again, from the first. See {@link Consumer#rewindHeld()}.
     *
     * @throws IllegalStateException if this receiver is closed
     */
    public void rewindHeld() {
        checkOpen();
        consumer.rewindHeld();
    }

    /**
     * The records held and not yet released. See {@link Consumer#heldCount()}.
     *
     * @return the records held
     */
    public int heldCount() {
        return consumer.heldCount();
    }

    /**
     * Identifies the channel's ring. See {@link Consumer#ringId()}.
     *
     * @return the ring's id, never 0
     */
    public long ringId() {
        return consumer.ringId();
    }

    /**
     * Hands up to {@code limit} committed records to {@code handler} and
     * releases them with one store, waiting as {@link #recv()} does until
     * there is at least one: the batch twin of {@code recv()}, woken by the
     * same commits. See {@link #tryRead(RecordHandler, int)}
     * for the read itself.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to read, at least 1
     * @return the number of records handled, at least 1
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared); no record is
     *         lost, and none was handed to {@code handler}
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int read(RecordHandler handler, int limit) throws InterruptedException {
        return readResult(await(READ, Objects.requireNonNull(handler, "handler"), limit, Long.MAX_VALUE, false));
    }

    /**
     * As {@link #read(RecordHandler, int)}, waiting at most {@code timeout}.
     * A zero or negative timeout makes exactly one attempt, as
     * {@link #tryRead(RecordHandler, int)} does.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to read, at least 1
     * @param timeout how long to wait at most
     * @return the number of records handled; 0 if none arrived in time
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared); no record is lost
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int read(RecordHandler handler, int limit, Duration timeout) throws InterruptedException {
        return read(handler, limit, TimeUnit.NANOSECONDS.convert(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #read(RecordHandler, int)}, waiting at most {@code timeout}
     * {@code unit}s. A zero or negative timeout makes exactly one attempt.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to read, at least 1
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return the number of records handled; 0 if none arrived in time
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared); no record is lost
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int read(RecordHandler handler, int limit, long timeout, TimeUnit unit) throws InterruptedException {
        return readResult(await(READ, Objects.requireNonNull(handler, "handler"), limit, unit.toNanos(timeout), true));
    }

    /**
     * Hands up to {@code limit} committed records to {@code handler}, which
     * says after each what to do (see
     * {@link #tryControlledRead(ControlledRecordHandler, int)}), waiting as
     * {@link #recv()} does until there is a record to offer it. It returns
     * once the handler has been offered at least one record: if the handler
     * aborts the first, that is 0, and the record stays in the ring, handed
     * out first next time.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to consume, at least 1
     * @return the number of records consumed; 0 when the handler aborted the first
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared); no record is
     *         lost, and none was offered to {@code handler}
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int controlledRead(ControlledRecordHandler handler, int limit) throws InterruptedException {
        return readResult(await(CONTROLLED_READ, Objects.requireNonNull(handler, "handler"), limit, Long.MAX_VALUE,
                false));
    }

    /**
     * As {@link #controlledRead(ControlledRecordHandler, int)}, waiting at
     * most {@code timeout}. A zero or negative timeout makes exactly one
     * attempt, as {@link #tryControlledRead(ControlledRecordHandler, int)}
     * does.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to consume, at least 1
     * @param timeout how long to wait at most
     * @return the number of records consumed; 0 if none arrived in time or
     *         the handler aborted the first
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared); no record is lost
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int controlledRead(ControlledRecordHandler handler, int limit, Duration timeout)
            throws InterruptedException {
        return controlledRead(handler, limit, TimeUnit.NANOSECONDS.convert(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #controlledRead(ControlledRecordHandler, int)}, waiting at
     * most {@code timeout} {@code unit}s. A zero or negative timeout makes
     * exactly one attempt.
     *
     * @param handler receives each record's payload; must not call this receiver
     * @param limit the most records to consume, at least 1
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return the number of records consumed; 0 if none arrived in time or
     *         the handler aborted the first
     * @throws InterruptedException if the thread is interrupted before or
     *         while waiting (its interrupted status is cleared); no record is lost
     * @throws ChannelClosedException if every sender is closed and every
     *         record they committed has been received
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws IllegalStateException if this receiver is closed or a record of
     *         it is still open
     */
    public int controlledRead(ControlledRecordHandler handler, int limit, long timeout, TimeUnit unit)
            throws InterruptedException {
        return readResult(await(CONTROLLED_READ, Objects.requireNonNull(handler, "handler"), limit,
                unit.toNanos(timeout), true));
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
     * The longest payload a record can have: the capacity less the 8-byte
     * header, what the senders' {@code maxRecordLength()} says.
     *
     * @return the bound
     */
    public int maxRecordLength() {
        return consumer.maxRecordLength();
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

    /** What a waiting call does at each look: see {@link #attempt}. */
    private static final int RECV = 0;
    private static final int READ = 1;
    private static final int CONTROLLED_READ = 2;
    private static final int HOLD = 3;

    /** An attempt that found nothing to take, or a timed wait that ran out. */
    private static final int NOTHING = -1;

    /**
     * The wait every blocking receive shares (recv, read, controlledRead):
     * attempt; spin a little; then announce this thread as the waiter, look
     * once more, and park (a short first slice, then long ones while still
     * announced), until an attempt takes something, the deadline passes or
     * the thread is interrupted. One wait loop, one handshake with the
     * senders' commits and {@link Sender#wake()}, whatever is taken.
     *
     * @return what the attempt that ended the wait returned; {@link #NOTHING}
     *         when a timed wait ran out
     */
    private int await(int kind, Object handler, int limit, long nanos, boolean timed) throws InterruptedException {
        checkOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int result = attempt(kind, handler, limit);
        if (result != NOTHING || (timed && nanos <= 0)) {
            return result;
        }
        final long deadline = timed ? System.nanoTime() + nanos : 0L;
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if ((result = attempt(kind, handler, limit)) != NOTHING) {
                return result;
            }
        }
        final Thread me = Thread.currentThread();
        for (;;) {
            shared.announceWaiter(me);
            try {
                // the first park after announcing is short: a commit made at the moment of the
                // announcement may have missed it (its look at the waiter is not fenced, see Shared),
                // and its header, not yet visible to the look below, is within this slice
                long slice = FIRST_PARK_SLICE_NANOS;
                for (;;) {
                    // a look after announcing: pairs with the fence in Sender.wake, and finds what a
                    // commit that missed the announcement published
                    if ((result = attempt(kind, handler, limit)) != NOTHING) {
                        return result;
                    }
                    final long wait;
                    if (timed) {
                        wait = Math.min(deadline - System.nanoTime(), slice);
                        if (wait <= 0) {
                            return NOTHING;
                        }
                    } else {
                        wait = slice;
                    }
                    parks++; // only this thread writes it
                    LockSupport.parkNanos(this, wait);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    if (!shared.stillWaiting(me)) {
                        break; // a sender took the wake-up: look, then announce anew
                    }
                    // still announced after a whole first slice: every commit since sees it, so the
                    // slice now only bounds how late an abandoned sender is noticed
                    slice = PARK_SLICE_NANOS;
                }
            } finally {
                shared.clearWaiter();
            }
            if ((result = attempt(kind, handler, limit)) != NOTHING) {
                return result;
            }
        }
    }

    /**
     * One look of a waiting call, without waiting: {@link #NOTHING} when
     * there was nothing to take; else the record count (recv: 1, the record
     * kept in {@link #taken}). A controlled read is done once its handler was
     * offered a record, whatever it did with it.
     */
    private int attempt(int kind, Object handler, int limit) {
        switch (kind) {
            case RECV: {
                final ReadClaim record = tryRecv();
                taken = record;
                return record == null ? NOTHING : 1;
            }
            case READ: {
                final int read = tryRead((RecordHandler) handler, limit);
                return read == 0 ? NOTHING : read;
            }
            case HOLD: {
                final int held = tryHold((RecordHandler) handler, limit);
                return held == 0 ? NOTHING : held;
            }
            default: {
                final Offers counting = offers;
                counting.handler = (ControlledRecordHandler) handler;
                counting.offered = 0;
                try {
                    final int consumed = tryControlledRead(counting, limit);
                    return counting.offered == 0 ? NOTHING : consumed;
                } finally {
                    counting.handler = null;
                }
            }
        }
    }

    /** The record a waiting recv took, handed over once. */
    private ReadClaim taken() {
        final ReadClaim record = taken;
        taken = null;
        return record;
    }

    /** A waiting read's count: 0 for a timed wait that ran out. */
    private static int readResult(int result) {
        return result == NOTHING ? 0 : result;
    }

    /**
     * A controlled read's handler, counting the records offered to it, so a
     * waiting controlled read can tell "nothing committed" from "the handler
     * aborted the first". One per receiver, reused: nothing allocated per read.
     */
    private static final class Offers implements ControlledRecordHandler {
        ControlledRecordHandler handler;
        int offered;

        @Override
        public Action onRecord(Payload payload) {
            offered++;
            return handler.onRecord(payload);
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
