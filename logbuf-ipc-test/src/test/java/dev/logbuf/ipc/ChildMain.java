package dev.logbuf.ipc;

import dev.logbuf.queue.Backoff;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The child processes' side of {@link Child}: arguments and stdout lines as
 * {@code key=value} fields, a deadline, and a watchdog.
 *
 * <p>A child exits with status 0 when its job checks out, 1 when it ran but
 * found a fault (described on stderr), 2 when it threw, 3 when the test JVM
 * went away, 4 when its deadline passed. It must never outlive the test: its
 * stdin is a pipe from the test JVM, and end-of-file there (the test JVM
 * died, even by SIGKILL) halts it.
 */
final class ChildMain {

    /** A child's job, given its arguments; returns the exit status. */
    @FunctionalInterface
    interface Job {
        int run(Args args) throws Exception;
    }

    static final int OK = 0;
    static final int FAULT = 1;
    static final int THREW = 2;
    static final int ORPHANED = 3;
    static final int TIMED_OUT = 4;

    private ChildMain() {
    }

    /** Runs {@code job} as the whole of a child's main method, then exits with its status. */
    static void run(String[] argv, Job job) {
        final Thread watchdog = new Thread(ChildMain::haltWhenParentGone, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int status;
        try {
            status = job.run(new Args(fields(String.join(" ", argv))));
        } catch (DeadlineException e) {
            System.err.println(e.getMessage());
            status = TIMED_OUT;
        } catch (Throwable t) {
            t.printStackTrace();
            status = THREW;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Prints one protocol line on stdout, at once. */
    static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    /** The {@code key=value} fields of a line (a word without '=' maps to ""). */
    static Map<String, String> fields(String line) {
        final Map<String, String> fields = new LinkedHashMap<>();
        for (String token : line.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            final int eq = token.indexOf('=');
            if (eq < 0) {
                fields.put(token, "");
            } else {
                fields.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return fields;
    }

    /** The poll backoff children use while the ring is full or empty: spins, yields, then short parks. */
    static Backoff backoff() {
        return Backoff.progressive(100, 10, Duration.ofNanos(10_000), Duration.ofMillis(1));
    }

    /**
     * Blocks until the process is killed; if that never comes, throws once the
     * deadline has passed (exit status {@link #TIMED_OUT}).
     */
    static void awaitKill(Args args, String holding) throws InterruptedException {
        for (;;) {
            args.checkDeadline(holding + " until killed");
            Thread.sleep(50);
        }
    }

    private static void haltWhenParentGone() {
        try {
            while (System.in.read() >= 0) {
                // nothing is sent; only the end matters
            }
        } catch (IOException e) {
            // the same: the parent is gone
        }
        Runtime.getRuntime().halt(ORPHANED);
    }

    /** A child's arguments, with typed getters that fail on a missing key. */
    static final class Args {
        private final Map<String, String> fields;
        private final long deadline;

        Args(Map<String, String> fields) {
            this.fields = fields;
            this.deadline = System.nanoTime() + Duration.ofSeconds(longValue("deadline", 45)).toNanos();
        }

        String string(String key) {
            final String value = fields.get(key);
            if (value == null) {
                throw new NoSuchElementException("missing argument " + key + "= in " + fields);
            }
            return value;
        }

        String string(String key, String otherwise) {
            return fields.getOrDefault(key, otherwise);
        }

        long longValue(String key) {
            return Long.parseLong(string(key));
        }

        long longValue(String key, long otherwise) {
            return fields.containsKey(key) ? longValue(key) : otherwise;
        }

        int intValue(String key, int otherwise) {
            return Math.toIntExact(longValue(key, otherwise));
        }

        Path path(String key) {
            return Path.of(string(key));
        }

        SharedRing.Kind kind() {
            return SharedRing.Kind.parse(string("kind"));
        }

        /** Whether the child's deadline has passed. */
        boolean deadlinePassed() {
            return System.nanoTime() - deadline > 0;
        }

        /**
         * Throws if the child's deadline ({@code deadline=} seconds from its
         * start, 45 by default) has passed.
         */
        void checkDeadline(String doing) {
            if (deadlinePassed()) {
                throw new DeadlineException("deadline passed while " + doing);
            }
        }
    }

    /** The child ran out of time: exit status {@link #TIMED_OUT}. */
    static final class DeadlineException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadlineException(String message) {
            super(message);
        }
    }
}
