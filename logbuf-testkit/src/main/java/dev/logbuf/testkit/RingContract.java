package dev.logbuf.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.Unblock;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * The ring contracts, as jqwik properties that run against any
 * {@link RingFactory}: subclass this and return your factory.
 *
 * <pre>{@code
 * public class MyCodecQueueTest extends RingContract {
 *     @Override
 *     protected RingFactory factory() {
 *         return RingFactory.of("MyCodecQueue", true, capacity -> new MyCodecQueueAdapter(capacity));
 *     }
 * }
 * }</pre>
 *
 * <p>The number of tries is jqwik's default ({@code jqwik.tries.default} in
 * {@code junit-platform.properties}, or {@code -Djqwik.tries.default=…} for a
 * soak run). A failing property prints the shrunk scenario: the capacity,
 * the producers and the shortest operation sequence that still fails.
 *
 * <p>The properties run on the JUnit Platform: Maven Surefire or Failsafe
 * 3.0.0 or later. Under an older Surefire, {@link #testkitContractsNeedTheJUnitPlatform()}
 * fails the build instead (for a {@code public} subclass), saying so.
 */
public abstract class RingContract {

    /** For subclasses, which name the variant under test in {@link #factory()}. */
    protected RingContract() {
    }

    /**
     * Not a contract: fails a build whose test runner does not run the
     * contracts, instead of letting it pass with none run.
     *
     * <p>The contracts are jqwik properties and run on the JUnit Platform
     * (Surefire or Failsafe 3.0.0 or later). Maven 3 runs a pom's tests with
     * Surefire 2.12.4 unless the pom pins {@code maven-surefire-plugin};
     * that Surefire has no JUnit Platform provider and, without JUnit 4 on
     * the test class path, calls every public no-argument method whose name
     * starts with {@code test} on each public class named like a test. It
     * would run none of the contracts and report success; it calls this
     * method instead, which fails with a message that says what to pin.
     *
     * <p>The JUnit Platform never calls it: it carries no test annotation,
     * so neither jqwik nor Jupiter sees a test in it. It is {@code final} so
     * that a subclass cannot turn it into one. It cannot help where
     * Surefire 2.12.4 passes over the class: a contract class that is not
     * {@code public} (that Surefire wants a public no-argument constructor),
     * or a build with JUnit 4 on its test class path (Surefire then uses its
     * JUnit 4 provider, which runs only classes with {@code @org.junit.Test}
     * methods or {@code @RunWith}). The testkit's README says which
     * Surefire to pin and why.
     *
     * @throws AssertionError always, naming the contract class, the Surefire
     *         version that called it (when it can tell) and the version to pin
     */
    public final void testkitContractsNeedTheJUnitPlatform() {
        throw new AssertionError(PlatformGuard.message(getClass()));
    }

    /**
     * Runs {@code scenario} through {@link SequentialCheck}, its failures
     * naming this contract's factory ("on MyChannel of capacity 16"), not
     * the adapter class the factory happens to make.
     */
    final SequentialCheck.Report sequential(RingUnderTest ring, Scenario scenario, Duration patience,
            BiConsumer<String, RingModel> afterEachStep) {
        return SequentialCheck.check(SequentialCheck.nameOf(factory(), ring), ring, scenario, patience,
                afterEachStep);
    }

    /**
     * The factory of the rings under test.
     *
     * @return the factory
     */
    protected abstract RingFactory factory();

    /**
     * Producers used by the single-threaded scenarios (1 for an SPSC factory).
     *
     * @return the most producers
     */
    protected int maxProducers() {
        return factory().multiProducer() ? 3 : 1;
    }

    /**
     * Senders used by the concurrent schedules (1 for an SPSC factory).
     *
     * @return the most senders, at most 4
     */
    protected int maxSenders() {
        return factory().multiProducer() ? 4 : 1;
    }

    /**
     * How long one concurrent run may take before it fails.
     *
     * @return the bound
     */
    protected Duration concurrentTimeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * How long one recovery run (a dead, slow or collected producer) may take
     * before it fails. Generous: a run normally takes milliseconds, but
     * waits for a thread to die or the garbage collector to run.
     *
     * @return the bound
     */
    protected Duration recoveryTimeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * Single-threaded scenarios on rings of up to 1 KiB, which wrap often.
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<Scenario> scenarios() {
        return LogbufArbitraries.scenarios(maxProducers(), 1024, 60);
    }

    /**
     * Concurrent schedules on rings of up to 4 KiB.
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<Schedule> schedules() {
        return LogbufArbitraries.schedules(maxSenders(), 40, 4096);
    }

    /**
     * The other producers of a dead-producer run: 1 to 3 on an MPSC ring
     * (the dead one is the fourth), 1 on an SPSC ring; up to 12 records each,
     * on rings of up to 1 KiB.
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<Schedule> deadSchedules() {
        return LogbufArbitraries.schedules(Math.min(3, maxSenders()), 12, 1024);
    }

    /**
     * The producers of a slow-producer run: the slow one and, on an MPSC
     * ring, possibly one sending behind it; up to 8 records each.
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<Schedule> slowSchedules() {
        return LogbufArbitraries.schedules(Math.min(2, maxSenders()), 8, 1024);
    }

    /**
     * Requested capacities, 16 bytes to 1 MiB.
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<Integer> capacities() {
        return LogbufArbitraries.capacities();
    }

    /**
     * Small requested capacities, 16 bytes to 1 KiB.
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<Integer> smallCapacities() {
        return LogbufArbitraries.capacities(1024);
    }

    /**
     * Model equivalence: driven from one thread, the ring does exactly what
     * {@link RingModel} predicts at every step (claims succeed or find it
     * full, wrap padding, aborted and closed claims, blocking at an open
     * claim, the records and bytes the consumer sees, zeroed claims), and
     * nothing is left behind once drained.
     *
     * @param scenario the generated scenario
     */
    @Property
    @StatisticsReport(onFailureOnly = true)
    public void modelEquivalence(@ForAll("scenarios") Scenario scenario) {
        final Set<RingModel.Outcome> outcomes = sequential(factory().create(scenario.requestedCapacity()),
                scenario, SequentialCheck.DEFAULT_PATIENCE, (where, model) -> { }).outcomes();
        Statistics.label("padded then full").collect(outcomes.contains(RingModel.Outcome.PADDED_THEN_FULL));
        Statistics.label("full").collect(outcomes.contains(RingModel.Outcome.FULL));
    }

    /**
     * The capacity is the request rounded up to a power of two, and the
     * longest payload is the capacity less the 8-byte header.
     *
     * @param requested the requested capacity
     */
    @Property
    public void capacityRoundsUpToAPowerOfTwo(@ForAll("capacities") int requested) {
        final RingUnderTest ring = factory().create(requested);
        assertEquals(RingModel.capacityFor(requested), ring.capacity(), "capacity for " + requested);
        assertEquals(ring.capacity() - 8, ring.maxRecordLength(), "maxRecordLength");
    }

    /**
     * A length that is zero, negative or above the maximum is rejected with
     * {@link IllegalArgumentException}, and the ring is unchanged: the next
     * valid claim behaves as if the bad one never happened.
     *
     * @param requested the requested capacity
     * @param excess how far outside the valid range the length is
     * @param below whether it is below the range (else above)
     */
    @Property
    public void badLengthsAreRejectedAndChangeNothing(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 0, max = 1000) int excess, @ForAll boolean below) {
        final RingUnderTest ring = factory().create(requested);
        final int bad = below ? -excess : ring.maxRecordLength() + 1 + excess;
        assertThrows(IllegalArgumentException.class, () -> ring.producer().tryClaim(bad), "length " + bad);
        final ClaimUnderTest claim = ring.producer().tryClaim(ring.maxRecordLength());
        assertNotNull(claim, "a claim of maxRecordLength on an empty ring after a rejected length");
        claim.commit();
        try (AutoCloseableRecord r = new AutoCloseableRecord(ring.consumer().tryClaim())) {
            assertEquals(ring.maxRecordLength(), r.record().length());
        }
    }

    /**
     * Every accepted length makes progress once the ring drains, wherever the
     * ring's position is: a claim on an empty ring succeeds at once, or after
     * one attempt that only wrote the wrap padding.
     *
     * @param requested the requested capacity
     * @param advance how many bytes of records to pass through first (moves the position)
     * @param lengthSeed picks the length
     */
    @Property
    public void everyAcceptedLengthFitsOnceDrained(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 0, max = 4096) int advance, @ForAll @IntRange(min = 0) int lengthSeed) {
        final RingUnderTest ring = factory().create(requested);
        final int max = ring.maxRecordLength();
        int moved = 0;
        while (moved < advance) {
            final int n = Math.min(max, 1 + (advance - moved) % 40);
            final ClaimUnderTest c = ring.producer().tryClaim(n);
            if (c != null) {
                c.commit();
                moved += RingModel.recordSize(n);
            }
            drain(ring.consumer());
        }
        final int length = lengthSeed % 4 == 0 ? max : 1 + lengthSeed % max;
        ClaimUnderTest claim = ring.producer().tryClaim(length);
        if (claim == null) {
            drain(ring.consumer());
            claim = ring.producer().tryClaim(length);
        }
        assertNotNull(claim, "a claim of " + length + " bytes on a drained ring of " + ring.capacity()
                + " failed twice");
        claim.commit();
        assertEquals(1, drain(ring.consumer()), "records seen after the commit");
    }

    /**
     * Zeroing: a region the consumer released reads as zero when a producer
     * claims it again, lap after lap, whatever was written there before.
     *
     * @param requested the requested capacity
     * @param lengths the lengths claimed, in order
     */
    @Property
    public void releasedRegionsReadAsZero(@ForAll("smallCapacities") int requested,
            @ForAll("lengthSeeds") List<Integer> lengths) {
        final RingUnderTest ring = factory().create(requested);
        final int max = ring.maxRecordLength();
        long seq = 0;
        for (int seed : lengths) {
            final int length = 1 + seed % max;
            ClaimUnderTest claim = ring.producer().tryClaim(length);
            if (claim == null) {
                drain(ring.consumer());
                claim = ring.producer().tryClaim(length);
                if (claim == null) {
                    drain(ring.consumer());
                    claim = ring.producer().tryClaim(length);
                }
            }
            assertNotNull(claim, "claim of " + length + " on a drained ring");
            for (int i = 0; i < length; i++) {
                if (claim.get(i) != 0) {
                    fail("byte " + i + " of a fresh " + length + "-byte claim reads " + claim.get(i)
                            + ": a released region must read as zero");
                }
            }
            claim.put(0, Payloads.pattern(++seq, length));
            if (seq % 3 == 0) {
                claim.abort();
            } else {
                claim.commit();
            }
            if (seq % 2 == 0) {
                drain(ring.consumer());
            }
        }
    }

    /**
     * Seeds for claim lengths: many records, so that the ring laps.
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<List<Integer>> lengthSeeds() {
        return Arbitraries.integers().between(0, 1 << 20).list().ofMinSize(1).ofMaxSize(80);
    }

    /**
     * Aborted claims are never seen, and nothing committed is lost,
     * duplicated, reordered or corrupted, when the senders of a schedule take
     * turns on one thread (draining when the ring is full).
     *
     * @param schedule the generated schedule
     */
    @Property
    public void interleavedSendersLoseNothingAndShowNoAbort(@ForAll("schedules") Schedule schedule) {
        final RingUnderTest ring = factory().create(schedule.requestedCapacity());
        final int senders = schedule.senders().size();
        final Ledger ledger = Ledger.of(schedule);
        final List<ProducerUnderTest> producers = new ArrayList<>();
        producers.add(ring.producer());
        for (int s = 1; s < senders; s++) {
            producers.add(ring.newProducer());
        }
        final int[] next = new int[senders];
        boolean more = true;
        while (more) {
            more = false;
            for (int s = 0; s < senders; s++) {
                final List<Schedule.Planned> plan = schedule.senders().get(s);
                if (next[s] == plan.size()) {
                    continue;
                }
                more = true;
                final Schedule.Planned p = plan.get(next[s]);
                ClaimUnderTest claim = producers.get(s).tryClaim(p.length());
                for (int attempt = 0; claim == null && attempt < 2; attempt++) {
                    drainInto(ring.consumer(), ledger);
                    claim = producers.get(s).tryClaim(p.length());
                }
                assertNotNull(claim, "claim of " + p.length() + " on a drained ring");
                claim.put(0, Payloads.of(s, next[s], p.length()));
                if (p.abort()) {
                    claim.abort();
                } else {
                    claim.commit();
                }
                next[s]++;
            }
        }
        drainInto(ring.consumer(), ledger);
        assertTrue(ledger.complete(), "records missing after the drain: " + ledger.progress());
    }

    /**
     * {@code try…} operations never wait: a claim on a full ring, a consumer
     * claim on an empty ring and one blocked at an open claim all return
     * {@code null} at once.
     *
     * @param requested the requested capacity
     * @param length the length claimed until full
     */
    @Property
    public void tryOperationsNeverBlock(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 1, max = 100) int length) {
        final RingUnderTest ring = factory().create(requested);
        final int n = Math.min(length, ring.maxRecordLength());
        final long bound = Duration.ofSeconds(2).toNanos();
        long start = System.nanoTime();
        assertNull(ring.consumer().tryClaim(), "tryClaim on an empty ring");
        assertTrue(System.nanoTime() - start < bound, "tryClaim on an empty ring waited");
        int claimed = 0;
        for (;;) {
            start = System.nanoTime();
            final ClaimUnderTest c = ring.producer().tryClaim(n);
            assertTrue(System.nanoTime() - start < bound, "tryClaim waited");
            if (c == null) {
                break;
            }
            c.commit();
            assertTrue(++claimed <= ring.capacity() / 8, "more records fit than the ring has room for");
        }
        assertEquals(claimed, drain(ring.consumer()), "records drained");
        ClaimUnderTest open = ring.producer().tryClaim(n);
        if (open == null) {
            open = ring.producer().tryClaim(n); // the first attempt wrote wrap padding only
        }
        assertNotNull(open, "a claim on a drained ring");
        ClaimUnderTest behind = null;
        if (ring.multiProducer() && (behind = ring.newProducer().tryClaim(1)) != null) {
            behind.commit();
        }
        start = System.nanoTime();
        assertNull(ring.consumer().tryClaim(), "the consumer must stop at an open claim");
        assertEquals(0, ring.consumer().read(payload -> fail("handler called past an open claim"), 4),
                "read past an open claim");
        assertTrue(System.nanoTime() - start < bound, "the consumer waited at an open claim");
        open.abort();
        assertEquals(behind == null ? 0 : 1, drain(ring.consumer()), "records after the open claim was aborted");
    }

    /**
     * Misuse is an {@link IllegalStateException}: a second claim on a handle
     * whose claim is open, any use of a claim after it ended, a consumer
     * claim or batch read while a record is held, a record used after its
     * release. Closing twice is harmless, and the ring carries on as if the
     * misuse never happened.
     *
     * <p>A wrapper that does not expose claims can override this method
     * without {@code @Property} to leave it out.
     *
     * @param requested the requested capacity
     * @param length the payload length
     * @param abort whether the claim ends by abort (else commit)
     */
    @Property
    public void misuseIsAnIllegalStateException(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 1, max = 64) int length, @ForAll boolean abort) {
        final RingUnderTest ring = factory().create(requested);
        final int n = Math.min(length, ring.maxRecordLength());
        final ClaimUnderTest claim = ring.producer().tryClaim(n);
        assertNotNull(claim, "a claim on an empty ring");
        assertThrows(IllegalStateException.class, () -> ring.producer().tryClaim(1), "a second open claim");
        claim.put(0, Payloads.pattern(n, n));
        if (abort) {
            claim.abort();
        } else {
            claim.commit();
        }
        assertThrows(IllegalStateException.class, claim::commit, "commit after the end");
        assertThrows(IllegalStateException.class, claim::abort, "abort after the end");
        assertThrows(IllegalStateException.class, claim::length, "length() after the end");
        assertThrows(IllegalStateException.class, () -> claim.put(0, new byte[1]), "put after the end");
        claim.close();
        if (abort) {
            assertNull(ring.consumer().tryClaim(), "an aborted record");
            return;
        }
        final RecordUnderTest record = ring.consumer().tryClaim();
        assertNotNull(record, "the committed record");
        assertThrows(IllegalStateException.class, () -> ring.consumer().tryClaim(), "a second held record");
        assertThrows(IllegalStateException.class, () -> ring.consumer().read(p -> fail("handler"), 1),
                "a batch read while a record is held");
        assertEquals(n, record.length());
        record.close();
        assertThrows(IllegalStateException.class, record::length, "length() after the release");
        assertThrows(IllegalStateException.class, record::bytes, "bytes() after the release");
        record.close();
        assertNull(ring.consumer().tryClaim(), "nothing after the one record");
        final ClaimUnderTest next = ring.producer().tryClaim(1);
        assertNotNull(next, "a claim after the misuse");
        next.commit();
        assertEquals(1, drain(ring.consumer()), "the record after the misuse");
    }

    /**
     * Concurrent producers: each sender's records arrive in its order,
     * complete, unduplicated, uncorrupted, with no aborted record among them,
     * on real threads, within {@link #concurrentTimeout()}.
     *
     * @param schedule the generated schedule
     */
    @Property
    public void concurrentSendersKeepOrderAndLoseNothing(@ForAll("schedules") Schedule schedule) {
        ConcurrentCheck.run(factory().create(schedule.requestedCapacity()), schedule, concurrentTimeout());
    }

    /**
     * Concurrent producers and a controlled consumer: as
     * {@link #concurrentSendersKeepOrderAndLoseNothing}, while the consumer
     * also makes controlled reads (its handler continuing, committing,
     * breaking, aborting and throwing by turns) and puts records back. Only
     * what it consumes counts as received, so a record aborted, thrown on or
     * put back must come again, first; each controlled read returns what its
     * handler consumed; the senders, spinning on a full ring, go on with the
     * space each commit gives back. See {@link ConcurrentCheck}.
     *
     * <p>Needs {@code ConsumerUnderTest.controlledRead} and {@code RecordUnderTest.putBack()}.
     *
     * @param schedule the generated schedule
     */
    @Property(tries = 30)
    public void concurrentSendersMeetAControlledConsumer(@ForAll("schedules") Schedule schedule) {
        needs("concurrentSendersMeetAControlledConsumer", () -> ConcurrentCheck.run(
                factory().create(schedule.requestedCapacity()), schedule, concurrentTimeout(), true));
    }

    /**
     * A dead producer: a producer thread dies from an uncaught exception
     * between claim and commit while the other producers keep sending. Once
     * the thread has terminated the consumer steps over the dead claim
     * ({@code unblock()}, or by itself with {@code unblockAfter}), so
     * everything the others committed arrives exactly once, in per-producer
     * order and uncorrupted; the dead claim never arrives and is counted
     * once ({@code stats().recovered() == 1}). The dead claim is made after
     * a generated share of the others' commits: before, between or after
     * their records. On an SPSC ring the one producer's thread dies mid-claim
     * and another thread takes the handle over and sends the rest (the dead
     * claim is then recovered by the consumer or aborted by the take-over).
     *
     * <p>Needs {@code ConsumerUnderTest.unblock()} and {@code unblockAfter};
     * {@code stats()} is checked when implemented. Without them, override
     * this method without {@code @Property}.
     *
     * @param schedule the other producers' plans (on SPSC: the one producer's)
     * @param deadLength the dead claim's payload length
     * @param position how far into the others' commits the dead claim comes, in %
     * @param automatic whether the consumer recovers by itself (unblockAfter 20 ms);
     *        on SPSC, whether the take-over races the consumer (else the
     *        consumer recovers first)
     */
    @Property(tries = 30)
    public void aDeadProducersClaimIsSteppedOver(@ForAll("deadSchedules") Schedule schedule,
            @ForAll @IntRange(min = 1, max = 100) int deadLength, @ForAll @IntRange(min = 0, max = 100) int position,
            @ForAll boolean automatic) {
        needs("aDeadProducersClaimIsSteppedOver", () -> {
            final RingUnderTest ring = factory().create(schedule.requestedCapacity());
            if (ring.multiProducer()) {
                RecoveryCheck.deadProducer(ring, schedule, deadLength, position, automatic, recoveryTimeout());
            } else {
                RecoveryCheck.deadProducerTakenOver(ring, schedule, deadLength, position, !automatic,
                        recoveryTimeout());
            }
        });
    }

    /**
     * A slow producer: a live thread holds its claim longer than the
     * consumer's {@code unblockAfter} (20 ms). Nothing is taken from it: the
     * consumer hands out nothing claimed after it, reports the stall to its
     * listener exactly once with that thread, counts it
     * ({@code stats().stalls() >= 1}, {@code recovered() == 0}),
     * {@code unblock()} says {@code STALLED}; once the thread commits, its
     * record arrives intact and in order, then the rest.
     *
     * <p>Needs {@code unblock()}, {@code unblockAfter} and
     * {@code stallListener}; {@code stats()} is checked when implemented.
     *
     * @param schedule the slow producer's plan and, on MPSC, one sending behind it
     * @param holdLength the held claim's payload length
     * @param holdAt how far into the slow producer's plan the held claim comes, in %
     */
    @Property(tries = 10)
    public void aSlowProducersClaimIsNeverTaken(@ForAll("slowSchedules") Schedule schedule,
            @ForAll @IntRange(min = 1, max = 100) int holdLength, @ForAll @IntRange(min = 0, max = 100) int holdAt) {
        needs("aSlowProducersClaimIsNeverTaken", () -> RecoveryCheck.slowProducer(
                factory().create(schedule.requestedCapacity()), schedule, holdLength, holdAt, Duration.ofMillis(20),
                recoveryTimeout()));
    }

    /**
     * A collected handle: a producer handle dropped without being closed,
     * with a claim open, is collected (the example calls
     * {@link System#gc()} until it is); then the consumer steps over its
     * claim, never delivering it, the records claimed after it (by another
     * handle, on MPSC) arrive, and the consumer reports the disconnect once
     * every handle is gone, not before. A channel's receiver must step over
     * it by itself. See {@link RecoveryCheck#collectedProducer}.
     *
     * <p>Needs {@code unblock()} (raw rings), {@code isDisconnected()} and
     * {@code ProducerUnderTest.close()}; a wrapper that keeps its handles
     * reachable cannot pass it and should override it without
     * {@code @Example}.
     */
    @Example
    public void aCollectedProducersClaimIsSteppedOver() {
        needs("aCollectedProducersClaimIsSteppedOver",
                () -> RecoveryCheck.collectedProducer(factory(), 1024, recoveryTimeout()));
    }

    /**
     * Lifecycle, producers first: the consumer reports the disconnect when
     * the last producer handle closes, not before; a handle closed with a
     * claim open aborts it (the records claimed after it flow, it never
     * arrives); a closed handle's {@code tryClaim} and {@code duplicate()}
     * throw {@link IllegalStateException} and closing it again does nothing;
     * once every handle has closed the ring makes no new one
     * ({@link IllegalStateException}). Every record committed before the
     * last close is still handed out; then a raw consumer finds nothing and
     * nothing blocking, and a channel's receiver reports the disconnect.
     *
     * <p>Needs {@code ProducerUnderTest.close()}, {@code duplicate()} (MPSC),
     * {@code ConsumerUnderTest.isDisconnected()} and {@code unblock()}.
     *
     * @param requested the requested capacity
     * @param producerCount how many handles (1 on SPSC)
     * @param records how many records each commits
     * @param openAt which handle closes with a claim open
     * @param firstToClose which handle closes first (the others follow in turn)
     */
    @Property
    public void closingEveryProducerDisconnectsTheConsumer(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 1, max = 3) int producerCount, @ForAll @IntRange(min = 0, max = 3) int records,
            @ForAll @IntRange(min = 0, max = 3) int openAt, @ForAll @IntRange(min = 0, max = 2) int firstToClose) {
        needs("closingEveryProducerDisconnectsTheConsumer", () -> {
            final RingUnderTest ring = factory().create(requested);
            final boolean channel = ring instanceof ChannelUnderTest;
            final int n = ring.multiProducer() ? producerCount : 1;
            final List<ProducerUnderTest> producers = new ArrayList<>();
            producers.add(ring.producer());
            for (int p = 1; p < n; p++) {
                producers.add(ring.newProducer());
            }
            final ConsumerUnderTest consumer = ring.consumer();
            assertFalse(consumer.isDisconnected(), "consumer isDisconnected() with every producer open");
            for (ProducerUnderTest p : producers) {
                assertFalse(p.isDisconnected(), "producer isDisconnected() with the consumer open");
            }
            final Ledger ledger = new Ledger(n);
            final int[] seq = new int[n];
            for (int r = 0; r < records; r++) {
                for (int p = 0; p < n; p++) {
                    commitIfRoom(ring, producers.get(p), p, seq, ledger);
                }
            }
            final int opener = openAt % n;
            final int length = Math.min(1 + 5 * opener, ring.maxRecordLength());
            final ClaimUnderTest open = producers.get(opener).tryClaim(length);
            if (open != null) {
                final byte[] payload = Payloads.of(opener, seq[opener]++, length);
                open.put(0, payload);
                ledger.aborted(opener, payload);
                if (n > 1) {
                    // claimed after the open claim: must flow once its handle closes
                    final int other = (opener + 1) % n;
                    commitIfRoom(ring, producers.get(other), other, seq, ledger);
                }
            }
            for (int i = 0; i < n; i++) {
                assertFalse(consumer.isDisconnected(), "consumer isDisconnected() with " + (n - i)
                        + " producer(s) open");
                final ProducerUnderTest p = producers.get((firstToClose + i) % n);
                p.close();
                p.close();
                assertThrows(IllegalStateException.class, () -> p.tryClaim(1), "tryClaim on a closed handle");
                if (ring.multiProducer()) {
                    assertThrows(IllegalStateException.class, p::duplicate, "duplicate() of a closed handle");
                }
            }
            assertTrue(consumer.isDisconnected(), "consumer isDisconnected() once every producer closed");
            if (ring.multiProducer() && ring.disconnectIsFinal()) {
                assertThrows(IllegalStateException.class, ring::newProducer,
                        "a new producer handle once every handle closed");
            }
            try {
                while (!ledger.complete()) {
                    final RecordUnderTest r = consumer.tryClaim();
                    assertNotNull(r, "records committed before the last close are missing: " + ledger.progress());
                    ledger.received(r.bytes());
                    r.close();
                }
            } catch (ChannelClosedException e) {
                fail("the disconnect was reported before the drain: " + ledger.progress(), e);
            }
            if (channel) {
                assertThrows(ChannelClosedException.class, () -> {
                    final RecordUnderTest extra = consumer.tryClaim();
                    if (extra != null) {
                        ledger.received(extra.bytes());
                    }
                }, "tryRecv after the drain, every sender closed");
            } else {
                final RecordUnderTest extra = consumer.tryClaim();
                if (extra != null) {
                    ledger.received(extra.bytes()); // throws: the aborted claim, or a duplicate
                }
                assertEquals(Unblock.NOT_BLOCKED, consumer.unblock(),
                        "unblock() after the drain: a claim closed with its handle must not hold the head");
                final QueueStats stats = statsOrNull(consumer);
                if (stats != null) {
                    assertEquals(0, stats.producers(), "stats().producers() once every handle closed");
                    assertEquals(0, stats.recovered(), "stats().recovered(): a closed handle's claim is aborted");
                }
            }
        });
    }

    /**
     * Lifecycle, consumer first: closing the consumer is seen by every
     * producer handle ({@code isDisconnected()}); the closed consumer
     * answers {@code tryClaim}, {@code read} and {@code unblock()} with
     * {@link IllegalStateException}; closing it again does nothing, and its
     * own {@code isDisconnected()} still says whether producers are open.
     *
     * <p>Needs the consumer's {@code close()}, {@code isDisconnected()} and
     * {@code unblock()}, and the producers' {@code isDisconnected()}.
     *
     * @param requested the requested capacity
     * @param producerCount how many handles (1 on SPSC)
     * @param commitFirst whether a record waits when the consumer closes
     */
    @Property
    public void closingTheConsumerDisconnectsTheProducers(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 1, max = 3) int producerCount, @ForAll boolean commitFirst) {
        needs("closingTheConsumerDisconnectsTheProducers", () -> {
            final RingUnderTest ring = factory().create(requested);
            final int n = ring.multiProducer() ? producerCount : 1;
            final List<ProducerUnderTest> producers = new ArrayList<>();
            producers.add(ring.producer());
            for (int p = 1; p < n; p++) {
                producers.add(ring.newProducer());
            }
            if (commitFirst) {
                final ClaimUnderTest c = producers.get(n - 1).tryClaim(1);
                assertNotNull(c, "a claim on an empty ring");
                c.commit();
            }
            final ConsumerUnderTest consumer = ring.consumer();
            for (ProducerUnderTest p : producers) {
                assertFalse(p.isDisconnected(), "producer isDisconnected() with the consumer open");
            }
            consumer.close();
            consumer.close();
            for (ProducerUnderTest p : producers) {
                assertTrue(p.isDisconnected(), "producer isDisconnected() once the consumer closed");
            }
            assertThrows(IllegalStateException.class, consumer::tryClaim, "tryClaim on a closed consumer");
            assertThrows(IllegalStateException.class, () -> consumer.read(p -> fail("handler called"), 1),
                    "read on a closed consumer");
            assertThrows(IllegalStateException.class, consumer::unblock, "unblock() on a closed consumer");
            assertFalse(consumer.isDisconnected(), "consumer isDisconnected() with producers still open");
            // an unreachable handle counts as closed once collected: these must stay open until here
            Reference.reachabilityFence(producers);
        });
    }

    /**
     * Counters: after every step of a generated single-threaded scenario
     * (and after the final drain), {@code stats()} says what
     * {@link RingModel} predicts: records and payload bytes committed and
     * consumed, claims that found the ring full (with or without wrap
     * padding) and refused attempts, claims aborted (abort or close), the
     * head and tail positions, so
     * {@code size() == tail - head}; the capacity, the open handles, and no
     * recovered claim.
     *
     * <p>Needs {@code ConsumerUnderTest.stats()}.
     *
     * @param scenario the generated scenario
     */
    @Property
    public void statsMatchTheModel(@ForAll("scenarios") Scenario scenario) {
        needs("statsMatchTheModel", () -> {
            final RingUnderTest ring = factory().create(scenario.requestedCapacity());
            sequential(ring, scenario, SequentialCheck.DEFAULT_PATIENCE, statsAgree(ring, scenario.producers(), true));
        });
    }

    /**
     * After each step: {@code stats()} must say what the model predicts (see
     * {@link #statsMatchTheModel}).
     *
     * @param refusals whether the counts of claims that found the ring full
     *        and of refused attempts are compared too (whether a waiting
     *        send found it full depends on timing: not then)
     */
    static BiConsumer<String, RingModel> statsAgree(RingUnderTest ring, int producers, boolean refusals) {
        return (where, model) -> {
            final QueueStats s = ring.consumer().stats();
            final String at = where + ": stats() say " + s + ", the model ";
            check(s.capacity() == model.capacity(), at + "a capacity of " + model.capacity());
            check(s.committed() == model.committed(), at + model.committed() + " records committed");
            check(s.committedBytes() == model.committedBytes(), at + model.committedBytes() + " bytes committed");
            check(s.consumed() == model.consumed(), at + model.consumed() + " records consumed");
            check(s.consumedBytes() == model.consumedBytes(), at + model.consumedBytes() + " bytes consumed");
            check(!refusals || s.full() == model.refused(), at + model.refused() + " claims that found it full");
            // every refused attempt here is a first one (tryClaim): no retry inside a wait
            check(!refusals || s.refused() == model.refused(), at + model.refused() + " attempts refused");
            check(s.refused() >= s.full(), at + "no fewer refused attempts than claims that found it full");
            check(s.aborted() == model.aborted(), at + model.aborted() + " claims aborted");
            check(s.head() == model.head(), at + "head " + model.head());
            check(s.tail() == model.tail(), at + "tail " + model.tail());
            check(s.size() == model.tail() - model.head(), at + "size " + (model.tail() - model.head()));
            check(s.producers() == producers, at + producers + " open handles");
            check(s.recovered() == 0, at + "no recovered claim (every claimant is alive)");
        };
    }

    /**
     * The stats check when the ring has counters, else nothing: the contracts
     * on the optional operations look at the counters only when present.
     */
    static BiConsumer<String, RingModel> statsAgreeIfPresent(RingUnderTest ring, int producers, boolean refusals) {
        return statsOrNull(ring.consumer()) == null ? (where, model) -> { } : statsAgree(ring, producers, refusals);
    }

    /**
     * Single-threaded scenarios with controlled reads and put-backs: mixed
     * into the usual operations on rings of up to 1 KiB, or aimed at the
     * controlled read's edges on rings of up to 256 bytes (see
     * {@link LogbufArbitraries#controlScenarios}).
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<Scenario> controlScenarios() {
        return LogbufArbitraries.controlScenarios(maxProducers(), 1024, 60);
    }

    /**
     * Single-threaded scenarios with put-backs mixed in.
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<Scenario> putBackScenarios() {
        return LogbufArbitraries.scenarios(maxProducers(), 1024, 60, LogbufArbitraries.Extra.PUT_BACK);
    }

    /**
     * Controlled reads against the model: driven from one thread, with
     * controlled reads and put-backs among the claims, commits, aborts and
     * reads, the ring does what {@link RingModel} predicts at every step. The
     * handler is handed exactly the records the model says, in order and
     * intact; {@code CONTINUE}, {@code BREAK} and {@code COMMIT} consume the
     * record, {@code BREAK} stops, {@code ABORT} (and a handler that throws or
     * returns {@code null}) leaves the record first in the ring, unchanged,
     * and stops, while the records consumed before it are given back; the
     * exception gets through ({@link NullPointerException} for {@code null});
     * the read returns how many it consumed. {@code COMMIT} gives back
     * everything consumed so far at once: a claim made inside the handler
     * succeeds or finds the ring full exactly as the model says, and reads as
     * zero. Edges the generator reaches: an abort at the first record, a
     * commit in the middle of a batch across the end of the ring, a claim
     * into what a commit gave back, a throw after consumed records. When the
     * ring has counters ({@code stats()}), they must agree with the model
     * after every step too.
     *
     * <p>Needs {@code ConsumerUnderTest.controlledRead} and
     * {@code RecordUnderTest.putBack()}.
     *
     * @param scenario the generated scenario
     */
    @Property
    @StatisticsReport(onFailureOnly = true)
    public void controlledReadsMatchTheModel(@ForAll("controlScenarios") Scenario scenario) {
        needs("controlledReadsMatchTheModel", () -> {
            final RingUnderTest ring = factory().create(scenario.requestedCapacity());
            final SequentialCheck.Report report = sequential(ring, scenario, concurrentTimeout(),
                    statsAgreeIfPresent(ring, scenario.producers(), true));
            for (SequentialCheck.Event e : List.of(SequentialCheck.Event.ABORTED_AT_THE_FIRST_RECORD,
                    SequentialCheck.Event.COMMITTED_ACROSS_THE_WRAP,
                    SequentialCheck.Event.CLAIMED_WHAT_A_COMMIT_GAVE_BACK,
                    SequentialCheck.Event.THREW_AFTER_CONSUMING)) {
                Statistics.label(e.name()).collect(report.events().contains(e));
            }
        });
    }

    /**
     * Put-back against the model: driven from one thread, with put-backs of
     * the record held among the other operations, the ring does what
     * {@link RingModel} predicts: a record put back is the next one handed
     * out, by a claim or a batch read, unchanged; its bytes stay taken (the
     * producers find the ring as full as before); {@code close()} after the
     * put-back does nothing. Counters, when present, agree with the model.
     *
     * <p>Needs {@code RecordUnderTest.putBack()}.
     *
     * @param scenario the generated scenario
     */
    @Property
    public void putBackMatchesTheModel(@ForAll("putBackScenarios") Scenario scenario) {
        needs("putBackMatchesTheModel", () -> {
            final RingUnderTest ring = factory().create(scenario.requestedCapacity());
            sequential(ring, scenario, concurrentTimeout(),
                    statsAgreeIfPresent(ring, scenario.producers(), true));
        });
    }

    /**
     * The edges of the controlled read and of put-back, each written out as a
     * scenario on a 64-byte ring and checked against the model (so they are
     * covered on every run, whatever the generator draws): an abort at the
     * first record; a commit in the middle of a batch across the end of the
     * ring, then a claim inside the read into the bytes it gave back (which
     * must read as zero); a claim inside a read before any commit, which
     * must find the ring full; a read of a ring full of records, which must
     * stop after one lap; a break; a throw and a {@code null} after a
     * consumed record; a put-back followed by a controlled read, and one that
     * keeps the ring full. Each example must also reach the edge it is named
     * for, or it fails.
     *
     * <p>Needs {@code ConsumerUnderTest.controlledRead} and
     * {@code RecordUnderTest.putBack()}.
     */
    @Example
    public void controlledReadEdgesMatchTheModel() {
        needs("controlledReadEdgesMatchTheModel", () -> {
            for (EdgeScenario edge : EdgeScenario.controlled()) {
                final RingUnderTest ring = factory().create(edge.scenario().requestedCapacity());
                final SequentialCheck.Report report = sequential(ring, edge.scenario(),
                        concurrentTimeout(), statsAgreeIfPresent(ring, edge.scenario().producers(), true));
                assertTrue(report.events().containsAll(edge.reaches()), edge.name() + " must reach "
                        + edge.reaches() + " but reached " + report.events() + ": " + edge.scenario());
            }
        });
    }

    /**
     * Put-back ends the claim: once a record is put back, using it
     * ({@code length()}, {@code bytes()}) or putting it back again throws
     * {@link IllegalStateException}, and {@code close()} does nothing; a
     * record already released cannot be put back. The record put back is the
     * next one handed out, by a claim and by a batch read, with the same
     * bytes, and nothing is consumed meanwhile (counters, when present, say
     * so).
     *
     * <p>Needs {@code RecordUnderTest.putBack()}.
     *
     * @param requested the requested capacity
     * @param length the payload length
     * @param batch whether the record put back is then taken by a batch read (else a claim)
     */
    @Property
    public void aPutBackRecordEndsItsClaim(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 1, max = 64) int length, @ForAll boolean batch) {
        needs("aPutBackRecordEndsItsClaim", () -> {
            final RingUnderTest ring = factory().create(requested);
            final int n = Math.min(length, ring.maxRecordLength());
            final byte[] first = Payloads.of(0, 0, n);
            final byte[] second = Payloads.of(0, 1, Math.min(3, ring.maxRecordLength()));
            commit(ring.producer(), first);
            final ConsumerUnderTest consumer = ring.consumer();
            final QueueStats before = statsOrNull(consumer);
            final RecordUnderTest record = consumer.tryClaim();
            assertNotNull(record, "the committed record");
            record.putBack();
            assertThrows(IllegalStateException.class, record::putBack, "putBack() after the put-back");
            assertThrows(IllegalStateException.class, record::length, "length() after the put-back");
            assertThrows(IllegalStateException.class, record::bytes, "bytes() after the put-back");
            record.close(); // after a put-back: must do nothing
            final QueueStats after = statsOrNull(consumer);
            if (before != null) {
                assertEquals(before.consumed(), after.consumed(), "stats().consumed() after a put-back");
                assertEquals(before.head(), after.head(), "stats().head() after a put-back");
            }
            final ClaimUnderTest more = ring.producer().tryClaim(second.length);
            if (more != null) {
                more.put(0, second);
                more.commit();
            }
            final List<byte[]> got = new ArrayList<>();
            if (batch) {
                assertTrue(consumer.read(p -> got.add(Payloads.copyOf(p)), 1) == 1, "a batch read after the put-back");
            } else {
                final RecordUnderTest again = consumer.tryClaim();
                assertNotNull(again, "the record put back must be handed out again");
                got.add(again.bytes());
                again.close();
                assertThrows(IllegalStateException.class, again::putBack, "putBack() after the release");
                assertThrows(IllegalStateException.class, again::length, "length() after the release");
            }
            assertEquals(SequentialCheck.hex(first), SequentialCheck.hex(got.get(0)),
                    "the record put back must come out first, unchanged");
            assertEquals(more == null ? 0 : 1, drain(consumer), "the record after it");
            assertNull(consumer.tryClaim(), "nothing is left: the record put back came out once");
        });
    }

    /**
     * The controlled read rejects misuse and carries on: a limit below 1 is
     * an {@link IllegalArgumentException} and consumes nothing; a controlled
     * read while a record is held, and any use of the consumer from inside
     * the handler (a claim, a batch read, a nested controlled read), is an
     * {@link IllegalStateException}, after which the read goes on and
     * consumes its records as answered.
     *
     * <p>Needs {@code ConsumerUnderTest.controlledRead}.
     *
     * @param requested the requested capacity
     * @param records how many records wait
     * @param limit the read's limit
     */
    @Property(tries = 30)
    public void controlledReadMisuseIsRejected(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 1, max = 4) int records, @ForAll @IntRange(min = -2, max = 0) int limit) {
        needs("controlledReadMisuseIsRejected", () -> {
            final RingUnderTest ring = factory().create(requested);
            final ConsumerUnderTest consumer = ring.consumer();
            int committed = 0;
            for (int r = 0; r < records; r++) {
                final ClaimUnderTest c = ring.producer().tryClaim(1);
                if (c != null) {
                    c.put(0, new byte[] {(byte) (r + 1)});
                    c.commit();
                    committed++;
                }
            }
            assertThrows(IllegalArgumentException.class, () -> consumer.controlledRead(
                    p -> fail("handler called with limit " + limit), limit), "controlledRead with limit " + limit);
            final RecordUnderTest held = consumer.tryClaim();
            assertNotNull(held, "the first record");
            assertThrows(IllegalStateException.class, () -> consumer.controlledRead(
                    p -> fail("handler called while a record is held"), 1), "controlledRead while a record is held");
            held.close();
            final List<String> misuse = new ArrayList<>();
            final int consumed = consumer.controlledRead(p -> {
                misuse.add(rejects(consumer::tryClaim, "tryClaim"));
                misuse.add(rejects(() -> consumer.read(q -> { }, 1), "read"));
                misuse.add(rejects(() -> consumer.controlledRead(q -> ControlledRecordHandler.Action.CONTINUE, 1),
                        "controlledRead"));
                return ControlledRecordHandler.Action.CONTINUE;
            }, records);
            assertEquals(committed - 1, consumed, "the records after the misuse are consumed as answered");
            for (String m : misuse) {
                assertEquals("", m);
            }
            assertNull(consumer.tryClaim(), "nothing is left");
        });
    }

    private static String rejects(Runnable call, String name) {
        try {
            call.run();
            return name + " from inside the handler must throw IllegalStateException, but returned";
        } catch (IllegalStateException expected) {
            return "";
        } catch (RuntimeException e) {
            return name + " from inside the handler must throw IllegalStateException, but threw " + e;
        }
    }

    private static void commit(ProducerUnderTest producer, byte[] payload) {
        final ClaimUnderTest c = producer.tryClaim(payload.length);
        assertNotNull(c, "a claim of " + payload.length + " bytes on an empty ring");
        c.put(0, payload);
        c.commit();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /**
     * Runs a contract that needs optional methods of the kit's interfaces,
     * turning a missing one into a failure that says what to do.
     *
     * @param contract the contract's method name
     * @param body the contract
     */
    static void needs(String contract, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            // also when an assertion (assertThrows, say) wrapped it
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UnsupportedOperationException missing) {
                    throw new AssertionError(contract + " needs an optional method the wrapper does not implement ("
                            + missing.getMessage() + "): implement it, or override " + contract
                            + " without @Property/@Example to leave this contract out", e);
                }
            }
            throw e;
        }
    }

    static QueueStats statsOrNull(ConsumerUnderTest consumer) {
        try {
            return consumer.stats();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /** Commits record {@code seq[p]} of producer {@code p} if the ring has room (else nothing is expected). */
    private static void commitIfRoom(RingUnderTest ring, ProducerUnderTest producer, int p, int[] seq, Ledger ledger) {
        final int length = Math.min(1 + (7 * p + 3 * seq[p]) % 24, ring.maxRecordLength());
        final ClaimUnderTest c = producer.tryClaim(length);
        if (c == null) {
            return;
        }
        final byte[] payload = Payloads.of(p, seq[p]++, length);
        c.put(0, payload);
        c.commit();
        ledger.committed(p, payload);
    }

    /**
     * Releases every committed record waiting, one by one.
     *
     * @param consumer the consumer
     * @return how many it released
     */
    protected static int drain(ConsumerUnderTest consumer) {
        int n = 0;
        RecordUnderTest r;
        while ((r = consumer.tryClaim()) != null) {
            r.close();
            n++;
        }
        return n;
    }

    private static void drainInto(ConsumerUnderTest consumer, Ledger ledger) {
        RecordUnderTest r;
        while ((r = consumer.tryClaim()) != null) {
            try {
                ledger.received(r.bytes());
            } finally {
                r.close();
            }
        }
    }

    /** A record in try-with-resources; fails if there is none. */
    record AutoCloseableRecord(RecordUnderTest record) implements AutoCloseable {
        AutoCloseableRecord {
            assertNotNull(record, "expected a record");
        }

        @Override
        public void close() {
            record.close();
        }
    }
}
