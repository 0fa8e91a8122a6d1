package dev.logbuf.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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
 * class MyCodecQueueTest extends RingContract {
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
 */
public abstract class RingContract {

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
        final Set<RingModel.Outcome> outcomes = SequentialCheck.run(factory().create(scenario.requestedCapacity()),
                scenario);
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
