package dev.logbuf.testkit;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends a call that should have returned long ago, so that a contract fails
 * instead of hanging: {@link #arm} schedules an action (closing the receiver a
 * {@code send} spins on, say) on one shared daemon thread, and
 * {@link Armed#disarm()} cancels it once the call returned and says whether
 * it had to fire. Arming costs a queue insertion, not a thread.
 */
final class Watchdog {

    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        final Thread t = new Thread(r, "logbuf-testkit-watchdog");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Watchdog() {
    }

    /**
     * Runs {@code action} on the watchdog thread after {@code after}, unless disarmed first.
     *
     * @param after how long the guarded call may take
     * @param action what ends it; runs on another thread, so it must be safe to call from there
     * @return the armed watchdog
     */
    static Armed arm(Duration after, Runnable action) {
        final AtomicBoolean fired = new AtomicBoolean();
        final ScheduledFuture<?> future = TIMER.schedule(() -> {
            fired.set(true); // before the action: a disarm racing with it reports the firing
            action.run();
        }, Math.max(1, after.toNanos()), TimeUnit.NANOSECONDS);
        return new Armed(future, fired);
    }

    /** An armed watchdog. */
    static final class Armed {
        private final ScheduledFuture<?> future;
        private final AtomicBoolean fired;

        private Armed(ScheduledFuture<?> future, AtomicBoolean fired) {
            this.future = future;
            this.fired = fired;
        }

        /**
         * Cancels the action if it has not run.
         *
         * @return whether it fired (the guarded call overran its bound)
         */
        boolean disarm() {
            future.cancel(false);
            return fired.get();
        }
    }
}
