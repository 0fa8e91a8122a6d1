package dev.logbuf.demo;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.ChannelStats;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of the journal: producer threads, one MPSC channel, one receiver
 * thread appending to the file.
 *
 * <pre>
 *  producer 0 ─┐ duplicate()d senders        receiver thread
 *  producer 1 ─┼─▶ MpscChannel (ring) ─▶ tryControlledRead / recv() ─▶ JournalWriter ─▶ file
 *  producer N ─┘  send / trySend, wake()                               (stage, one write per read)
 * </pre>
 *
 * <p>Each producer sends its share of the records (or sends until the
 * deadline), each one {@code send(length)}, {@link Payload#fill}, {@code
 * commit()}, {@code wake()}. A send first tries {@code trySend}; when that
 * finds the ring full it is counted, and the producer falls back to the
 * spinning {@code send}, timing how long it waits there.
 *
 * <p>The receiver takes whatever is committed with a controlled read of up
 * to {@value #READ_LIMIT} records, which the {@link JournalWriter} stages,
 * then writes them in one write; when nothing is committed it waits in
 * {@code recv()} and takes the next record alone. When a write fails it
 * stops taking records: what is staged stays staged, a record the writer
 * could not stage stays in the ring (the read's handler aborts it, the single
 * record is put back with {@link ReadClaim#abort()}), and the producers wait
 * in {@code send} once the ring is full. It retries with a backoff
 * ({@link WriteRetry}) and goes on where it stopped once a write succeeds;
 * if the writes fail for longer than the retry window, or anything else goes
 * wrong, it closes the channel, which stops the producers. It stops when
 * every sender is closed and the ring is drained. After the threads are
 * joined, the producers' counts become the journal's trailer, written with
 * the same retries.
 */
final class JournalRun {

    /**
     * What to run; validated by the caller (see {@link Journal}).
     *
     * @param retryFor how long the journal's writes may keep failing before the run gives up
     */
    record Settings(int producers, long records, Duration duration, int minLength, int maxLength,
                    long seed, Duration retryFor) {
    }

    /**
     * What happened: the producers' counts (by id), how often their first try found the ring full and how
     * long they then waited in {@code send} (in all, and the longest single wait), the writer's counts, the
     * time from start to the last write, the channel's own counters at the end, and the journal's writes.
     */
    record Result(long[] records, long[] bytes, long ringFull, long sendWaitNanos, long longestSendWaitNanos,
                  long frames, long payloadBytes, long elapsedNanos, ChannelStats channel, Writes writes) {

        long totalRecords() {
            long sum = 0;
            for (long r : records) {
                sum += r;
            }
            return sum;
        }
    }

    /**
     * The journal's writes: attempts, failed attempts, records refused (left in the ring) because a write
     * failed, stalls (runs of failed writes), attempts made after a wait, and the time spent in stalls.
     */
    record Writes(long attempts, long failed, long refused, long stalls, long retries, long stalledNanos) {
    }

    /** The run stopped: a thread failed, or the journal's writes kept failing. The message says which and why. */
    static final class RunFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        RunFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Progress as the main thread sees it while the run goes on; called on the thread that called run. */
    interface Monitor {
        /** Records and payload bytes written so far. */
        void update(long records, long payloadBytes, long elapsedNanos);

        /** The journal's writes started failing (one call per stall, at most one per look): a line for people. */
        void writesFailing(String note);
    }

    /** The most records one controlled read takes: the granularity of the writes and of the ring's release. */
    static final int READ_LIMIT = 64;

    private static final long MONITOR_INTERVAL_MILLIS = 200;

    private JournalRun() {
    }

    /**
     * Runs the journal into {@code journal}, which must be freshly created,
     * and writes its trailer.
     *
     * @param channel the channel, with its original sender still open
     * @throws IOException if writing the journal fails for another reason than a failed write
     * @throws RunFailedException if a thread fails, or the journal's writes kept failing for longer than
     *         the retry window (the message says how many records were left unwritten)
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    static Result run(Settings settings, MpscChannel channel, JournalWriter journal, Monitor monitor)
            throws IOException, RunFailedException, InterruptedException {
        final int count = settings.producers();
        final WriteRetry retry = new WriteRetry(settings.retryFor());
        final Writer writer = new Writer(channel.receiver(), journal, retry);
        final Producer[] producers = new Producer[count];
        try (MpscSender origin = channel.sender()) {
            for (int id = 0; id < count; id++) {
                final long quota = settings.duration() != null ? Long.MAX_VALUE
                        : settings.records() / count + (id < settings.records() % count ? 1 : 0);
                producers[id] = new Producer(id, origin.duplicate(), quota, settings);
            }
        } // the duplicates alone keep the channel open now
        final Thread writerThread = new Thread(writer, "journal-writer");
        final Thread[] threads = new Thread[count];
        for (int id = 0; id < count; id++) {
            threads[id] = new Thread(producers[id], "journal-producer-" + id);
        }
        final long start = System.nanoTime();
        final long deadline = settings.duration() == null ? 0 : start + settings.duration().toNanos();
        writerThread.start();
        for (int id = 0; id < count; id++) {
            producers[id].deadline = deadline; // Thread.start publishes it
            threads[id].start();
        }
        int stalls = 0;
        while (writerThread.isAlive()) {
            writerThread.join(MONITOR_INTERVAL_MILLIS);
            stalls = noteStalls(retry, stalls, monitor);
            monitor.update(writer.records.getOpaque(), writer.bytes.getOpaque(), System.nanoTime() - start);
        }
        stalls = noteStalls(retry, stalls, monitor);
        for (Thread thread : threads) {
            thread.join();
        }
        final long[] records = new long[count];
        final long[] bytes = new long[count];
        long ringFull = 0;
        long waited = 0;
        long longest = 0;
        for (Producer producer : producers) {
            records[producer.id] = producer.records;
            bytes[producer.id] = producer.bytes;
            ringFull += producer.full;
            waited += producer.waitNanos;
            longest = Math.max(longest, producer.longestWaitNanos);
        }
        if (writer.failure != null) {
            if (writer.failure instanceof WriteRetry.GaveUpException) {
                throw gaveUp((WriteRetry.GaveUpException) writer.failure, records, journal);
            }
            if (writer.failure instanceof IOException) {
                throw (IOException) writer.failure;
            }
            throw new RunFailedException("the receiver failed: " + writer.failure, writer.failure);
        }
        for (Producer producer : producers) {
            if (producer.failure != null) {
                throw new RunFailedException("producer " + producer.id + " failed: " + producer.failure,
                        producer.failure);
            }
        }
        journal.stageTrailer(records, bytes);
        while (!journal.flush()) { // the trailer rides out a failing disk as the records did
            try {
                retry.pause(journal);
            } catch (WriteRetry.GaveUpException e) {
                throw gaveUp(e, records, journal);
            }
            stalls = noteStalls(retry, stalls, monitor); // this thread retries: the line comes as it starts
        }
        retry.resumed();
        return new Result(records, bytes, ringFull, waited, longest, journal.frames(), journal.payloadBytes(),
                writer.finishedAt - start, channel.receiver().stats(), new Writes(journal.writes(),
                        journal.failedWrites(), journal.refused(), retry.stalls(), retry.retries(),
                        retry.stalledNanos()));
    }

    /** Tells the monitor about a stall it has not seen yet; returns the stalls seen. */
    private static int noteStalls(WriteRetry retry, int seen, Monitor monitor) {
        final int stalls = retry.stalls(); // volatile: the note written before it is visible
        if (stalls != seen) {
            monitor.writesFailing(retry.note());
        }
        return stalls;
    }

    /** The run gave up on a failing disk: says how many records it could not write, and where they are. */
    private static RunFailedException gaveUp(WriteRetry.GaveUpException e, long[] records, JournalWriter journal) {
        long sent = 0;
        for (long r : records) {
            sent += r;
        }
        final long written = journal.frames();
        final long staged = journal.stagedFrames();
        final long unwritten = sent - written;
        return new RunFailedException("gave up: " + e.getMessage() + "; " + Units.count(unwritten) + " of "
                + Units.count(sent) + " records sent are unwritten (" + Units.count(staged) + " staged in the "
                + "writer, " + Units.count(unwritten - staged) + " left in the ring); the journal holds the first "
                + Units.count(written) + ", without its trailer", e);
    }

    /** A producing thread: fields other than the deadline are read only after join(). */
    private static final class Producer implements Runnable {
        final int id;
        private final MpscSender sender;
        private final long quota;
        private final SplittableRandom lengths;
        private final int minLength;
        private final int lengthBound;
        long deadline;
        long records;
        long bytes;
        long full;
        long waitNanos;
        long longestWaitNanos;
        Throwable failure;

        Producer(int id, MpscSender sender, long quota, Settings settings) {
            this.id = id;
            this.sender = sender;
            this.quota = quota;
            this.lengths = new SplittableRandom(settings.seed() ^ (id * 0x9E3779B97F4A7C15L));
            this.minLength = settings.minLength();
            this.lengthBound = settings.maxLength() + 1;
        }

        @Override
        public void run() {
            final long deadline = this.deadline;
            try (MpscSender sender = this.sender) {
                long bytes = 0;
                long full = 0;
                long waited = 0;
                long longest = 0;
                long sequence = 0;
                for (; sequence < quota; sequence++) {
                    if (deadline != 0 && System.nanoTime() - deadline >= 0) {
                        break;
                    }
                    final int length = lengths.nextInt(minLength, lengthBound);
                    WriteClaim claim = sender.trySend(length);
                    if (claim == null) {
                        full++;
                        final long since = System.nanoTime(); // the slow path only: the clock costs nothing else
                        claim = sender.send(length);
                        final long wait = System.nanoTime() - since;
                        waited += wait;
                        longest = Math.max(longest, wait);
                        this.waitNanos = waited;
                        this.longestWaitNanos = longest;
                    }
                    try (WriteClaim c = claim) { // aborts the claim if fill throws
                        Payload.fill(c, Payload.tag(id, sequence));
                        c.commit();
                    }
                    sender.wake();
                    bytes += length;
                    this.records = sequence + 1;
                    this.bytes = bytes;
                    this.full = full;
                }
                this.full = full;
            } catch (ChannelClosedException receiverGone) {
                // the receiver failed and closed the channel; it reports why
            } catch (InterruptedException e) {
                failure = e; // interrupted while the ring was full: nothing was claimed
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
    }

    /**
     * The receiving thread: stages every record and writes after each read, until every sender is gone;
     * while the journal's writes fail it takes no records and retries (see the class comment). Its fields
     * other than the two progress counters are read only after join().
     */
    static final class Writer implements Runnable {
        private final Receiver receiver;
        private final JournalWriter journal;
        private final WriteRetry retry;
        /** For the monitor only: opaque writes, opaque reads. */
        final AtomicLong records = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        long finishedAt;
        Throwable failure;

        Writer(Receiver receiver, JournalWriter journal, WriteRetry retry) {
            this.receiver = receiver;
            this.journal = journal;
            this.retry = retry;
        }

        @Override
        public void run() {
            final JournalWriter journal = this.journal;
            final ControlledRecordHandler handler = journal.handler();
            try (Receiver receiver = this.receiver) { // closing it on failure stops the producers
                for (;;) {
                    if (journal.failure() != null) {
                        // stalled: take nothing until the staged bytes are out; a record the writer
                        // refused is still first in the ring, and the read below offers it again
                        retry.pause(journal);
                        if (!journal.flush()) {
                            continue;
                        }
                    }
                    final int read = receiver.tryControlledRead(handler, READ_LIMIT);
                    if (read != 0 && journal.failure() == null) {
                        journal.flush(); // one write per read
                    }
                    if (journal.failure() != null) {
                        continue; // the handler refused a record, or this write failed
                    }
                    retry.resumed();
                    publish();
                    if (read == 0) {
                        // nothing committed: wait for the next record and take it alone
                        try (ReadClaim record = receiver.recv()) {
                            if (!journal.offer(record.buffer())) {
                                record.abort(); // a write failed: it stays first in the ring
                            }
                        }
                        if (journal.failure() == null) {
                            journal.flush(); // a failure is handled at the top
                        }
                    }
                }
            } catch (ChannelClosedException drained) {
                // every sender closed, every record taken and written (each write succeeded, or the loop would
                // not have read on); at most the magic is staged, when there were no records: it goes out
                // with the trailer
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                failure = e;
            } finally {
                finishedAt = System.nanoTime();
            }
        }

        private void publish() {
            records.setOpaque(journal.frames());
            bytes.setOpaque(journal.payloadBytes());
        }
    }
}
