package dev.logbuf.soak;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One soak run: sender threads, one MPSC channel, one verifying receiver
 * thread, and the calling thread watching (progress lines, stall detection).
 *
 * <pre>
 *  sender 0 ─┐ duplicate()d senders (churn: a fresh one every few records)
 *  sender 1 ─┼─▶ MpscChannel (ring) ─▶ tryRead(Verifier, batch) / recv() ─▶ Verifier
 *  sender N ─┘ trySend, then send; fill; commit or abort; wake()
 * </pre>
 *
 * <p>Each sender thread commits its share of the records (or sends until the
 * deadline) and counts, per sender id, what it committed. The receiver checks
 * every record as it comes and stops at the disconnect, which it must see
 * once every sender is closed and the ring drained. Then the counts of both
 * sides are compared, per id.
 */
final class SoakRun {

    /** What a run found; {@link #passed()} says whether everything checked. */
    static final class Result {
        long sentRecords;
        long sentBytes;
        long receivedRecords;
        long receivedBytes;
        long lost;
        long duplicated;
        long reordered;
        long corrupted;
        long abortedSeen;
        /** Claims the senders aborted (expected in the aborts variants, never delivered). */
        long aborted;
        /** Sends whose trySend found the ring full (the sender then waited in send). */
        long ringFull;
        /** Sender ids used: one per sender thread, more with churn. */
        long senderIds;
        /** Ids whose committed and received totals differ. */
        long mismatchedIds;
        long elapsedNanos;
        /** Whether the receiver saw ChannelClosedException after draining. */
        boolean disconnected;
        /** Records handed out after the disconnect was reported (must be 0). */
        long afterDisconnect;
        boolean stalled;
        /** The verifier's first failure descriptions. */
        final List<String> failures = new ArrayList<>();
        /** Threads that failed, stalls: the run itself went wrong. */
        final List<String> errors = new ArrayList<>();

        boolean passed() {
            return errors.isEmpty() && !stalled && disconnected && afterDisconnect == 0
                    && lost == 0 && duplicated == 0 && reordered == 0 && corrupted == 0 && abortedSeen == 0
                    && mismatchedIds == 0 && sentRecords == receivedRecords && sentBytes == receivedBytes;
        }
    }

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private SoakRun() {
    }

    /**
     * Runs the soak described by {@code options}, printing progress lines to {@code out}.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    static Result run(SoakOptions options, PrintStream out) throws InterruptedException {
        final int count = options.senders;
        final PayloadFormat format = new PayloadFormat(options.seed, options.minLength, options.maxLength);
        final MpscChannel channel = MpscChannel.create(options.ring);
        final SenderThread[] senders = new SenderThread[count];
        final long start = System.nanoTime();
        final long deadline = options.nanos == 0 ? 0 : start + options.nanos;
        try (MpscSender origin = channel.newSender()) {
            for (int slot = 0; slot < count; slot++) {
                final long quota = options.records == 0 ? Long.MAX_VALUE
                        : options.records / count + (slot < options.records % count ? 1 : 0);
                senders[slot] = new SenderThread(slot, origin.duplicate(), quota, deadline, format, options);
            }
        } // the duplicates alone keep the channel open now
        final Verifier verifier = new Verifier(format, id -> {
            // an id is issued once its thread has begun that incarnation; see SenderThread.incarnations.
            // The array itself is filled before drainThread.start(), which publishes it to the receiver.
            final int slot = id % count;
            return id / count < senders[slot].incarnations;
        });
        final Drain drain = new Drain(channel.receiver(), verifier, options.batch);
        final Thread drainThread = daemon(drain, "soak-receiver");
        final Thread[] threads = new Thread[count];
        for (int slot = 0; slot < count; slot++) {
            threads[slot] = daemon(senders[slot], "soak-sender-" + slot);
        }
        drainThread.start();
        for (Thread thread : threads) {
            thread.start(); // publishes the thread's handed-over sender and settings
        }

        final Result result = new Result();
        if (!watch(options, drain, drainThread, threads, start, out, result)) {
            return result; // stalled: the threads are left as they are (daemons)
        }
        final long joinMillis = (long) (options.stallSeconds * 1000);
        for (Thread thread : threads) {
            thread.join(joinMillis); // the drain is over, so every sender has closed (or is failing)
            if (thread.isAlive()) {
                result.stalled = true;
                result.errors.add(thread.getName() + " still running after the receiver finished: "
                        + where(thread));
                return result;
            }
        }

        // join() above: every field the threads wrote is visible from here on
        if (drain.failure != null) {
            result.errors.add("receiver failed: " + describe(drain.failure));
        }
        long ids = 0;
        for (SenderThread s : senders) {
            if (s.failure != null) {
                result.errors.add("sender " + s.slot + " failed: " + describe(s.failure));
            }
            if (s.receiverGone && drain.failure == null) {
                result.errors.add("sender " + s.slot + " found the receiver closed");
            }
            ids = Math.max(ids, (long) (s.incarnations - 1) * count + s.slot + 1);
        }
        final long[] sentRecords = new long[(int) ids];
        final long[] sentBytes = new long[(int) ids];
        for (SenderThread s : senders) {
            for (int inc = 0; inc < s.incarnations; inc++) {
                final int id = inc * count + s.slot;
                sentRecords[id] = s.committed[inc];
                sentBytes[id] = s.committedBytes[inc];
                result.sentRecords += s.committed[inc];
                result.sentBytes += s.committedBytes[inc];
            }
            result.aborted += s.aborted;
            result.ringFull += s.ringFull;
            result.senderIds += s.incarnations;
        }
        result.mismatchedIds = verifier.finish(sentRecords, sentBytes);
        result.receivedRecords = verifier.records();
        result.receivedBytes = verifier.bytes();
        result.lost = verifier.lost();
        result.duplicated = verifier.duplicated();
        result.reordered = verifier.reordered();
        result.corrupted = verifier.corrupted();
        result.abortedSeen = verifier.abortedSeen();
        result.failures.addAll(verifier.messages());
        result.disconnected = drain.disconnected;
        result.afterDisconnect = drain.afterDisconnect;
        result.elapsedNanos = (drain.disconnected ? drain.finishedAt : System.nanoTime()) - start;
        return result;
    }

    /**
     * Waits for the receiver to finish, printing progress lines and looking
     * for a stall. Returns false on a stall (already recorded in {@code result}).
     */
    private static boolean watch(SoakOptions options, Drain drain, Thread drainThread, Thread[] senders,
                                 long start, PrintStream out, Result result) throws InterruptedException {
        final long progressNanos = (long) (options.progressSeconds * NANOS_PER_SECOND);
        final long stallNanos = (long) (options.stallSeconds * NANOS_PER_SECOND);
        long nextProgress = progressNanos == 0 ? Long.MAX_VALUE : start + progressNanos;
        long lastRecords = 0;
        long lastBytes = 0;
        long lastLine = start;
        long seenRecords = -1;
        long seenAt = start;
        while (drainThread.isAlive()) {
            final long now = System.nanoTime();
            final long waitNanos = Math.max(1, Math.min(Math.min(nextProgress - now, stallNanos), NANOS_PER_SECOND));
            drainThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
            final long at = System.nanoTime();
            // opaque reads of the receiver's progress counters: good enough for a report, exact totals come after join()
            final long records = drain.records.getOpaque();
            final long bytes = drain.bytes.getOpaque();
            if (records != seenRecords) {
                seenRecords = records;
                seenAt = at;
            } else if (at - seenAt >= stallNanos && drainThread.isAlive()) {
                result.stalled = true;
                result.receivedRecords = records;
                result.receivedBytes = bytes;
                result.elapsedNanos = at - start;
                result.errors.add(String.format(Locale.ROOT, "stalled: no record received for %.1f s after %,d records",
                        (at - seenAt) / 1e9, records));
                result.errors.add(drainThread.getName() + ": " + where(drainThread));
                for (Thread sender : senders) {
                    result.errors.add(sender.getName() + ": " + where(sender));
                }
                return false;
            }
            if (at >= nextProgress && drainThread.isAlive()) {
                final long interval = at - lastLine;
                out.println(String.format(Locale.ROOT,
                        "  %8.1f s  %,16d records  %9.2f GB  %,12.0f records/s  %6.2f GB/s",
                        (at - start) / 1e9, records, bytes / 1e9,
                        (records - lastRecords) * 1e9 / interval, (bytes - lastBytes) / (double) interval));
                out.flush();
                lastRecords = records;
                lastBytes = bytes;
                lastLine = at;
                while (nextProgress <= at) {
                    nextProgress += progressNanos;
                }
            }
        }
        return true;
    }

    private static Thread daemon(Runnable task, String name) {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true); // a stalled run must not keep the JVM alive after it reported
        return thread;
    }

    /** The state and top frames of a thread, for a stall report. */
    private static String where(Thread thread) {
        final StringBuilder s = new StringBuilder(thread.getState().toString());
        final StackTraceElement[] frames = thread.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 6); i++) {
            s.append(i == 0 ? " at " : " < ").append(frames[i]);
        }
        return s.toString();
    }

    private static String describe(Throwable t) {
        final StackTraceElement[] frames = t.getStackTrace();
        return t + (frames.length > 0 ? " at " + frames[0] : "");
    }

    /** A sending thread. Its counters are written by it alone and read by the main thread after join(). */
    private static final class SenderThread implements Runnable {
        final int slot;
        private final int senders;
        private final long quota;
        /** A System.nanoTime() deadline, or 0 for none; set before start(), which publishes it. */
        private final long deadline;
        private final PayloadFormat format;
        private final boolean aborts;
        private final boolean churn;
        private final int churnMax;
        /** An abort happens when 53 random bits fall below this. */
        private final long abortThreshold;
        private final int lengthSpan;
        private final SplittableRandom random;
        private final SoakOptions.Fault fault;
        private final long faultAt;
        /** The first sender; handed over before start(), which publishes it. */
        private MpscSender first;

        /**
         * Incarnations begun (ids issued to this thread). Volatile: the
         * receiver reads it to tell an issued id from a corrupted one. The
         * write comes before the first commit of the incarnation (a release),
         * and the receiver reads it after acquiring that record's header, so
         * it never sees an id of a record it received as unissued.
         */
        volatile int incarnations;

        // per incarnation: what it committed; read by the main thread after join()
        long[] committed = new long[1];
        long[] committedBytes = new long[1];
        long aborted;
        long ringFull;
        boolean receiverGone;
        Throwable failure;

        SenderThread(int slot, MpscSender first, long quota, long deadline, PayloadFormat format,
                     SoakOptions options) {
            this.slot = slot;
            this.senders = options.senders;
            this.first = first;
            this.quota = quota;
            this.deadline = deadline;
            this.format = format;
            this.aborts = options.variant.aborts() && options.abortRate > 0;
            this.churn = options.variant.churn();
            this.churnMax = options.churnMax;
            this.abortThreshold = (long) (options.abortRate * (1L << 53));
            this.lengthSpan = format.maxLength() - format.minLength() + 1;
            this.random = new SplittableRandom(options.seed ^ PayloadFormat.mix(slot + 1L));
            this.fault = slot == 0 ? options.fault : SoakOptions.Fault.NONE;
            this.faultAt = quota == Long.MAX_VALUE ? 1000 : quota / 2;
        }

        @Override
        public void run() {
            MpscSender current = first;
            first = null;
            try {
                long done = 0;
                boolean injected = fault == SoakOptions.Fault.NONE;
                int steps = 0; // across incarnations: short ones must not skip the deadline check
                for (int inc = 0;; inc++) {
                    final int id = inc * senders + slot;
                    final boolean handOver = churn && (long) (inc + 1) * senders + slot <= PayloadFormat.MAX_ID;
                    if (inc == committed.length) {
                        committed = Arrays.copyOf(committed, 2 * inc);
                        committedBytes = Arrays.copyOf(committedBytes, 2 * inc);
                    }
                    incarnations = inc + 1; // volatile: issues the id before any of its records is committed
                    long budget = quota - done;
                    if (handOver) {
                        budget = Math.min(budget, 1 + random.nextInt(churnMax));
                    }
                    long sequence = 0;
                    long bytes = 0;
                    boolean timeUp = false;
                    boolean openClaim = false;
                    try {
                        while (sequence < budget) {
                            if ((++steps & 255) == 0 && deadline != 0 && System.nanoTime() - deadline >= 0) {
                                timeUp = true;
                                break;
                            }
                            if (aborts && (random.nextLong() >>> 11) < abortThreshold) {
                                aborted++;
                                final int length = format.minLength() + random.nextInt(lengthSpan);
                                final WriteClaim claim = claim(current, length);
                                final ByteBuffer view = claim.buffer();
                                format.fill(view, view.position(), length,
                                        PayloadFormat.ABORTED | PayloadFormat.tag(id, sequence));
                                final int how = random.nextInt(8);
                                if (how == 0 && handOver) {
                                    openClaim = true; // the incarnation ends: closing the sender aborts the claim
                                    break;
                                }
                                if (how < 4) {
                                    claim.abort();
                                } else {
                                    claim.close(); // uncommitted: close aborts
                                }
                                continue;
                            }
                            final long tag = PayloadFormat.tag(id, sequence);
                            final int length = format.length(tag);
                            if (!injected && done + sequence >= faultAt) {
                                final int consumed = inject(current, id, sequence, budget - sequence);
                                if (consumed >= 0) {
                                    injected = true;
                                    for (int k = 0; k < consumed; k++) {
                                        bytes += format.length(PayloadFormat.tag(id, sequence + k));
                                    }
                                    sequence += consumed;
                                    continue;
                                }
                            }
                            final WriteClaim claim = claim(current, length);
                            final ByteBuffer view = claim.buffer();
                            format.fill(view, view.position(), length, tag);
                            claim.commit();
                            current.wake();
                            sequence++;
                            bytes += length;
                        }
                    } finally {
                        committed[inc] = sequence;
                        committedBytes[inc] = bytes;
                        done += sequence;
                    }
                    if (!openClaim && (timeUp || done >= quota || !handOver)) {
                        break;
                    }
                    // churn: a fresh sender from the old one, which then leaves (the new one keeps the
                    // channel open); closing it aborts the claim it may still hold
                    final MpscSender next = current.duplicate();
                    current.close();
                    current = next;
                }
            } catch (ChannelClosedException e) {
                receiverGone = true; // the receiver failed and closed; it reports why
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                current.close(); // aborts a claim left open by a failure
            }
        }

        /** One claim: trySend, and when the ring is full, count it and wait in send. */
        private WriteClaim claim(MpscSender sender, int length) {
            final WriteClaim claim = sender.trySend(length);
            if (claim != null) {
                return claim;
            }
            ringFull++;
            try {
                return sender.send(length);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // nothing interrupts a soak sender: fail the run
                throw new IllegalStateException("soak sender interrupted while the ring was full", e);
            }
        }

        private void commit(MpscSender sender, long tag, int length) {
            final WriteClaim claim = claim(sender, length);
            final ByteBuffer view = claim.buffer();
            format.fill(view, view.position(), length, tag);
            claim.commit();
            sender.wake();
        }

        /**
         * Injects the fault in place of record {@code sequence}.
         *
         * @return how many sequence numbers count as committed, or -1 to try again at the next record
         */
        private int inject(MpscSender sender, int id, long sequence, long room) {
            final long tag = PayloadFormat.tag(id, sequence);
            final int length = format.length(tag);
            switch (fault) {
                case SKIP:
                    return 1; // counted as committed, never sent: lost
                case DUPLICATE:
                    commit(sender, tag, length);
                    commit(sender, tag, length); // sent twice, counted once
                    return 1;
                case REORDER:
                    if (room < 2) {
                        return -1;
                    }
                    final long after = PayloadFormat.tag(id, sequence + 1);
                    commit(sender, after, format.length(after));
                    commit(sender, tag, length);
                    return 2;
                case CORRUPT: {
                    final WriteClaim claim = claim(sender, length);
                    final ByteBuffer view = claim.buffer();
                    final int last = view.position() + length - 1;
                    format.fill(view, view.position(), length, tag);
                    view.put(last, (byte) (view.get(last) ^ 0x5A)); // one bit pattern in the last byte
                    claim.commit();
                    sender.wake();
                    return 1;
                }
                case SHOW_ABORTED:
                    commit(sender, PayloadFormat.ABORTED | tag, length); // as if an aborted claim were delivered
                    return 0;
                default:
                    throw new IllegalStateException("no fault to inject");
            }
        }
    }

    /** The receiving thread: verifies every record until the disconnect. */
    private static final class Drain implements Runnable {
        private final Receiver receiver;
        private final Verifier verifier;
        private final int batch;
        /** For the watching thread's progress lines only: opaque writes here, opaque reads there. */
        final AtomicLong records = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        // read by the main thread after join()
        long finishedAt;
        boolean disconnected;
        long afterDisconnect;
        Throwable failure;

        Drain(Receiver receiver, Verifier verifier, int batch) {
            this.receiver = receiver;
            this.verifier = verifier;
            this.batch = batch;
        }

        @Override
        public void run() {
            try (Receiver receiver = this.receiver) { // closing it on a failure stops the senders
                final Verifier verifier = this.verifier;
                final int batch = this.batch;
                try {
                    for (;;) {
                        // whatever is committed is checked in batches; when nothing is, park for the next record
                        if (batch == 0 || receiver.tryRead(verifier, batch) == 0) {
                            try (ReadClaim record = receiver.recv()) {
                                verifier.onRecord(record);
                            }
                        }
                        records.setOpaque(verifier.records());
                        bytes.setOpaque(verifier.bytes());
                    }
                } catch (ChannelClosedException everySenderClosed) {
                    finishedAt = System.nanoTime();
                    disconnected = true;
                }
                records.setOpaque(verifier.records());
                bytes.setOpaque(verifier.bytes());
                // the disconnect is final: nothing more may come out
                try (ReadClaim late = receiver.tryRecv()) {
                    if (late != null) {
                        afterDisconnect++;
                        verifier.onRecord(late);
                    }
                } catch (ChannelClosedException expected) {
                    // still disconnected
                }
            } catch (InterruptedException | RuntimeException | Error e) {
                failure = e;
            }
        }
    }
}
