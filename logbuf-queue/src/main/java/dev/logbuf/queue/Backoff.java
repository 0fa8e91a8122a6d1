package dev.logbuf.queue;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How a thread that polls waits between polls that found nothing: the
 * consumer of a ring shared between processes, which no producer can wake
 * (a {@link LockSupport#unpark} does not reach another process), or any
 * polling loop.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.progressive(100, 10, Duration.ofNanos(1_000), Duration.ofMillis(1));
 * while (running) {
 *     if (consumer.read(handler, 64) == 0) {
 *         backoff.idle();     // nothing: wait a little longer each time
 *     } else {
 *         backoff.reset();    // work: poll again at once
 *     }
 * }
 * }</pre>
 *
 * <p>The choice trades wake-up latency for CPU: spinning answers within
 * nanoseconds and keeps a core busy; parking frees the core and answers no
 * sooner than the OS wakes the thread (tens of microseconds and more, see
 * {@code docs/IPC.md} for figures measured between processes). A backoff is
 * stateful: one instance per polling thread.
 */
public interface Backoff {

    /** Waits once, after a poll that found nothing; a progressive backoff waits longer each time. */
    void idle();

    /** Starts over, after a poll that found work. */
    void reset();

    /**
     * Busy-spins ({@link Thread#onSpinWait()}): the lowest latency, a whole core.
     *
     * @return a new backoff
     */
    static Backoff spinning() {
        return new ProgressiveBackoff(Long.MAX_VALUE, 0, 0, 0);
    }

    /**
     * Yields the processor ({@link Thread#yield()}) at each idle poll.
     *
     * @return a new backoff
     */
    static Backoff yielding() {
        return new ProgressiveBackoff(0, Long.MAX_VALUE, 0, 0);
    }

    /**
     * Parks for {@code park} at each idle poll ({@link LockSupport#parkNanos}).
     * On Linux a park lasts at least about 75 µs whatever is asked (the
     * default timer slack is 50 µs, plus the wake-up): parks shorter than
     * about 50 µs cost more CPU for no lower latency ({@code docs/IPC.md}).
     *
     * @param park how long, at least one nanosecond
     * @return a new backoff
     * @throws IllegalArgumentException if {@code park} is zero or negative
     */
    static Backoff parking(Duration park) {
        final long nanos = ProgressiveBackoff.positive(park, "park");
        return new ProgressiveBackoff(0, 0, nanos, nanos);
    }

    /**
     * Spins {@code spins} times, then yields {@code yields} times, then parks
     * for {@code minPark}, doubling at each idle poll up to {@code maxPark};
     * {@link #reset()} starts over with spinning.
     *
     * @param spins idle polls answered by a spin, 0 or more
     * @param yields idle polls answered by a yield after the spins, 0 or more
     * @param minPark the first park, at least one nanosecond
     * @param maxPark the longest park, at least {@code minPark}
     * @return a new backoff
     * @throws IllegalArgumentException if a count is negative, a park is not
     *         positive, or {@code maxPark} is shorter than {@code minPark}
     */
    static Backoff progressive(int spins, int yields, Duration minPark, Duration maxPark) {
        if (spins < 0 || yields < 0) {
            throw new IllegalArgumentException("spins " + spins + " and yields " + yields + " must not be negative");
        }
        final long min = ProgressiveBackoff.positive(minPark, "minPark");
        final long max = ProgressiveBackoff.positive(maxPark, "maxPark");
        if (max < min) {
            throw new IllegalArgumentException("maxPark " + maxPark + " is shorter than minPark " + minPark);
        }
        return new ProgressiveBackoff(spins, yields, min, max);
    }
}
