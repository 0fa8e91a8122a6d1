package dev.logbuf.jcstress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One actor's thread, published so that the other actor of the same sample
 * can {@link Thread#interrupt()} it, and taken back before the actor returns,
 * so that no interrupt outlives the sample: jcstress runs the next sample's
 * actors (and its own code) on the same thread.
 *
 * <p>The target {@link #register()}s at the start of its actor and
 * {@link #withdraw()}s at the end; the other actor calls {@link #interrupt()},
 * after {@link #awaitRegistered()} when it must not miss the target.
 * Exactly one of {@code withdraw}'s compare-and-set and {@code interrupt}'s
 * get-and-set takes the thread out (both volatile), so either the interrupt
 * is never sent, or it is sent while the target is still inside its actor
 * and {@code withdraw} waits until it has landed. The target then reads and
 * clears its interrupted status with {@link Thread#interrupted()}.
 */
final class InterruptTarget {

    private static final VarHandle THREAD;
    private static final VarHandle REGISTERED;
    private static final VarHandle SENT;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            THREAD = lookup.findVarHandle(InterruptTarget.class, "thread", Thread.class);
            REGISTERED = lookup.findVarHandle(InterruptTarget.class, "registered", boolean.class);
            SENT = lookup.findVarHandle(InterruptTarget.class, "sent", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The registered thread; null before register, and once withdrawn or taken by interrupt. */
    @SuppressWarnings("unused") // through THREAD
    private Thread thread;
    /** Set by register() and never cleared (thread is cleared again; this is what the other actor waits on). */
    @SuppressWarnings("unused") // through REGISTERED
    private boolean registered;
    /** Set once interrupt() has returned from Thread.interrupt(). */
    @SuppressWarnings("unused") // through SENT
    private boolean sent;

    /** Target actor, first thing: makes the current thread interruptible by the other actor. */
    void register() {
        // volatile: pairs with interrupt's getAndSet
        THREAD.setVolatile(this, Thread.currentThread());
        // volatile, after the thread: pairs with awaitRegistered
        REGISTERED.setVolatile(this, true);
    }

    /**
     * Other actor: waits until the target has registered. It registers first
     * thing in its actor, before anything that could wait for this actor, so
     * the wait is short and cannot deadlock; it waits on a flag that stays
     * set, not on the thread, so a target that has already withdrawn does
     * not hold it either.
     */
    void awaitRegistered() {
        while (!(boolean) REGISTERED.getVolatile(this)) {
            Thread.onSpinWait();
        }
    }

    /**
     * Other actor: interrupts the registered thread, if it is still
     * registered.
     *
     * @return whether it sent the interrupt (false: the target had not
     *         registered yet, or had already withdrawn)
     */
    boolean interrupt() {
        // volatile getAndSet: exactly one of this and withdraw's CAS takes the thread
        final Thread target = (Thread) THREAD.getAndSet(this, null);
        if (target == null) {
            return false;
        }
        target.interrupt();
        // volatile: pairs with withdraw's wait; the interrupt has landed before this store
        SENT.setVolatile(this, true);
        return true;
    }

    /**
     * Target actor, last thing before it reads its interrupted status: no
     * interrupt can be sent after this returns.
     *
     * @return whether the other actor interrupted this thread (the interrupt
     *         has landed by the time this returns)
     */
    boolean withdraw() {
        if (THREAD.compareAndSet(this, Thread.currentThread(), null)) {
            return false; // never interrupted, and now it cannot be
        }
        // interrupt() took the thread: wait the few instructions until its interrupt has landed
        while (!(boolean) SENT.getVolatile(this)) {
            Thread.onSpinWait();
        }
        return true;
    }
}
