package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Threads that die on purpose, for the recovery suites. */
final class Threads {

    /** Thrown by {@link #dieIn} bodies: the thread dies of it between claim and commit. */
    static final class Doomed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Doomed() {
            super("dies mid-claim on purpose", null, false, false);
        }
    }

    private Threads() {
    }

    /**
     * Runs {@code body} on a new thread that then dies of an uncaught
     * {@link Doomed}, and waits until it has terminated.
     *
     * @return the terminated thread
     */
    static Thread dieIn(Runnable body) {
        final AtomicReference<Throwable> uncaught = new AtomicReference<>();
        final Thread thread = new Thread(() -> {
            body.run();
            throw new Doomed();
        }, "doomed-producer");
        thread.setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
        thread.start();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for the doomed thread");
        }
        assertFalse(thread.isAlive(), "the doomed thread did not terminate in 60 s");
        if (!(uncaught.get() instanceof Doomed)) {
            fail("the doomed thread died of something else", uncaught.get());
        }
        return thread;
    }
}
