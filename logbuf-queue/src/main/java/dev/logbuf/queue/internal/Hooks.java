package dev.logbuf.queue.internal;

import dev.logbuf.queue.Producer;
import java.util.Objects;

/**
 * Not API: lets {@code dev.logbuf.channel} attach a {@link CommitHook} to the
 * producer handles it creates, without widening {@code dev.logbuf.queue}'s
 * public API. {@code dev.logbuf.queue} installs the one {@link Attacher}
 * when its producer handles' class is initialized, which happens before any
 * handle exists to be passed here.
 */
public final class Hooks {

    /** What {@code dev.logbuf.queue} installs: sets a handle's hook. */
    public interface Attacher {

        /**
         * Sets {@code hook} on {@code producer}'s claim flyweight.
         *
         * @param producer a handle of this module's queues
         * @param hook what its commits run afterwards
         */
        void attach(Producer producer, CommitHook hook);
    }

    /** Set once, by dev.logbuf.queue's class initialization; read after a handle exists (safely published by it). */
    private static volatile Attacher attacher;

    private Hooks() {
    }

    /**
     * Called once, by {@code dev.logbuf.queue}.
     *
     * @param installed the attacher
     * @throws IllegalStateException if one is installed already
     */
    public static void install(Attacher installed) {
        Objects.requireNonNull(installed, "installed");
        if (attacher != null) {
            throw new IllegalStateException("a commit-hook attacher is installed already");
        }
        attacher = installed;
    }

    /**
     * Attaches {@code hook} to {@code producer}: each of its commits runs
     * {@link CommitHook#committed()} afterwards, on the committing thread.
     * Called before the handle is handed to the thread that uses it.
     *
     * @param producer the handle
     * @param hook the hook
     */
    public static void attach(Producer producer, CommitHook hook) {
        // volatile read: the handle's class initialization installed it before the handle existed
        attacher.attach(Objects.requireNonNull(producer, "producer"), Objects.requireNonNull(hook, "hook"));
    }
}
