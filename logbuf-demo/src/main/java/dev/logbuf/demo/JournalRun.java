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
import java.util.function.IntFunction;

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
 * deadline), each one {@code send(length)}, {@link RecordPattern#fill}, {@code
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
 * record is put back with {@link ReadClaim#putBack()}), and the producers wait
 * in {@code send} once the ring is full. It retries with a backoff
 * ({@link WriteRetry}) and goes on where it stopped once a write succeeds;
 * if the writes fail for longer than the retry window, or anything else goes
 * wrong, it closes the channel, which stops the producers. It stops when
 * every sender is closed and the ring is drained. After the threads are
 * joined, the producers' counts become the journal's trailer, written with
 * the same retries.
 *
 * <p>The producer threads ({@link Producer}) and the journal's trailer and
 * stall notes are shared with the two-process mode: {@link RingProducers}
 * runs the same producers over a mapped ring, through their own
 * {@link Claimer}, and {@link RingArchiver} writes and watches the journal
 * the same way.
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
     * What happened: what the producers sent (by id) and how long they waited in {@code send}, the writer's
     * counts, the time from start to the last write, the channel's own counters at the end, and the journal's
     * writes.
     */
    record Result(Sent sent, long frames, long payloadBytes, long elapsedNanos, ChannelStats channel, Writes writes) {
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

        /**
         * Something people should know as it happens, in one line: the journal's writes started failing (one
         * call per stall, at most one per look), or the producers wait for an archiver.
         */
        void note(String line);
    }

    /**
     * How a producer thread claims room for its records: through a channel's
     * sender ({@link #of(MpscSender)}), or straight from a shared ring
     * ({@link RingProducers}). Used by its producer thread alone.
     */
    interface Claimer extends AutoCloseable {

        /** One attempt: a claim, or {@code null} when the ring is full. */
        WriteClaim tryClaim(int length);

        /**
         * Waits for room and claims it.
         *
         * @throws InterruptedException if the thread is interrupted while it waits; nothing was claimed
         * @throws ChannelClosedException if the receiver is gone: the producer stops, and the receiver says why
         */
        WriteClaim claim(int length) throws InterruptedException;

        /** After each commit: wakes whoever waits for records, if they must be woken. */
        void committed();

        /** Gives the handle back once the producer is done. */
        @Override
        void close();

        /** A channel's sender: {@code trySend}, then the spinning {@code send}; its commits wake the receiver. */
        static Claimer of(MpscSender sender) {
            return new Claimer() {
                @Override
                public WriteClaim tryClaim(int length) {
                    return sender.trySend(length);
                }

                @Override
                public WriteClaim claim(int length) throws InterruptedException {
                    return sender.send(length);
                }

                @Override
                public void committed() {
                    // nothing: the commit woke a parked receiver by itself
                }

                @Override
                public void close() {
                    sender.close();
                }
            };
        }
    }

    /**
     * What producer threads sent, by their index in the run: records, payload bytes, how often their first try
     * found the ring full, and how long they then waited (in all, and the longest single wait).
     */
    record Sent(long[] records, long[] bytes, long ringFull, long waitNanos, long longestWaitNanos) {

        /** Adds up the producers' counts; read after they are joined. */
        static Sent of(Producer[] producers) {
            final long[] records = new long[producers.length];
            final long[] bytes = new long[producers.length];
            long ringFull = 0;
            long waited = 0;
            long longest = 0;
            for (int i = 0; i < producers.length; i++) {
                final Producer producer = producers[i];
                records[i] = producer.records;
                bytes[i] = producer.bytes;
                ringFull += producer.full;
                waited += producer.waitNanos;
                longest = Math.max(longest, producer.longestWaitNanos);
            }
            return new Sent(records, bytes, ringFull, waited, longest);
        }

        long totalRecords() {
            long sum = 0;
            for (long r : records) {
                sum += r;
            }
            return sum;
        }

        long totalBytes() {
            long sum = 0;
            for (long b : bytes) {
                sum += b;
            }
            return sum;
        }
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
        final WriteRetry retry = new WriteRetry(settings.retryFor());
        final Writer writer = new Writer(channel.receiver(), journal, retry);
        final Producer[] producers;
        try (MpscSender origin = channel.newSender()) {
            producers = producers(settings, 0, i -> Claimer.of(origin.duplicate()));
        } // the duplicates alone keep the channel open now
        final Thread writerThread = new Thread(writer, "journal-writer");
        final long start = System.nanoTime();
        writerThread.start();
        final Thread[] threads = start(producers, settings, start);
        int stalls = watch(writerThread, retry, monitor, writer.records, writer.bytes, start);
        for (Thread thread : threads) {
            thread.join();
        }
        final Sent sent = Sent.of(producers);
        if (writer.failure != null) {
            if (writer.failure instanceof WriteRetry.GaveUpException) {
                throw gaveUp((WriteRetry.GaveUpException) writer.failure, sent.totalRecords(), journal);
            }
            if (writer.failure instanceof IOException) {
                throw (IOException) writer.failure;
            }
            throw new RunFailedException("the receiver failed: " + writer.failure, writer.failure);
        }
        checkProducers(producers);
        try {
            writeTrailer(journal, retry, sent.records(), sent.bytes(), monitor, stalls);
        } catch (WriteRetry.GaveUpException e) {
            throw gaveUp(e, sent.totalRecords(), journal);
        }
        return new Result(sent, journal.frames(), journal.payloadBytes(), writer.finishedAt - start,
                channel.receiver().stats(), writes(journal, retry));
    }

    /**
     * The producer threads of a run, not started yet: each sends its share of
     * {@code settings.records()} (or sends until the deadline) with payloads
     * tagged with its id, {@code firstId} for the first one and counting up.
     *
     * @param claimers the claimer of each producer, by its index in the run
     */
    static Producer[] producers(Settings settings, int firstId, IntFunction<Claimer> claimers) {
        final int count = settings.producers();
        final Producer[] producers = new Producer[count];
        for (int i = 0; i < count; i++) {
            final long quota = settings.duration() != null ? Long.MAX_VALUE
                    : settings.records() / count + (i < settings.records() % count ? 1 : 0);
            producers[i] = new Producer(firstId + i, claimers.apply(i), quota, settings);
        }
        return producers;
    }

    /** Starts one thread per producer, with the run's deadline counted from {@code start}; returns them. */
    static Thread[] start(Producer[] producers, Settings settings, long start) {
        final long deadline = settings.duration() == null ? 0 : start + settings.duration().toNanos();
        final Thread[] threads = new Thread[producers.length];
        for (int i = 0; i < producers.length; i++) {
            threads[i] = new Thread(producers[i], "journal-producer-" + producers[i].id);
            producers[i].deadline = deadline; // Thread.start publishes it
            threads[i].start();
        }
        return threads;
    }

    /**
     * Fails the run if a producer failed (read after they are joined).
     *
     * @throws RunFailedException naming the first producer that failed, and why
     */
    static void checkProducers(Producer[] producers) throws RunFailedException {
        for (Producer producer : producers) {
            if (producer.failure != null) {
                throw new RunFailedException("producer " + producer.id + " failed: " + producer.failure,
                        producer.failure);
            }
        }
    }

    /**
     * Watches the thread that writes the journal until it ends: every
     * {@value #MONITOR_INTERVAL_MILLIS} ms tells the monitor the progress that
     * {@code records} and {@code bytes} show, and each stall of the writes as
     * it starts.
     *
     * @return the stalls the monitor was told about
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    static int watch(Thread writing, WriteRetry retry, Monitor monitor, AtomicLong records, AtomicLong bytes,
                     long start) throws InterruptedException {
        int stalls = 0;
        while (writing.isAlive()) {
            writing.join(MONITOR_INTERVAL_MILLIS);
            stalls = noteStalls(retry, stalls, monitor);
            monitor.update(records.getOpaque(), bytes.getOpaque(), System.nanoTime() - start);
        }
        return noteStalls(retry, stalls, monitor);
    }

    /**
     * Stages the trailer and writes it, riding out a failing disk with the
     * same retries as the records; called once the writing thread is joined.
     *
     * @param stalls the stalls the monitor was told about so far
     * @throws WriteRetry.GaveUpException if the writes kept failing for the retry window
     * @throws InterruptedException if the calling thread is interrupted while it waits to retry
     */
    static void writeTrailer(JournalWriter journal, WriteRetry retry, long[] records, long[] bytes, Monitor monitor,
                             int stalls) throws WriteRetry.GaveUpException, InterruptedException {
        journal.stageTrailer(records, bytes);
        while (!journal.flush()) {
            retry.pause(journal);
            stalls = noteStalls(retry, stalls, monitor); // this thread retries: the line comes as it starts
        }
        retry.resumed();
    }

    /** The journal's writes so far, for the report. */
    static Writes writes(JournalWriter journal, WriteRetry retry) {
        return new Writes(journal.writes(), journal.failedWrites(), journal.refused(), retry.stalls(),
                retry.retries(), retry.stalledNanos());
    }

    /** Tells the monitor about a stall it has not seen yet; returns the stalls seen. */
    private static int noteStalls(WriteRetry retry, int seen, Monitor monitor) {
        final int stalls = retry.stalls(); // volatile: the note written before it is visible
        if (stalls != seen) {
            monitor.note(retry.note());
        }
        return stalls;
    }

    /** The run gave up on a failing disk: says how many records it could not write, and where they are. */
    private static RunFailedException gaveUp(WriteRetry.GaveUpException e, long sent, JournalWriter journal) {
        final long written = journal.frames();
        final long staged = journal.stagedFrames();
        final long unwritten = sent - written;
        return new RunFailedException("gave up: " + e.getMessage() + "; " + Units.count(unwritten) + " of "
                + Units.count(sent) + " records sent are unwritten (" + Units.count(staged) + " staged in the "
                + "writer, " + Units.count(unwritten - staged) + " left in the ring); the journal holds the first "
                + Units.count(written) + ", without its trailer", e);
    }

    /**
     * A producing thread: sends its quota of records (or sends until the
     * deadline) through its {@link Claimer}, each {@link RecordPattern#fill filled}
     * with the tag of its id and next sequence number. Fields other than the
     * deadline are read only after join().
     */
    static final class Producer implements Runnable {
        /** The producer id in the records' tags. */
        final int id;
        private final Claimer claimer;
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

        Producer(int id, Claimer claimer, long quota, Settings settings) {
            this.id = id;
            this.claimer = claimer;
            this.quota = quota;
            this.lengths = new SplittableRandom(settings.seed() ^ (id * 0x9E3779B97F4A7C15L));
            this.minLength = settings.minLength();
            this.lengthBound = settings.maxLength() + 1;
        }

        @Override
        public void run() {
            final long deadline = this.deadline;
            try (Claimer claimer = this.claimer) {
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
                    WriteClaim claim = claimer.tryClaim(length);
                    if (claim == null) {
                        full++;
                        final long since = System.nanoTime(); // the slow path only: the clock costs nothing else
                        claim = claimer.claim(length);
                        final long wait = System.nanoTime() - since;
                        waited += wait;
                        longest = Math.max(longest, wait);
                        this.waitNanos = waited;
                        this.longestWaitNanos = longest;
                    }
                    try (WriteClaim c = claim) { // aborts the claim if fill throws
                        RecordPattern.fill(c, RecordPattern.tag(id, sequence));
                        c.commit();
                    }
                    claimer.committed();
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
                            if (!journal.offer(record)) {
                                record.putBack(); // a write failed: it stays first in the ring
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
