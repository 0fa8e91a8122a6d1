package dev.logbuf.demo;

import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.WriteClaim;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The producing process of the two-process mode
 * ({@code logbuf-journal --ring FILE}): the journal's producer threads
 * ({@link JournalRun.Producer}), each with a producer handle of its own on
 * the ring mapped from FILE, and no consumer. An archiver in another process
 * ({@link RingArchiver}) takes the records.
 *
 * <p>A producer tries to claim; when the ring is full it counts that, then
 * polls with a {@link SharedRing#backoff() backoff} until a claim succeeds.
 * A full ring with an archiver attached is only slow; a full ring without
 * one may stay full for ever, so a producer that has found no archiver
 * attached for the whole wait ({@code --retry-for}) gives up, and the run
 * fails saying how many records it sent (they stay in the ring for the next
 * archiver). Records that fit in the ring need no archiver at all: the run
 * ends when they are committed, and they wait in the file.
 *
 * <p>Each producer closes its handle when it is done, which frees its slot
 * in the ring.
 */
final class RingProducers {

    /** The ring stayed full, with no archiver attached, for the whole wait: the producer gave up. */
    static final class NoArchiverException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoArchiverException(long waitedNanos, long windowNanos) {
            super("the ring stayed full with no archiver attached for " + Units.seconds(waitedNanos)
                    + " (--retry-for " + Units.seconds(windowNanos) + ")");
        }
    }

    /**
     * What the producers sent, by index in the run (producer id {@code firstId + index}), and the time from
     * their start until the last one was done.
     */
    record Result(int firstId, JournalRun.Sent sent, long elapsedNanos) {
    }

    private static final long MONITOR_INTERVAL_MILLIS = 200;

    private RingProducers() {
    }

    /**
     * Runs the producers into {@code queue}, a shared ring, and closes their handles.
     *
     * @param firstId the producer id of the first producer (see {@link SharedRing#reserveIds})
     * @param monitor told once, in a line, when a producer first finds the ring full with no archiver attached
     * @param archiveCommand how to start the archiver, for that line
     * @throws JournalRun.RunFailedException if the ring has too few free producer slots, a producer gave up
     *         waiting for an archiver, or a producer failed
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    static Result run(JournalRun.Settings settings, MpscQueue queue, int firstId, JournalRun.Monitor monitor,
                      String archiveCommand) throws JournalRun.RunFailedException, InterruptedException {
        final int count = settings.producers();
        final MpscProducer[] handles = new MpscProducer[count];
        try {
            for (int i = 0; i < count; i++) {
                handles[i] = queue.newProducer();
            }
        } catch (IllegalStateException e) {
            for (MpscProducer handle : handles) {
                if (handle != null) {
                    handle.close();
                }
            }
            throw new JournalRun.RunFailedException("cannot attach " + count + " producers: " + e.getMessage(), e);
        }
        final AtomicBoolean waiting = new AtomicBoolean();
        final JournalRun.Producer[] producers = JournalRun.producers(settings, firstId,
                i -> new RingClaimer(handles[i], settings.retryFor(), waiting));
        final long start = System.nanoTime();
        final Thread[] threads = JournalRun.start(producers, settings, start);
        boolean told = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                thread.join(MONITOR_INTERVAL_MILLIS);
                if (!told && waiting.get()) {
                    told = true;
                    monitor.note("the ring is full and no archiver is attached: waiting up to "
                            + Units.seconds(Units.saturatedNanos(settings.retryFor())) + " for one (" + archiveCommand + ")");
                }
            }
        }
        final long elapsed = System.nanoTime() - start;
        final JournalRun.Sent sent = JournalRun.Sent.of(producers);
        for (JournalRun.Producer producer : producers) {
            if (producer.failure instanceof NoArchiverException) {
                throw new JournalRun.RunFailedException("gave up: " + producer.failure.getMessage() + "; "
                        + Units.count(sent.totalRecords()) + " records sent, which stay in the ring for an archiver",
                        producer.failure);
            }
        }
        JournalRun.checkProducers(producers);
        return new Result(firstId, sent, elapsed);
    }

    /**
     * Claims from a shared ring for one producer thread: {@code tryClaim},
     * then, while the ring is full, polls with {@code tryClaimAgain} and a
     * backoff (so a record that waited counts once as having found the ring
     * full, however many polls it took); gives up once no
     * archiver has been attached for the whole wait.
     */
    private static final class RingClaimer implements JournalRun.Claimer {
        private final MpscProducer producer;
        private final long windowNanos;
        private final AtomicBoolean waiting;
        private final Backoff backoff = SharedRing.backoff();

        RingClaimer(MpscProducer producer, Duration window, AtomicBoolean waiting) {
            this.producer = producer;
            this.windowNanos = Units.saturatedNanos(window);
            this.waiting = waiting;
        }

        @Override
        public WriteClaim tryClaim(int length) {
            return producer.tryClaim(length);
        }

        @Override
        public WriteClaim claim(int length) throws InterruptedException {
            long nextLook = System.nanoTime();
            long alone = 0; // since when no archiver was attached
            boolean attached = true;
            for (;;) {
                // the wait of the tryClaim that found the ring full: counted once in QueueStats.full
                final WriteClaim claim = producer.tryClaimAgain(length);
                if (claim != null) {
                    backoff.reset();
                    return claim;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while the ring was full");
                }
                final long now = System.nanoTime();
                if (now - nextLook >= 0) {
                    nextLook = now + SharedRing.LOOK_NANOS;
                    if (!producer.isDisconnected()) {
                        attached = true;
                    } else if (attached) {
                        attached = false;
                        alone = now;
                        waiting.set(true);
                    } else if (now - alone >= windowNanos) {
                        throw new NoArchiverException(now - alone, windowNanos);
                    }
                }
                backoff.idle();
            }
        }

        @Override
        public void committed() {
            // nothing to wake: the archiver polls
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
