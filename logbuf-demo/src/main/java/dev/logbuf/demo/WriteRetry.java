package dev.logbuf.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How the journal rides out a failing disk: while its writes fail it takes
 * no more records, waits, and retries, with a backoff from
 * {@value #FIRST_DELAY_MILLIS} ms doubling to {@value #MAX_DELAY_MILLIS} ms;
 * it gives up once one stall has lasted the retry window.
 *
 * <p>Nothing is lost meanwhile: the {@link JournalWriter} keeps what it has
 * staged, the record in hand stays in the ring, and the producers, finding
 * the ring full, wait in {@code send}. The ring is the buffer.
 *
 * <p>A <em>stall</em> runs from the first failed write to the next write
 * that succeeds. The thread that writes calls {@link #pause} after each
 * failed write and {@link #resumed()} after a good one: the receiving thread
 * for the records, then, once it is joined, the main thread for the trailer.
 * Counters are read after the receiving thread is joined; {@link #stalls()}
 * and {@link #note()} may be read by any thread at any time.
 */
final class WriteRetry {

    /** The first wait after a failed write. */
    static final long FIRST_DELAY_MILLIS = 10;
    /** The longest wait between two attempts. */
    static final long MAX_DELAY_MILLIS = 1000;

    /** The journal's writes kept failing for the whole retry window. */
    static final class GaveUpException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long stalledNanos;

        GaveUpException(long stalledNanos, long windowNanos, IOException last) {
            super(String.format(Locale.ROOT, "the journal's writes kept failing for %.3f s (retry window %.3f s; "
                    + "last failure: %s)", stalledNanos / 1e9, windowNanos / 1e9,
                    last == null ? "unknown" : Units.describe(last)), last);
            this.stalledNanos = stalledNanos;
        }

        /** How long the last stall lasted. */
        long stalledNanos() {
            return stalledNanos;
        }
    }

    private final long windowNanos;
    private final long firstDelayNanos;
    private final long maxDelayNanos;
    private boolean stalled;
    private long stallStart;
    private long delayNanos;
    private long retries;
    private long stalledNanos;
    /** Written by the receiving thread, in this order; read by the main thread (volatile: note, then count). */
    private volatile String note;
    private volatile int stalls;

    /**
     * @param window how long one stall may last before the journal gives up; zero gives up at the first failure
     */
    WriteRetry(Duration window) {
        this(window, Duration.ofMillis(FIRST_DELAY_MILLIS), Duration.ofMillis(MAX_DELAY_MILLIS));
    }

    WriteRetry(Duration window, Duration firstDelay, Duration maxDelay) {
        if (window.isNegative() || firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("retry window " + window + ", delays " + firstDelay + ".." + maxDelay);
        }
        this.windowNanos = Units.saturatedNanos(window);
        this.firstDelayNanos = firstDelay.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
    }

    /**
     * The journal's last write failed: starts a stall (or goes on with it),
     * waits, and returns when it is time to retry.
     *
     * @throws GaveUpException if the stall has lasted the retry window
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    void pause(JournalWriter journal) throws GaveUpException, InterruptedException {
        final long now = System.nanoTime();
        if (!stalled) {
            stalled = true;
            stallStart = now;
            delayNanos = firstDelayNanos;
            final IOException cause = journal.failure();
            final long staged = journal.stagedFrames();
            note = String.format(Locale.ROOT, "a journal write failed at byte %s (%s): holding %s staged %s, "
                    + "the ring holds the rest and the producers wait; retrying for up to %s",
                    Units.count(journal.length()), cause == null ? "unknown" : Units.describe(cause),
                    Units.count(staged), staged == 1 ? "record" : "records", Units.seconds(windowNanos));
            stalls = stalls + 1; // one writer; volatile: publishes the note
        }
        final long waited = now - stallStart;
        if (waited >= windowNanos) {
            end(now);
            throw new GaveUpException(waited, windowNanos, journal.failure());
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(delayNanos, windowNanos - waited));
        delayNanos = Math.min(2 * delayNanos, maxDelayNanos);
        retries++;
    }

    /** A write succeeded: ends the stall, if there was one. */
    void resumed() {
        if (stalled) {
            end(System.nanoTime());
        }
    }

    /** Stalls so far (any thread). */
    int stalls() {
        return stalls;
    }

    /** A line about the latest stall, for people; {@code null} before the first (any thread). */
    String note() {
        return note;
    }

    /** Attempts made after a wait. */
    long retries() {
        return retries;
    }

    /** Time spent in stalls, the current one included. */
    long stalledNanos() {
        return stalled ? stalledNanos + System.nanoTime() - stallStart : stalledNanos;
    }

    private void end(long now) {
        stalledNanos += now - stallStart;
        stalled = false;
    }
}
