package dev.logbuf.demo;

import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.RecordHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The archiving process of the two-process mode
 * ({@code logbuf-journal archive FILE}): one thread that holds the ring's
 * consumer role and writes every record into the journal, framed as the
 * in-process journal frames them ({@link JournalWriter}).
 *
 * <pre>
 *  ring (mapped) ─▶ read(handler, 64) ─▶ onRecord: offer ─▶ stage ─┐
 *                                      onBatchEnd: flush ─▶ file ◀─┘   then the read gives the records back
 * </pre>
 *
 * <p>Every record is written before the ring has it back. The archiver
 * takes records in batch reads of up to {@value JournalRun#READ_LIMIT}:
 * the handler stages each one, and writes the batch when the read ends
 * ({@link RecordHandler#onBatchEnd()}), while the batch is still in the
 * ring; only then does the read zero and release it. So a killed archiver
 * loses nothing: what it had not written is still in the ring, and the next
 * archiver reads it again. It may also read again records that were written
 * but not yet released (the last read, at most): with {@code --resume} those
 * are recognised by their producer's sequence number ({@link RecordPattern}) and
 * skipped, so every record is in the journal exactly once.
 *
 * <p>A write that fails is retried where it failed, inside the read, with
 * {@link WriteRetry}'s backoff: the read's records stay in the ring
 * meanwhile, the ring fills, and the producers wait. If the writes keep
 * failing for the retry window the archiver gives up; the records of the
 * read in hand are then given back to the ring unwritten (a batch read has
 * no way to keep them), and the error says how many.
 *
 * <p>Between reads the archiver polls with a {@link SharedRing#backoff()
 * backoff}. It stops once the journal holds the records it was told to
 * expect, or once the ring has been empty, with no producer attached, for
 * the idle time. Claims left open by producer processes that died are
 * stepped over ({@link Consumer#unblockAfter(Duration)}).
 */
final class RingArchiver {

    /**
     * When to stop, and how long the journal's writes may fail.
     *
     * @param records stop once the journal holds this many records; 0 for no such bound
     * @param untilIdle stop once the ring has been empty, with no producer attached, this long; {@code null}
     *        for never
     * @param retryFor how long the journal's writes may keep failing before the archiver gives up
     */
    record Settings(long records, Duration untilIdle, Duration retryFor) {
    }

    /** Why the archiver stopped. */
    enum Stop {
        /** The journal holds the records it was told to expect. */
        RECORDS,
        /** The ring was empty, with no producer attached, for the idle time. */
        IDLE
    }

    /**
     * What happened: the journal's records and payload bytes by producer id (a resumed journal's included),
     * records read again and skipped because the journal had them already, the journal's frames and payload
     * bytes, the time from the first record read to the last written, the ring's counters, the reads that
     * found the ring empty, the journal's writes, and why the archiver stopped.
     */
    record Result(long[] records, long[] bytes, long skipped, long frames, long payloadBytes, long elapsedNanos,
                  QueueStats ring, long emptyReads, JournalRun.Writes writes, Stop stop) {

        /** Producers that have records in the journal. */
        int producers() {
            int producers = 0;
            for (long r : records) {
                producers += r == 0 ? 0 : 1;
            }
            return producers;
        }
    }

    private RingArchiver() {
    }

    /**
     * Archives what {@code consumer} reads into {@code journal}, then writes
     * the journal's trailer: the records of each producer in the journal.
     *
     * @param consumer the shared ring's consumer, used by the archiving thread until this returns
     * @param journal a fresh journal, or one to go on with after {@code held}'s frames
     * @param held what the journal held before ({@link JournalVerifier#resume}); {@code null} for a fresh one.
     *        Records it holds already are skipped when they are read again.
     * @throws IOException if writing the journal fails for another reason than a failed write
     * @throws JournalRun.RunFailedException if the journal's writes kept failing for the retry window (the
     *         message says how many records were lost), or the archiver failed
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    static Result run(Consumer consumer, JournalWriter journal, JournalVerifier.Totals held, Settings settings,
                      JournalRun.Monitor monitor)
            throws IOException, JournalRun.RunFailedException, InterruptedException {
        final WriteRetry retry = new WriteRetry(settings.retryFor());
        final Archiver archiver = new Archiver(consumer, journal, retry, held, settings);
        consumer.unblockAfter(SharedRing.UNBLOCK_AFTER);
        final Thread thread = new Thread(archiver, "journal-archiver");
        final long start = System.nanoTime();
        thread.start();
        final int stalls = JournalRun.watch(thread, retry, monitor, archiver.written, archiver.writtenBytes, start);
        if (archiver.failure instanceof WriteRetry.GaveUpException) {
            throw new JournalRun.RunFailedException("gave up: " + archiver.failure.getMessage() + "; "
                    + Units.count(archiver.lost) + " records of the read in hand were given back to the ring "
                    + "unwritten and are lost; the journal holds the first " + Units.count(journal.frames())
                    + ", without its trailer; the ring keeps the rest for the next archiver", archiver.failure);
        }
        if (archiver.failure != null) {
            throw new JournalRun.RunFailedException("the archiver failed: " + archiver.failure, archiver.failure);
        }
        final long[] records = Arrays.copyOf(archiver.records, archiver.producers);
        final long[] bytes = Arrays.copyOf(archiver.bytes, archiver.producers);
        try {
            JournalRun.writeTrailer(journal, retry, records, bytes, monitor, stalls);
        } catch (WriteRetry.GaveUpException e) {
            throw new JournalRun.RunFailedException("gave up: " + e.getMessage() + "; the journal holds all "
                    + Units.count(journal.frames()) + " records, without its trailer", e);
        }
        return new Result(records, bytes, archiver.skipped, journal.frames(), journal.payloadBytes(),
                archiver.lastAt - archiver.firstAt, consumer.stats(), archiver.emptyReads,
                JournalRun.writes(journal, retry), archiver.stop);
    }

    /** A write kept failing, or the thread was interrupted while it waited to retry: the read must end. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(Exception cause) {
            super(cause);
        }
    }

    /**
     * The archiving thread, and the handler of its reads. Its fields other
     * than the two progress counters are read only after join().
     */
    private static final class Archiver implements Runnable, RecordHandler {
        private final Consumer consumer;
        private final JournalWriter journal;
        private final WriteRetry retry;
        private final long target;
        private final long idleNanos;
        /** Whether the journal held records before: those read again are skipped. */
        private final boolean resumed;
        /** By producer id: records and payload bytes in the journal, and the next sequence number it lacks. */
        final long[] records = new long[RecordPattern.MAX_PRODUCERS];
        final long[] bytes = new long[RecordPattern.MAX_PRODUCERS];
        private final long[] next = new long[RecordPattern.MAX_PRODUCERS];
        /** Producer ids seen so far: the highest plus one. */
        int producers;
        long skipped;
        long emptyReads;
        /** When the first read that found records began, and when the last one ended (its records written). */
        long firstAt;
        long lastAt;
        /** Records of the read in hand that were not written when a write gave up. */
        long lost;
        Stop stop;
        Throwable failure;
        /** For the monitor only: opaque writes, opaque reads. */
        final AtomicLong written = new AtomicLong();
        final AtomicLong writtenBytes = new AtomicLong();
        /** Whether a record is being offered, for the count of what a give-up loses. */
        private boolean inHand;

        Archiver(Consumer consumer, JournalWriter journal, WriteRetry retry, JournalVerifier.Totals held,
                 Settings settings) {
            this.consumer = consumer;
            this.journal = journal;
            this.retry = retry;
            this.target = settings.records();
            this.idleNanos = settings.untilIdle() == null ? Long.MAX_VALUE : Units.saturatedNanos(settings.untilIdle());
            this.resumed = held != null && held.frames() > 0;
            if (held != null) {
                producers = held.producers();
                System.arraycopy(held.records(), 0, records, 0, producers);
                System.arraycopy(held.bytes(), 0, bytes, 0, producers);
                System.arraycopy(held.records(), 0, next, 0, producers); // verified: sequences 0..n-1
            }
        }

        @Override
        public void run() {
            final Consumer consumer = this.consumer;
            final Backoff backoff = SharedRing.backoff();
            boolean started = false;
            long nextLook = System.nanoTime();
            long idleSince = 0;
            boolean idle = false;
            try {
                for (;;) {
                    final long wanted = target == 0 ? JournalRun.READ_LIMIT : target - journal.frames();
                    if (wanted <= 0) {
                        stop = Stop.RECORDS;
                        return;
                    }
                    final long before = System.nanoTime();
                    // stages each record, writes them all, then gives them back (see the class comment)
                    final int read = consumer.read(this, (int) Math.min(JournalRun.READ_LIMIT, wanted));
                    if (read != 0) {
                        lastAt = System.nanoTime();
                        if (!started) {
                            started = true;
                            firstAt = before;
                        }
                        written.setOpaque(journal.frames());
                        writtenBytes.setOpaque(journal.payloadBytes());
                        backoff.reset();
                        idle = false;
                        continue;
                    }
                    emptyReads++;
                    if (before - nextLook >= 0) {
                        nextLook = before + SharedRing.LOOK_NANOS;
                        if (!consumer.isDisconnected()) {
                            idle = false;
                        } else if (!idle) {
                            idle = true;
                            idleSince = before;
                        } else if (before - idleSince >= idleNanos) {
                            stop = Stop.IDLE;
                            return;
                        }
                    }
                    backoff.idle();
                }
            } catch (Stopped e) {
                lost = journal.stagedFrames() + (inHand ? 1 : 0);
                failure = e.getCause();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }

        /** Stages the record (a failed write is retried here, the record still in the ring), or skips a repeat. */
        @Override
        public void onRecord(dev.logbuf.queue.Payload payload) {
            final int length = payload.length();
            int producer = -1;
            long sequence = 0;
            if (length >= RecordPattern.MIN_LENGTH) {
                final long tag = payload.getLong(0);
                producer = RecordPattern.producer(tag);
                sequence = RecordPattern.sequence(tag);
                if (resumed && sequence < next[producer]) {
                    skipped++; // written before the last archiver stopped, and read again
                    return;
                }
            } // a record without a tag is written all the same; the verifier names it
            inHand = true;
            while (!journal.offer(payload)) { // the record stays as it was, to be offered again
                pause();
            }
            inHand = false;
            if (producer >= 0) {
                records[producer]++;
                bytes[producer] += length;
                next[producer] = Math.max(next[producer], sequence + 1);
                producers = Math.max(producers, producer + 1);
            }
        }

        /** Writes the read's records before the read gives them back; a failed write is retried here. */
        @Override
        public void onBatchEnd() {
            while (!journal.flush()) {
                pause();
            }
            retry.resumed();
        }

        private void pause() {
            try {
                retry.pause(journal);
            } catch (WriteRetry.GaveUpException e) {
                throw new Stopped(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped(e);
            }
        }
    }
}
