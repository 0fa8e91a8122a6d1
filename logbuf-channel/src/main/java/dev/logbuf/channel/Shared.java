package dev.logbuf.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The state both sides of one channel share besides the ring: how many
 * senders are open, whether the receiver is closed, and which thread (if any)
 * is parked in the receiver.
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
     * Disconnect: a sender's close decrements `senders` with a volatile
     * read-modify-write, after all of its commits. A receiver that reads 0
     * (acquire) therefore sees every committed header, and looks at the ring
     * once more before it reports the disconnect.
     */

    private static final VarHandle SENDERS;
    private static final VarHandle RECEIVER_CLOSED;
    private static final VarHandle WAITER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SENDERS = lookup.findVarHandle(Shared.class, "senders", int.class);
            RECEIVER_CLOSED = lookup.findVarHandle(Shared.class, "receiverClosed", boolean.class);
            WAITER = lookup.findVarHandle(Shared.class, "waiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through SENDERS
    private int senders = 1;
    @SuppressWarnings("unused") // accessed through RECEIVER_CLOSED
    private boolean receiverClosed;
    @SuppressWarnings("unused") // accessed through WAITER
    private Thread waiter;

    /** A new sender joins; called by an open sender, so the count is at least 1. */
    void senderOpened() {
        // volatile: a receiver that later reads the count sees this sender
        SENDERS.getAndAdd(this, 1);
    }

    /** A sender leaves, after all of its commits; the last one wakes the receiver. */
    void senderClosed() {
        // volatile RMW: pairs with the receiver's sendersAcquire; every commit before it is visible
        if ((int) SENDERS.getAndAdd(this, -1) == 1) {
            wake();
        }
    }

    /** Receiver: the number of open senders; pairs with the RMW in {@link #senderClosed}. */
    int sendersAcquire() {
        return (int) SENDERS.getAcquire(this);
    }

    /** Receiver: marks the receiver closed; pairs with {@link #receiverClosedAcquire}. */
    void closeReceiver() {
        RECEIVER_CLOSED.setRelease(this, true);
    }

    /** Sender: whether the receiver is closed; pairs with {@link #closeReceiver}. */
    boolean receiverClosedAcquire() {
        return (boolean) RECEIVER_CLOSED.getAcquire(this);
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
     * Receiver: no longer parked. Opaque: a sender that still sees the old
     * value makes one spurious unpark, which the park loop tolerates.
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
        if (parked != null) {
            LockSupport.unpark(parked);
            return true;
        }
        return false;
    }
}
