package dev.logbuf.channel;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.logbuf.queue.Payload;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Helpers of the channel tests: records that check themselves, threads that
 * fail the test instead of hanging it, and ways to know where another thread
 * is (parked in a receiver, spinning in a sender) without sleeping.
 *
 * <p>Timing: every bound here is generous (the tests share two loaded cores
 * with other builds); nothing waits without a deadline.
 */
final class TestSupport {

    /** The receiver's park slice in nanoseconds: what a lost wake-up costs. */
    static final long SLICE_NANOS = MILLISECONDS.toNanos(Receiver.PARK_SLICE_MILLIS);

    /** How long a helper thread may take before the test fails instead of hanging. */
    static final Duration JOIN = Duration.ofSeconds(20);

    /** How long a thread may take to reach a state the test waits for. */
    static final Duration REACH = Duration.ofSeconds(10);

    private TestSupport() {
    }

    // ------------------------------------------------------------------ records

    /** Sends one 8-byte record holding {@code value}, then wakes the receiver. */
    static void sendLong(Sender sender, long value) throws InterruptedException {
        try (WriteClaim claim = sender.send(Long.BYTES)) {
            claim.putLong(0, value);
            claim.commit();
        }
        sender.wake();
    }

    /** Receives one 8-byte record with {@link Receiver#recv()} and returns its value. */
    static long recvLong(Receiver receiver) throws InterruptedException {
        try (ReadClaim record = receiver.recv()) {
            assertEquals(Long.BYTES, record.length(), "record length");
            return record.getLong(0);
        }
    }

    /**
     * The payload length of the self-checking record {@code value}: 8 to 50
     * bytes, most of them not a multiple of 8, so a run of records crosses the
     * wrap with padding in many places.
     */
    static int lengthOf(long value) {
        return 8 + (int) Math.floorMod(value, 7L) * 7;
    }

    private static byte fill(long value, int index) {
        return (byte) (value * 31 + index);
    }

    /** Writes the self-checking record {@code value} into a claim of {@link #lengthOf} bytes. */
    static void write(WriteClaim claim, long value) {
        final int length = claim.length();
        assertEquals(lengthOf(value), length, "claim length");
        claim.putLong(0, value);
        for (int i = Long.BYTES; i < length; i++) {
            claim.putByte(i, fill(value, i));
        }
    }

    /** Sends the self-checking record {@code value} (spinning while full), then wakes the receiver. */
    static void sendRecord(Sender sender, long value) throws InterruptedException {
        try (WriteClaim claim = sender.send(lengthOf(value))) {
            write(claim, value);
            claim.commit();
        }
        sender.wake();
    }

    /**
     * Checks a self-checking record's payload, read through its own getters
     * (a {@link ReadClaim} or a batch handler's {@link Payload}).
     *
     * @return the record's value
     */
    static long check(Payload payload) {
        final long value = payload.getLong(0);
        final int length = payload.length();
        if (length != lengthOf(value)) {
            fail("record " + value + " has " + length + " bytes, expected " + lengthOf(value));
        }
        for (int i = Long.BYTES; i < length; i++) {
            if (payload.getByte(i) != fill(value, i)) {
                fail("record " + value + " is corrupt at payload byte " + i);
            }
        }
        return value;
    }

    // ------------------------------------------------------------------ threads

    /**
     * One task on its own daemon thread. {@link #join()} returns its result or
     * rethrows what it threw; a task that does not finish in time fails the
     * test (and is interrupted) instead of hanging it.
     */
    static final class Worker<T> {
        final Thread thread;
        private final FutureTask<T> task;

        private Worker(String name, Callable<T> body) {
            this.task = new FutureTask<>(body);
            this.thread = new Thread(task, name);
            thread.setDaemon(true);
        }

        static <T> Worker<T> start(String name, Callable<T> body) {
            final Worker<T> worker = new Worker<>(name, body);
            worker.thread.start();
            return worker;
        }

        T join() throws Exception {
            return join(JOIN);
        }

        T join(Duration timeout) throws Exception {
            try {
                return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                final String where = Arrays.toString(thread.getStackTrace());
                thread.interrupt();
                throw new AssertionError(thread.getName() + " did not finish within " + timeout
                        + " (state " + thread.getState() + ", at " + where + ")");
            } catch (ExecutionException e) {
                final Throwable cause = e.getCause();
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                throw e;
            }
        }

        /** Waits up to {@code timeout} for the task to end; true when it has. */
        boolean awaitDone(Duration timeout) throws InterruptedException {
            thread.join(Math.max(1, timeout.toMillis()));
            return task.isDone();
        }

        boolean isDone() {
            return task.isDone();
        }
    }

    /** Waits until {@code count} reaches {@code target}; fails (with the worker's own failure, if any) otherwise. */
    static void awaitCount(AtomicInteger count, int target, Worker<?> worker) throws Exception {
        awaitProgress(() -> count.get() >= target, worker, "reach " + target + " (at " + count.get() + ")");
    }

    /**
     * Waits until {@code done} holds while {@code worker} runs. Fails with the
     * worker's own failure if it ended first, or with its state and stack if
     * {@link #REACH} passes.
     */
    static void awaitProgress(BooleanSupplier done, Worker<?> worker, String what) throws Exception {
        final long deadline = System.nanoTime() + REACH.toNanos();
        while (!done.getAsBoolean()) {
            if (worker.isDone()) {
                worker.join(); // rethrows the worker's failure, if any
                fail(worker.thread.getName() + " ended before it could " + what);
            }
            if (System.nanoTime() - deadline > 0) {
                fail(worker.thread.getName() + " did not " + what + " within " + REACH + " (state "
                        + worker.thread.getState() + ", at " + Arrays.toString(worker.thread.getStackTrace()) + ")");
            }
            Thread.yield();
        }
    }

    /** Asserts that recv() reports the disconnect, failing after {@link #REACH} instead of hanging. */
    static void assertRecvDisconnects(Receiver receiver, String what) {
        assertTimeoutPreemptively(REACH, () -> {
            assertThrows(ChannelClosedException.class, receiver::recv, what);
        }, what + ": recv() did not report the disconnect");
    }

    /**
     * Waits until {@code thread} is parked inside a {@link Receiver} method
     * (state WAITING or TIMED_WAITING with a {@code Receiver} frame on its stack).
     */
    static void awaitParkedInReceiver(Thread thread) {
        await(thread, "park in a Receiver", t -> {
            final Thread.State state = t.getState();
            return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                    && inside(t, Receiver.class, "await");
        });
    }

    /** Waits until {@code thread} is inside {@link Sender#send(int)} (spinning on a full ring). */
    static void awaitInSend(Thread thread) {
        await(thread, "enter Sender.send", t -> inside(t, Sender.class, "send"));
    }

    private static boolean inside(Thread thread, Class<?> type, String method) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(type.getName()) && frame.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    private static void await(Thread thread, String what, Predicate<Thread> reached) {
        final long deadline = System.nanoTime() + REACH.toNanos();
        while (!reached.test(thread)) {
            if (!thread.isAlive()) {
                fail(thread.getName() + " ended before it could " + what);
            }
            if (System.nanoTime() - deadline > 0) {
                fail(thread.getName() + " did not " + what + " within " + REACH + " (state "
                        + thread.getState() + ", at " + Arrays.toString(thread.getStackTrace()) + ")");
            }
            Thread.yield();
        }
    }

    // ------------------------------------------------------------------ timing

    /**
     * Asserts that wake-ups were prompt: the median latency is under a quarter
     * of the park slice and at most a fifth of them took half a slice or more.
     * A wake-up that is lost costs the rest of the slice (close to all of it,
     * since the receiver had only just parked), so a broken protocol fails
     * both by far; a loaded machine's scheduling delays are milliseconds.
     */
    static void assertPromptWakeUps(long[] latencyNanos, String what) {
        final long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        final long median = sorted[sorted.length / 2];
        final long slow = Arrays.stream(sorted).filter(n -> n >= SLICE_NANOS / 2).count();
        final String report = what + ": latencies (ms) " + Arrays.toString(
                Arrays.stream(latencyNanos).mapToDouble(n -> n / 1e6).map(ms -> Math.round(ms * 100) / 100.0).toArray())
                + ", park slice " + Receiver.PARK_SLICE_MILLIS + " ms";
        assertTrue(median < SLICE_NANOS / 4, "median wake-up too slow; " + report);
        assertTrue(slow <= sorted.length / 5, slow + " wake-ups took half a park slice or more; " + report);
    }
}
