package dev.logbuf.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The state both sides of one channel share besides the queue: which thread
 * (if any) is parked in the receiver, and how many times senders woke it.
 * Who is open and who has closed is the queue's business (its handles'
 * lifecycle); the channel adds only the waiting.
 */
final class Shared {

    /*
     * Wake-ups (a Dekker handshake, fenced on both sides):
     *
     *   receiver: waiter = me; fullFence; look at the ring; park
     *   sender:   commit (header release); fullFence; w = waiter; unpark(w)
     *
     * Each side stores, fences, then loads what the other stored. At least one
     * of them sees the other's store: either the receiver's second look finds
     * the record, or the sender finds the waiter and unparks it. Without the
     * sender's fence its load of waiter could pass its own header store
     * (store buffering), and both could miss each other: a wake-up lost until
     * the park slice ends. unpark before park is fine: the permit makes the
     * park return at once. A sender waiting in send on a full ring wakes the
     * same way after each attempt: the attempt may have published wrap
     * padding that the receiver must step over before the record fits.
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
     * Sender: unparks the receiver if it announced that it parks.
     *
     * @return whether a waiter was seen (and unparked); the handshake's
     *         jcstress scenario observes this
     */
    boolean wake() {
        // fence: pairs with announceWaiter's; orders the commit before the load of waiter
        VarHandle.fullFence();
        final Thread parked = (Thread) WAITER.getOpaque(this);
        // volatile CAS, only when a waiter is announced: the sender that clears the announcement
        // takes the wake-up; the others, seeing null (or losing the CAS), leave it to that one. No
        // record is left behind: the receiver wakes, looks, and announces itself again (with its
        // fence) before it parks again, and a sender that missed that announcement committed
        // before the look that follows it (the same Dekker pairing as above)
        if (parked != null && WAITER.compareAndSet(this, parked, (Thread) null)) {
            LockSupport.unpark(parked);
            // atomic: senders may count at once; only here, next to an unpark, never on the fast path
            WAKEUPS.getAndAdd(this, 1L);
            return true;
        }
        return false;
    }
}
