package dev.logbuf.demo;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.ChannelStats;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of the journal: producer threads, one MPSC channel, one receiver
 * thread appending to the file.
 *
 * <pre>
 *  producer 0 ─┐ duplicate()d senders        receiver thread
 *  producer 1 ─┼─▶ MpscChannel (ring) ─▶ tryRead(batch) / recv() ─▶ JournalWriter ─▶ file
 *  producer N ─┘  send / trySend, wake()
 * </pre>
 *
 * <p>Each producer sends its share of the records (or sends until the
 * deadline), each one {@code send(length)}, {@link Payload#fill}, {@code
 * commit()}, {@code wake()}. A send first tries {@code trySend}; when that
 * finds the ring full it is counted, and the producer falls back to the
 * spinning {@code send}. The receiver appends every record straight from the
 * ring and stops when every sender is closed and the ring is drained; if it
 * fails, it closes the channel, which stops the producers. After the threads
 * are joined, the producers' counts become the journal's trailer.
 */
final class JournalRun {

    /** What to run; validated by the caller (see {@link Journal}). */
    record Settings(int producers, long records, Duration duration, int minLength, int maxLength,
                    long seed) {
    }

    /**
     * What happened: the producers' counts (by id), the writer's, the time from start to the last append,
     * and the channel's own counters at the end.
     */
    record Result(long[] records, long[] bytes, long ringFull, long frames, long payloadBytes, long elapsedNanos,
                  ChannelStats channel) {

        long totalRecords() {
            long sum = 0;
            for (long r : records) {
                sum += r;
            }
            return sum;
        }
    }

    /** The run stopped: a thread failed. The message says which and why. */
    static final class RunFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        RunFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Progress as the main thread sees it while the run goes on. */
    interface Monitor {
        void update(long records, long payloadBytes, long elapsedNanos);
    }

    private static final long MONITOR_INTERVAL_MILLIS = 200;

    private JournalRun() {
    }

    /**
     * Runs the journal into {@code journal}, which must be freshly created,
     * and writes its trailer.
     *
     * @param channel the channel, with its original sender still open
     * @throws IOException if writing the journal fails
     * @throws RunFailedException if a thread fails for another reason
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    static Result run(Settings settings, MpscChannel channel, JournalWriter journal, Monitor monitor)
            throws IOException, RunFailedException, InterruptedException {
        final int count = settings.producers();
        final Writer writer = new Writer(channel.receiver(), journal);
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
        while (writerThread.isAlive()) {
            writerThread.join(MONITOR_INTERVAL_MILLIS);
            monitor.update(writer.records.getOpaque(), writer.bytes.getOpaque(), System.nanoTime() - start);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (writer.failure != null) {
            if (writer.failure instanceof IOException) {
                throw (IOException) writer.failure;
            }
            throw new RunFailedException("the receiver failed: " + writer.failure, writer.failure);
        }
        final long[] records = new long[count];
        final long[] bytes = new long[count];
        long ringFull = 0;
        for (Producer producer : producers) {
            if (producer.failure != null) {
                throw new RunFailedException("producer " + producer.id + " failed: " + producer.failure,
                        producer.failure);
            }
            records[producer.id] = producer.records;
            bytes[producer.id] = producer.bytes;
            ringFull += producer.full;
        }
        journal.finish(records, bytes);
        return new Result(records, bytes, ringFull, journal.frames(), journal.payloadBytes(),
                writer.finishedAt - start, channel.receiver().stats());
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
                long sequence = 0;
                for (; sequence < quota; sequence++) {
                    if (deadline != 0 && System.nanoTime() - deadline >= 0) {
                        break;
                    }
                    final int length = lengths.nextInt(minLength, lengthBound);
                    WriteClaim claim = sender.trySend(length);
                    if (claim == null) {
                        full++;
                        claim = sender.send(length);
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

    /** The receiving thread: appends every record to the journal until every sender is gone. */
    private static final class Writer implements Runnable {
        private final Receiver receiver;
        private final JournalWriter journal;
        /** For the monitor only: opaque writes, opaque reads. */
        final AtomicLong records = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        long finishedAt;
        Throwable failure;

        Writer(Receiver receiver, JournalWriter journal) {
            this.receiver = receiver;
            this.journal = journal;
        }

        @Override
        public void run() {
            try (Receiver receiver = this.receiver) { // closing it on failure stops the producers
                for (;;) {
                    // whatever is committed goes out in batches, one gathering write each;
                    // when nothing is, wait for the next record and append it alone
                    if (receiver.tryRead(journal.batch(), JournalWriter.BATCH) == 0) {
                        try (ReadClaim record = receiver.recv()) {
                            journal.append(record.buffer());
                        }
                    }
                    records.setOpaque(journal.frames());
                    bytes.setOpaque(journal.payloadBytes());
                }
            } catch (ChannelClosedException drained) {
                // every sender closed and every record appended
            } catch (UncheckedIOException e) {
                failure = e.getCause(); // a batch's write failed
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                failure = e;
            } finally {
                finishedAt = System.nanoTime();
            }
        }
    }
}
