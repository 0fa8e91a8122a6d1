package dev.logbuf.channel;

import dev.logbuf.queue.internal.CommitHook;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The state both sides of one channel share besides the queue: which thread
 * (if any) is parked in the receiver, and how many times senders woke it.
 * Who is open and who has closed is the queue's business (its handles'
 * lifecycle); the channel adds only the waiting.
 */
final class Shared implements CommitHook {

    /*
     * Wake-ups. Every commit of a channel's sender looks for a parked receiver
     * by itself (committed(), run by the queue after the header is published):
     *
     *   receiver: waiter = me; fullFence; look at the ring; park(short slice);
     *             while still announced: look; park(long slice)
     *   commit:   header release; w = waiter (opaque, no fence); if w: take it, unpark(w)
     *
     * No fence on the commit's side: while the receiver is awake the commit
     * pays one load of a line the receiver writes only when it parks. The
     * price is the store-buffering window: the commit's load of waiter may
     * pass its own header store, so a commit made at the very moment the
     * receiver announces itself can miss the announcement while the
     * receiver's look misses the header. That header is in the store buffer,
     * visible within nanoseconds; so the receiver's first park after it
     * announces lasts a short slice (Receiver.FIRST_PARK_SLICE_MICROS), and
     * its next look finds such a record. A commit made after the announcement
     * is visible (the receiver's fence makes it so before its look) sees the
     * waiter; so later parks can be long. jcstress shows the window
     * (SelfWakeRace: both missed, acceptable) and that a visible announcement
     * is never missed (SelfWakeAnnounced).
     *
     * wake() keeps the strict form, a Dekker handshake fenced on both sides:
     *
     *   sender:   commit (header release); fullFence; w = waiter; unpark(w)
     *
     * Each side stores, fences, then loads what the other stored. At least one
     * of them sees the other's store: either the receiver's second look finds
     * the record, or the sender finds the waiter and unparks it. unpark before
     * park is fine: the permit makes the park return at once. A sender waiting
     * in send on a full ring wakes this way after each attempt: the attempt
     * may have published wrap padding that the receiver must step over before
     * the record fits.
     *
     * Disconnect is the queue's: a closing sender closes its producer handle
     * (which aborts its open claim, then leaves with a volatile
     * read-modify-write), then wakes the receiver, which looks at the ring
     * once more before it reports the disconnect.
     */

    private static final VarHandle WAITER;
    private static final VarHandle WAKEUPS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WAITER = lookup.findVarHandle(Shared.class, "waiter", Thread.class);
            WAKEUPS = lookup.findVarHandle(Shared.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through WAITER
    private Thread waiter;
    @SuppressWarnings("unused") // accessed through WAKEUPS
    private long wakeups;

    /** How many times a sender found the receiver parked and unparked it (a snapshot). */
    long wakeups() {
        return (long) WAKEUPS.getOpaque(this);
    }

    /**
     * Receiver: announces that {@code thread} is about to park. The fence pairs
     * with the one in {@link #wake}: after it, the receiver's next look at the
     * ring cannot miss a record whose sender missed this waiter.
     */
    void announceWaiter(Thread thread) {
        WAITER.setOpaque(this, thread);
        VarHandle.fullFence();
    }

    /**
     * Receiver: no longer parked (a sender that took the wake-up has already
     * cleared it). Opaque: a sender that still sees the old value may make
     * one spurious unpark, which the park loop tolerates.
     */
    void clearWaiter() {
        WAITER.setOpaque(this, (Thread) null);
    }

    /**
     * Receiver, after a park: whether {@code thread} is still announced, that
     * is, no sender took the wake-up. Opaque: a take not seen yet is seen at
     * the next look, and its unpark's permit ends the next park at once.
     */
    boolean stillWaiting(Thread thread) {
        return WAITER.getOpaque(this) == thread;
    }

    /**
     * Sender, after each commit (run by the queue on the committing thread):
     * unparks the receiver if it is announced. No fence: see the comment at
     * the top for the window this leaves and what covers it.
     */
    @Override
    public void committed() {
        // opaque: a load from memory each time; no fence, so it may pass this commit's header store
        // (the window Receiver's short first park slice covers)
        final Thread parked = (Thread) WAITER.getOpaque(this);
        if (parked != null) {
            take(parked);
        }
    }

    /**
     * Sender: unparks the receiver if it announced that it parks.
     *
     * @return whether a waiter was seen (and unparked); the handshake's
     *         jcstress scenario observes this
     */
    boolean wake() {
        // fence: pairs with announceWaiter's; orders the commit before the load of waiter
        VarHandle.fullFence();
        final Thread parked = (Thread) WAITER.getOpaque(this);
        return parked != null && take(parked);
    }

    /**
     * Takes the wake-up of {@code parked}, seen announced: unparks it unless
     * another sender took it first.
     *
     * @return whether this sender took it
     */
    private boolean take(Thread parked) {
        // volatile CAS, only when a waiter is announced: the sender that clears the announcement
        // takes the wake-up; the others, seeing null (or losing the CAS), leave it to that one. No
        // record is left behind: the receiver wakes, looks, and announces itself again (with its
        // fence) before it parks again, and a sender that missed that announcement committed
        // before the look that follows it (the same pairing as above)
        if (WAITER.compareAndSet(this, parked, (Thread) null)) {
            LockSupport.unpark(parked);
            // atomic: senders may count at once; only here, next to an unpark, never on the fast path
            WAKEUPS.getAndAdd(this, 1L);
            return true;
        }
        return false;
    }
}
