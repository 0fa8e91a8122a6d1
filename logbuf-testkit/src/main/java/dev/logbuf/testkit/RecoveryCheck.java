package dev.logbuf.testkit;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.Unblock;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs the recovery scenarios on real threads: a producer thread that dies
 * between claim and commit, a live producer that holds its claim past the
 * unblock delay, and a producer handle that is dropped with a claim open and
 * collected. Each checks, with a {@link Ledger}, that every committed record
 * arrives exactly once, in per-producer order and uncorrupted, and that the
 * dead claim never arrives.
 *
 * <p>Bounded: waits spin, yield or sleep a millisecond, so two cores suffice;
 * every wait and join ends at a deadline and fails rather than hangs. Nothing
 * is judged by how long it took.
 *
 * <p>These use the optional methods of {@link ConsumerUnderTest}
 * ({@code unblock}, {@code unblockAfter}, {@code stallListener},
 * {@code stats}, {@code isDisconnected}); a missing one fails the run with a
 * message that names it.
 */
public final class RecoveryCheck {

    private RecoveryCheck() {
    }

    /** What a producer thread dies of: swallowed by its handler, so the run's output stays quiet. */
    static final class DeliberateDeath extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeliberateDeath() {
            super("a producer thread dies here on purpose, its claim open", null, false, false);
        }
    }

    /**
     * A producer thread dies from an uncaught exception between claim and
     * commit while the other producers keep sending; the consumer must step
     * over the dead claim (once its thread has terminated) and hand out
     * everything the others committed, exactly once and in order, and never
     * the dead claim. The dead thread claims once {@code positionPercent} %
     * of the others' commits are in, so its claim lands before, between or
     * after theirs.
     *
     * @param ring a fresh MPSC ring (or channel) for {@code others}' capacity
     * @param others the other producers' plans (1 to 3 producers)
     * @param deadLength the payload length of the dead claim (clamped to the maximum)
     * @param positionPercent how far into the others' commits the dead claim is made, 0 to 100
     * @param automatic whether the consumer steps over the dead claim by itself
     *        ({@code unblockAfter} of 20 ms) rather than by explicit {@code unblock()} calls
     * @param timeout how long the whole run may take
     * @throws AssertionError if a record is wrong, missing, or the run times out
     */
    public static void deadProducer(RingUnderTest ring, Schedule others, int deadLength, int positionPercent,
            boolean automatic, Duration timeout) {
        final int senders = others.senders().size();
        if (senders > Payloads.MAX_SENDERS - 1) {
            throw new IllegalArgumentException("at most " + (Payloads.MAX_SENDERS - 1) + " other producers");
        }
        final int dead = senders;
        final Ledger ledger = Ledger.of(others, senders + 1);
        final ConsumerUnderTest consumer = ring.consumer();
        automatic(consumer, automatic);
        final long deadline = System.nanoTime() + timeout.toNanos();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger commits = new AtomicInteger();
        final int position = (int) ((long) others.committed() * positionPercent / 100);
        final List<Thread> threads = new ArrayList<>();
        final ProducerUnderTest[] producers = new ProducerUnderTest[senders + 1];
        producers[0] = ring.producer();
        for (int s = 1; s <= senders; s++) {
            producers[s] = ring.newProducer();
        }
        for (int s = 0; s < senders; s++) {
            final int sender = s;
            threads.add(thread("logbuf-testkit-producer-" + s, failure, () -> {
                final List<Schedule.Planned> plan = others.senders().get(sender);
                for (int seq = 0; seq < plan.size(); seq++) {
                    produce(producers[sender], sender, seq, plan.get(seq), deadline, failure);
                    if (!plan.get(seq).abort()) {
                        commits.incrementAndGet();
                    }
                }
            }));
        }
        final int length = Math.min(deadLength, ring.maxRecordLength());
        final byte[] deadPayload = Payloads.of(dead, 0, length);
        ledger.aborted(dead, deadPayload);
        final Thread dying = thread("logbuf-testkit-dying-producer", failure, () -> {
            while (commits.get() < position) {
                if (!waitABit(deadline, failure)) {
                    return;
                }
            }
            final ClaimUnderTest claim = claim(producers[dead], length, deadline, failure);
            if (claim != null) {
                claim.put(0, deadPayload);
                throw new DeliberateDeath(); // uncaught: the thread terminates with its claim open
            }
        });
        threads.add(dying);
        threads.forEach(Thread::start);
        try {
            int empty = 0;
            while (!ledger.complete() || anyAlive(threads)) {
                if (failure.get() != null) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out: " + (dying.isAlive() ? "the dying producer never died"
                            : "the records behind the dead claim never arrived (was it stepped over?)"));
                }
                if (receive(consumer, ledger)) {
                    empty = 0;
                    continue;
                }
                if (!automatic && ++empty % 16 == 0) {
                    consumer.unblock(); // STALLED while the dying thread lives, RECOVERED once
                }
                pause(empty);
            }
        } catch (AssertionError | RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            joinAll(threads, deadline, failure);
        }
        rethrow(failure, ledger);
        // the dead claim may still hold the head if it came after every other record
        if (automatic) {
            waitUntilUnblocked(consumer, ledger, deadline);
        } else {
            settle(consumer, ledger);
        }
        assertNothingLeft(consumer, ledger);
        final QueueStats stats = statsOrNull(consumer);
        if (stats != null) {
            expect(stats.recovered() == 1, "stats().recovered() is " + stats.recovered()
                    + " after one dead claim (" + stats + ")");
            expect(stats.committed() == others.committed(), "stats().committed() is " + stats.committed()
                    + ", the producers committed " + others.committed() + " (" + stats + ")");
            expect(stats.consumed() == others.committed(), "stats().consumed() is " + stats.consumed()
                    + ", the consumer received " + others.committed() + " (" + stats + ")");
            expect(stats.aborted() == aborts(others), "stats().aborted() is " + stats.aborted()
                    + ", the producers aborted " + aborts(others) + ": a recovered claim is not an abort ("
                    + stats + ")");
        }
        // an unreachable handle counts as closed once collected: a channel would report the disconnect
        Reference.reachabilityFence(producers);
    }

    /**
     * The one producer of an SPSC ring: its thread commits the first part of
     * {@code plan}, then dies from an uncaught exception with a claim open;
     * another thread takes the handle over and sends the rest. Nothing
     * committed is lost, and the dead claim never arrives.
     *
     * @param ring a fresh ring (or channel) for {@code plan}'s capacity
     * @param plan the records, in order (sender 0 of the schedule)
     * @param deadLength the payload length of the dead claim (clamped to the maximum)
     * @param positionPercent how far into the plan the first thread dies, 0 to 100
     * @param recoverFirst whether the consumer steps over the dead claim
     *        (explicit {@code unblock()}) before the second thread starts;
     *        otherwise the second thread starts at once, the consumer's
     *        {@code unblockAfter} of 20 ms racing its take-over
     * @param timeout how long the whole run may take
     * @throws AssertionError if a record is wrong, missing, or the run times out
     */
    public static void deadProducerTakenOver(RingUnderTest ring, Schedule plan, int deadLength, int positionPercent,
            boolean recoverFirst, Duration timeout) {
        final List<Schedule.Planned> records = plan.senders().get(0);
        final Ledger ledger = Ledger.of(plan, 2);
        final ConsumerUnderTest consumer = ring.consumer();
        automatic(consumer, !recoverFirst);
        final long deadline = System.nanoTime() + timeout.toNanos();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final int split = records.size() * positionPercent / 100;
        final ProducerUnderTest producer = ring.producer();
        final int length = Math.min(deadLength, ring.maxRecordLength());
        final byte[] deadPayload = Payloads.of(1, 0, length);
        ledger.aborted(1, deadPayload);
        final Thread first = thread("logbuf-testkit-first-owner", failure, () -> {
            for (int seq = 0; seq < split; seq++) {
                produce(producer, 0, seq, records.get(seq), deadline, failure);
            }
            final ClaimUnderTest claim = claim(producer, length, deadline, failure);
            if (claim != null) {
                claim.put(0, deadPayload);
                throw new DeliberateDeath();
            }
        });
        final Thread second = thread("logbuf-testkit-second-owner", failure, () -> {
            for (int seq = split; seq < records.size(); seq++) {
                produce(producer, 0, seq, records.get(seq), deadline, failure);
            }
        });
        first.start();
        try {
            boolean recovered = false;
            boolean started = false;
            int empty = 0;
            while (!ledger.complete() || !started || second.isAlive()) {
                if (failure.get() != null) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out (first owner " + (first.isAlive() ? "alive" : "dead")
                            + ", dead claim " + (recovered ? "" : "not ") + "recovered)");
                }
                if (!started && !first.isAlive() && (!recoverFirst || recovered)) {
                    second.start();
                    started = true;
                }
                if (receive(consumer, ledger)) {
                    empty = 0;
                    continue;
                }
                if (recoverFirst && !recovered && !first.isAlive()) {
                    final Unblock u = consumer.unblock();
                    expect(u != Unblock.STALLED, "unblock() reported a stall at a claim whose thread "
                            + "has terminated");
                    recovered = u == Unblock.RECOVERED;
                }
                pause(++empty);
            }
        } catch (AssertionError | RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            joinAll(List.of(first, second), deadline, failure);
        }
        rethrow(failure, ledger);
        // a dead claim after the last record is still there if no claim came to take the handle over
        settle(consumer, ledger);
        assertNothingLeft(consumer, ledger);
        final QueueStats stats = statsOrNull(consumer);
        if (stats != null) {
            // taken over first, the dead claim was aborted by the new owner; recovered first, it was recovered
            expect(recoverFirst ? stats.recovered() == 1 : stats.recovered() <= 1, "stats().recovered() is "
                    + stats.recovered() + " after one dead claim (" + stats + ")");
            expect(stats.committed() == plan.committed(), "stats().committed() is " + stats.committed()
                    + ", the producer committed " + plan.committed() + " (" + stats + ")");
        }
        Reference.reachabilityFence(producer); // open until the end, as above
    }

    /**
     * A live producer thread holds its claim longer than the unblock delay:
     * the consumer must not take it, must report the stall once (listener
     * and counter), {@code unblock()} must say {@link Unblock#STALLED}, and
     * the record must arrive intact and in order once its thread commits it.
     * On an MPSC ring a second producer sends behind the held claim; nothing
     * of it may arrive before the held record.
     *
     * @param ring a fresh ring (or channel) for {@code plans}' capacity
     * @param plans sender 0 holds its claim after its first {@code holdAt} %
     *        of records; a sender 1, if any (MPSC), sends once the claim is held
     * @param holdLength the payload length of the held claim (clamped to the maximum)
     * @param holdAt how far into sender 0's plan the held claim comes, 0 to 100
     * @param delay the consumer's {@code unblockAfter}
     * @param timeout how long the whole run may take
     * @throws AssertionError if a record is wrong, missing or early, the stall
     *         is not reported as it should be, or the run times out
     */
    public static void slowProducer(RingUnderTest ring, Schedule plans, int holdLength, int holdAt, Duration delay,
            Duration timeout) {
        final int senders = plans.senders().size();
        final List<Schedule.Planned> mine = plans.senders().get(0);
        final int split = mine.size() * holdAt / 100;
        final int length = Math.min(holdLength, ring.maxRecordLength());
        // sender 0's plan with the held record inserted at split
        final List<Schedule.Planned> withHeld = new ArrayList<>(mine);
        withHeld.add(split, new Schedule.Planned(length, false));
        final List<List<Schedule.Planned>> all = new ArrayList<>(plans.senders());
        all.set(0, withHeld);
        final Schedule schedule = new Schedule(plans.requestedCapacity(), all);
        final Ledger ledger = Ledger.of(schedule);
        final byte[] heldPayload = Payloads.of(0, split, length);
        final ConsumerUnderTest consumer = ring.consumer();
        consumer.unblockAfter(null); // off until the claim is held: only that claim may be reported
        final List<Thread> stalledThreads = Collections.synchronizedList(new ArrayList<>());
        consumer.stallListener((position, claimant) -> stalledThreads.add(claimant));
        final long deadline = System.nanoTime() + timeout.toNanos();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean held = new AtomicBoolean();
        final CountDownLatch commitNow = new CountDownLatch(1);
        final ProducerUnderTest[] producers = new ProducerUnderTest[senders];
        producers[0] = ring.producer();
        for (int s = 1; s < senders; s++) {
            producers[s] = ring.newProducer();
        }
        final Thread slow = thread("logbuf-testkit-slow-producer", failure, () -> {
            for (int seq = 0; seq < withHeld.size(); seq++) {
                if (seq != split) {
                    produce(producers[0], 0, seq, withHeld.get(seq), deadline, failure);
                    continue;
                }
                final ClaimUnderTest claim = claim(producers[0], length, deadline, failure);
                if (claim == null) {
                    return;
                }
                claim.put(0, heldPayload);
                held.set(true);
                try {
                    // bounded: a run that went wrong must not leave this thread behind
                    commitNow.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                claim.commit(); // throws if the consumer took the claim away
            }
        });
        final List<Thread> threads = new ArrayList<>();
        threads.add(slow);
        for (int s = 1; s < senders; s++) {
            final int sender = s;
            threads.add(thread("logbuf-testkit-producer-" + s, failure, () -> {
                final List<Schedule.Planned> plan = all.get(sender);
                for (int seq = 0; seq < plan.size(); seq++) {
                    produce(producers[sender], sender, seq, plan.get(seq), deadline, failure);
                }
            }));
        }
        slow.start();
        final boolean[] heldReceived = {false};
        try {
            // 1. until the claim is held: consume what comes before it
            int empty = 0;
            while (!held.get()) {
                failIfDone(failure, deadline, "the slow producer never made its claim");
                empty = receiveOrPause(consumer, ledger, heldPayload, heldReceived, empty);
            }
            for (int s = 1; s < threads.size(); s++) {
                threads.get(s).start(); // senders behind the held claim
            }
            consumer.unblockAfter(delay);
            // 2. until the stall is reported: nothing behind the claim may arrive
            while (stalledThreads.isEmpty()) {
                failIfDone(failure, deadline, "the held claim was never reported as a stall (listener not called"
                        + " though the claim held the head past unblockAfter " + delay + ")");
                empty = receiveOrPause(consumer, ledger, heldPayload, heldReceived, empty);
                if (empty > 0) {
                    sleepAMillisecond();
                }
            }
            expect(!heldReceived[0], "the held record arrived before it was committed");
            expect(consumer.unblock() == Unblock.STALLED, "unblock() at a claim held by a live thread must say "
                    + "STALLED");
            final QueueStats during = statsOrNull(consumer);
            if (during != null) {
                expect(during.stalls() >= 1, "stats().stalls() is " + during.stalls() + " after a reported stall");
                expect(during.recovered() == 0, "stats().recovered() is " + during.recovered()
                        + ": a live thread's claim was taken");
            }
            // 3. the claim commits: it and everything behind it arrive
            commitNow.countDown();
            while (!ledger.complete() || anyAlive(threads)) {
                failIfDone(failure, deadline, "the records did not arrive after the held claim was committed");
                empty = receiveOrPause(consumer, ledger, heldPayload, heldReceived, empty);
                if (heldReceived[0]) {
                    consumer.unblockAfter(null); // no further report: later claims are not under test
                }
            }
        } catch (AssertionError | RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            commitNow.countDown();
            joinAll(threads, deadline, failure);
        }
        rethrow(failure, ledger);
        assertNothingLeft(consumer, ledger);
        expect(stalledThreads.size() == 1 && stalledThreads.get(0) == slow, "the stall listener must be told "
                + "once, with the slow producer's thread " + slow.getName() + "; it was told " + names(stalledThreads));
        final QueueStats stats = statsOrNull(consumer);
        if (stats != null) {
            expect(stats.recovered() == 0, "stats().recovered() is " + stats.recovered()
                    + ": a live thread's claim was taken (" + stats + ")");
            expect(stats.stalls() >= 1, "stats().stalls() is 0 after a reported stall (" + stats + ")");
            expect(stats.committed() == schedule.committed(), "stats().committed() is " + stats.committed()
                    + ", the producers committed " + schedule.committed() + " (" + stats + ")");
        }
        Reference.reachabilityFence(producers); // open until the end, as above
    }

    /**
     * A producer handle dropped without being closed, with a claim open, is
     * collected: the consumer must step over its claim (never delivering it),
     * the records claimed after it must flow, and the consumer must report
     * the disconnect once every handle is gone. On an MPSC ring a first
     * handle sends before and after the dropped claim and closes at the end;
     * on an SPSC ring the one handle is dropped with the ring, and only the
     * consumer is kept.
     *
     * <p>Over a {@link ChannelUnderTest} the receiver must step over the
     * dropped claim by itself (its default {@code unblockAfter}); over a raw
     * ring the check calls {@code unblock()}. It calls {@link System#gc()}
     * until the handle is collected, within {@code timeout}.
     *
     * @param factory makes the ring
     * @param requested the capacity to ask for (room for eight records of 32 bytes)
     * @param timeout how long the whole run may take
     * @throws AssertionError if a record is wrong or missing, the dropped
     *         claim arrives, the disconnect is wrong, or the run times out
     */
    public static void collectedProducer(RingFactory factory, int requested, Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Ledger ledger = new Ledger(2);
        final boolean channel;
        final ConsumerUnderTest consumer;
        final ProducerUnderTest kept;
        if (factory.multiProducer()) {
            final RingUnderTest ring = factory.create(requested);
            channel = ring instanceof ChannelUnderTest;
            consumer = ring.consumer();
            kept = ring.producer();
            send(kept, 0, 0, 3, ledger);
            dropWithAnOpenClaim(ring::newProducer, ledger);
            send(kept, 0, 3, 3, ledger);
        } else {
            final Object[] out = spscDropped(factory, requested, ledger);
            channel = (Boolean) out[0];
            consumer = (ConsumerUnderTest) out[1];
            kept = null;
        }
        boolean recovered = false;
        boolean closedSeen = false;
        int round = 0;
        while (!ledger.complete() || (kept == null && !closedSeen) || (!channel && !recovered)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the dropped handle's claim was not stepped over within " + timeout
                        + " (" + ledger.progress() + ", disconnected " + consumer.isDisconnected() + ")");
            }
            if (round++ % 4 == 0) {
                System.gc();
            }
            try {
                if (!channel && consumer.unblock() == Unblock.RECOVERED) {
                    recovered = true;
                }
                while (receive(consumer, ledger)) {
                    // drain
                }
                if (!channel && kept == null && consumer.isDisconnected() && recovered) {
                    closedSeen = true;
                }
            } catch (ChannelClosedException e) {
                expect(kept == null, "the receiver reported the disconnect with a sender open");
                expect(ledger.complete(), "the receiver reported the disconnect before the drain: "
                        + ledger.progress());
                closedSeen = true;
            }
            sleepMillis(10);
        }
        if (kept != null) {
            expect(!consumer.isDisconnected(), "isDisconnected() with a producer handle still open");
            kept.close();
            expect(consumer.isDisconnected(), "isDisconnected() once the last open handle closed and the other "
                    + "was collected");
            if (channel) {
                try {
                    final RecordUnderTest extra = consumer.tryClaim();
                    throw new AssertionError("tryRecv after the last sender closed returned "
                            + (extra == null ? "null" : "a record") + ", not the disconnect");
                } catch (ChannelClosedException expected) {
                    // the disconnect, after the drain
                }
            } else {
                expect(consumer.tryClaim() == null, "a record after the drain");
            }
        } else {
            expect(consumer.isDisconnected(), "isDisconnected() once the only handle was collected");
        }
        final QueueStats stats = statsOrNull(consumer);
        if (stats != null) {
            expect(stats.recovered() == 1, "stats().recovered() is " + stats.recovered()
                    + " after one collected claim (" + stats + ")");
            expect(stats.producers() == 0, "stats().producers() is " + stats.producers() + " with every handle gone");
        }
    }

    /** SPSC: makes the ring, sends, claims and drops everything but the consumer. */
    private static Object[] spscDropped(RingFactory factory, int requested, Ledger ledger) {
        final RingUnderTest ring = factory.create(requested);
        final ProducerUnderTest producer = ring.producer();
        send(producer, 0, 0, 3, ledger);
        dropWithAnOpenClaim(() -> producer, ledger);
        return new Object[] {ring instanceof ChannelUnderTest, ring.consumer()};
    }

    /** Claims through a handle from {@code handle} and leaves the claim open; the caller keeps neither. */
    private static void dropWithAnOpenClaim(Supplier<? extends ProducerUnderTest> handle, Ledger ledger) {
        final byte[] payload = Payloads.of(1, 0, 32);
        ledger.aborted(1, payload);
        final ClaimUnderTest claim = handle.get().tryClaim(32);
        expect(claim != null, "a claim on a ring with room");
        claim.put(0, payload);
    }

    private static void send(ProducerUnderTest producer, int sender, int from, int count, Ledger ledger) {
        for (int seq = from; seq < from + count; seq++) {
            final byte[] payload = Payloads.of(sender, seq, 32);
            final ClaimUnderTest claim = producer.tryClaim(32);
            expect(claim != null, "a claim on a ring with room");
            claim.put(0, payload);
            claim.commit();
            ledger.committed(sender, payload);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static long aborts(Schedule schedule) {
        return schedule.senders().stream().flatMap(List::stream).filter(Schedule.Planned::abort).count();
    }

    private static void automatic(ConsumerUnderTest consumer, boolean on) {
        consumer.unblockAfter(on ? Duration.ofMillis(20) : null);
    }

    /** Claims (spinning while full), writes the record, commits or aborts it. */
    private static void produce(ProducerUnderTest producer, int sender, int seq, Schedule.Planned p, long deadline,
            AtomicReference<Throwable> failure) {
        final ClaimUnderTest claim = claim(producer, p.length(), deadline, failure);
        if (claim == null) {
            throw new DeliberateDeath(); // the run is over (failed or timed out): leave quietly
        }
        claim.put(0, Payloads.of(sender, seq, p.length()));
        if (p.abort()) {
            claim.abort();
        } else {
            claim.commit();
        }
        if (producer instanceof SenderUnderTest s) {
            s.wake();
        }
    }

    /** One claim, retried while the ring is full; null if the run failed or timed out meanwhile. */
    private static ClaimUnderTest claim(ProducerUnderTest producer, int length, long deadline,
            AtomicReference<Throwable> failure) {
        ClaimUnderTest claim;
        int spins = 0;
        while ((claim = producer.tryClaim(length)) == null) {
            if (failure.get() != null || System.nanoTime() > deadline) {
                return null;
            }
            if (++spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return claim;
    }

    private static boolean waitABit(long deadline, AtomicReference<Throwable> failure) {
        if (failure.get() != null || System.nanoTime() > deadline) {
            return false;
        }
        Thread.yield();
        return true;
    }

    private static Thread thread(String name, AtomicReference<Throwable> failure, Runnable body) {
        final Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> {
            if (!(e instanceof DeliberateDeath)) {
                failure.compareAndSet(null, e);
            }
        });
        return t;
    }

    /** Takes one record into the ledger; false when none was waiting. */
    private static boolean receive(ConsumerUnderTest consumer, Ledger ledger) {
        final RecordUnderTest r = consumer.tryClaim();
        if (r == null) {
            return false;
        }
        try {
            ledger.received(r.bytes());
        } finally {
            r.close();
        }
        return true;
    }

    /** Slow producer: one look; a record of sender 1 before the held one is an error. */
    private static int receiveOrPause(ConsumerUnderTest consumer, Ledger ledger, byte[] heldPayload,
            boolean[] heldReceived, int empty) {
        final RecordUnderTest r = consumer.tryClaim();
        if (r == null) {
            pause(empty + 1);
            return empty + 1;
        }
        try {
            final byte[] bytes = r.bytes();
            if (Payloads.sender(bytes) != 0 && !heldReceived[0]) {
                throw new AssertionError("a record claimed after the held claim (sender " + Payloads.sender(bytes)
                        + ") arrived before it: the held claim was stepped over");
            }
            ledger.received(bytes);
            if (Arrays.equals(bytes, heldPayload)) {
                heldReceived[0] = true;
            }
        } finally {
            r.close();
        }
        return 0;
    }

    private static void pause(int empty) {
        if (empty % 32 == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    private static void failIfDone(AtomicReference<Throwable> failure, long deadline, String timeoutMessage) {
        if (failure.get() != null) {
            throw new AssertionError("a producer failed", failure.get());
        }
        if (System.nanoTime() > deadline) {
            throw new AssertionError("timed out: " + timeoutMessage);
        }
    }

    /** Automatic recovery: the consumer's own looks must step over a trailing dead claim. */
    private static void waitUntilUnblocked(ConsumerUnderTest consumer, Ledger ledger, long deadline) {
        final QueueStats stats = statsOrNull(consumer);
        if (stats == null) {
            consumer.unblock();
            return;
        }
        while (statsOrNull(consumer).recovered() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("unblockAfter(20 ms) never stepped over the dead claim: "
                        + statsOrNull(consumer));
            }
            receive(consumer, ledger);
            sleepAMillisecond();
        }
    }

    /**
     * Steps over a dead claim that may still hold the head after the last
     * record: unblock() looks at the head as it is, so skips before the claim
     * are stepped over first (by a look for a record).
     */
    private static void settle(ConsumerUnderTest consumer, Ledger ledger) {
        for (int i = 0; i < 3; i++) {
            while (receive(consumer, ledger)) {
                // every record in must already be received: the ledger throws on anything else
            }
            final Unblock u = consumer.unblock();
            expect(u != Unblock.STALLED, "unblock() reported a stall with every producer thread finished");
            if (u == Unblock.NOT_BLOCKED) {
                return;
            }
        }
    }

    private static void assertNothingLeft(ConsumerUnderTest consumer, Ledger ledger) {
        final RecordUnderTest extra = consumer.tryClaim();
        if (extra != null) {
            ledger.received(extra.bytes()); // throws: names what it is
        }
        final Unblock u = consumer.unblock();
        expect(u == Unblock.NOT_BLOCKED, "unblock() on a drained ring with no claim open says " + u);
    }

    private static QueueStats statsOrNull(ConsumerUnderTest consumer) {
        try {
            return consumer.stats();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean anyAlive(List<Thread> threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    private static void joinAll(List<Thread> threads, long deadline, AtomicReference<Throwable> failure) {
        for (Thread t : threads) {
            if (t.getState() == Thread.State.NEW) {
                continue;
            }
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                failure.compareAndSet(null, new AssertionError(t.getName() + " did not finish in time"));
                t.interrupt();
            }
        }
    }

    private static void rethrow(AtomicReference<Throwable> failure, Ledger ledger) {
        final Throwable f = failure.get();
        if (f instanceof AssertionError e) {
            throw new AssertionError(e.getMessage() + " [" + ledger.progress() + "]", e);
        }
        if (f != null) {
            throw new AssertionError("failed: " + f + " [" + ledger.progress() + "]", f);
        }
    }

    private static String names(List<Thread> threads) {
        final List<String> names = new ArrayList<>();
        synchronized (threads) {
            for (Thread t : threads) {
                names.add(t == null ? "null (an unknown claimant)" : t.getName());
            }
        }
        return names.toString();
    }

    private static void sleepAMillisecond() {
        sleepMillis(1);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
