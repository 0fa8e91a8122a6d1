package dev.logbuf.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * The generators reach the cases that matter: the model runs the generated
 * scenarios and the coverage checks fail if wrap padding, a full ring or
 * lengths at the edges become rare, or if the scenarios with controlled reads,
 * put-backs and sends stop reaching those operations' edges (an abort at the
 * first record, a commit across the wrap, a claim into what a commit gave
 * back, a throw after consumed records, a bounded send giving up, an
 * interrupted one).
 */
class ArbitrariesTest {

    @Provide
    Arbitrary<Scenario> scenarios() {
        return LogbufArbitraries.scenarios(3, 1024, 60);
    }

    @Property(tries = 300)
    @StatisticsReport(onFailureOnly = true)
    void scenariosReachTheWrapAndAFullRing(@ForAll("scenarios") Scenario scenario) {
        final RingModel model = new RingModel(scenario.requestedCapacity());
        boolean padded = false;
        boolean full = false;
        boolean claimed = false;
        final int[] open = new int[scenario.producers()];
        for (Op op : scenario.ops()) {
            if (op instanceof Op.Claim c && !model.hasOpenClaim(c.producer())) {
                final RingModel.Outcome o = model.claim(c.producer(), c.length().resolve(model));
                padded |= o == RingModel.Outcome.PADDED_THEN_FULL;
                full |= o == RingModel.Outcome.FULL;
                claimed |= o == RingModel.Outcome.CLAIMED;
            } else if (op instanceof Op.Commit c && model.hasOpenClaim(c.producer())) {
                model.commit(c.producer());
            } else if (op instanceof Op.Batch b && !model.isReading()) {
                model.read(b.limit());
            } else if (op instanceof Op.Read && !model.isReading()) {
                if (model.consumerClaim() != null) {
                    model.release();
                }
            }
        }
        assertTrue(open.length >= 1);
        Statistics.label("claimed").collect(claimed);
        Statistics.label("padded then full").collect(padded);
        Statistics.label("full").collect(full);
        Statistics.label("claimed").coverage(c -> c.check(true).percentage(p -> p > 50));
        Statistics.label("padded then full").coverage(c -> c.check(true).percentage(p -> p > 3));
        Statistics.label("full").coverage(c -> c.check(true).percentage(p -> p > 10));
    }

    @Provide
    Arbitrary<Scenario> controlScenarios() {
        return LogbufArbitraries.controlScenarios(3, 1024, 60);
    }

    /**
     * Each edge of the controlled read and put-back, with the least share of
     * scenarios that must reach it, in %: about half of what 3000 scenarios
     * reached (December 2026), so that 300 tries fail only when the generator
     * has really drifted.
     */
    private static final Map<SequentialCheck.Event, Double> CONTROL_EDGES = Map.of(
            SequentialCheck.Event.ABORTED_AT_THE_FIRST_RECORD, 12.0, // reached 22.5 %
            // the rarer edges at 1 %: a CI run saw ABORTED_AFTER_CONSUMING at 2.3 % of 300 tries (7 hits)
            SequentialCheck.Event.ABORTED_AFTER_CONSUMING, 1.0, // 6.4 %
            SequentialCheck.Event.BROKE, 12.0, // 24.1 %
            SequentialCheck.Event.COMMITTED_ACROSS_THE_WRAP, 4.0, // 8.7 %
            SequentialCheck.Event.CLAIMED_WHAT_A_COMMIT_GAVE_BACK, 1.0, // 5.5 %
            SequentialCheck.Event.READ_A_WHOLE_LAP, 10.0, // 21.6 %
            SequentialCheck.Event.FULL_INSIDE_A_READ, 10.0, // 21.9 %
            SequentialCheck.Event.THREW_AFTER_CONSUMING, 1.0, // 6.7 %
            SequentialCheck.Event.RETURNED_NULL, 9.0, // 18.4 %
            SequentialCheck.Event.PUT_BACK, 18.0); // 36 %

    @Property(tries = 300)
    @StatisticsReport(onFailureOnly = true)
    void controlScenariosReachTheEdges(@ForAll("controlScenarios") Scenario scenario) {
        // the events come from the check's run against a real ring, which must pass too
        final Set<SequentialCheck.Event> events = SequentialCheck.check(
                Variants.mpscQueue().create(scenario.requestedCapacity()), scenario, Duration.ofSeconds(30),
                (where, model) -> { }).events();
        CONTROL_EDGES.forEach((event, least) -> {
            Statistics.label(event.name()).collect(events.contains(event));
            Statistics.label(event.name()).coverage(c -> c.check(true).percentage(p -> p >= least));
        });
    }

    @Provide
    Arbitrary<Scenario> sendScenarios() {
        return LogbufArbitraries.scenarios(3, 1024, 40, LogbufArbitraries.Extra.SEND);
    }

    @Property(tries = 200)
    @StatisticsReport(onFailureOnly = true)
    void sendScenariosReachTheEdges(@ForAll("sendScenarios") Scenario scenario) {
        final Set<SequentialCheck.Event> events = SequentialCheck.check(
                Variants.mpscChannel().create(scenario.requestedCapacity()), scenario, Duration.ofSeconds(30),
                (where, model) -> { }).events();
        for (SequentialCheck.Event event : List.of(SequentialCheck.Event.SEND_GAVE_UP,
                SequentialCheck.Event.SEND_CLAIMED_WITHOUT_WAITING, SequentialCheck.Event.SEND_INTERRUPTED,
                SequentialCheck.Event.SEND_CLAIMED_THOUGH_INTERRUPTED)) {
            Statistics.label(event.name()).collect(events.contains(event));
            // each reached by 24 to 42 % of 1000 scenarios (December 2026)
            Statistics.label(event.name()).coverage(c -> c.check(true).percentage(p -> p >= 10));
        }
    }

    @Property(tries = 200)
    void lengthsStayInRangeAndHitTheEdges(@ForAll("lengths") List<Integer> lengths) {
        for (int n : lengths) {
            assertTrue(n >= 1 && n <= 120, "length " + n);
        }
        Statistics.collect(lengths.contains(1) || lengths.contains(8) || lengths.contains(120));
        Statistics.coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    @Provide
    Arbitrary<List<Integer>> lengths() {
        return LogbufArbitraries.recordLengths(120).list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(tries = 200)
    void capacitiesRoundUpWithinBounds(@ForAll("capacities") int requested) {
        final int capacity = RingModel.capacityFor(requested);
        assertTrue(requested >= 16 && requested <= LogbufArbitraries.MIB, "requested " + requested);
        assertEquals(capacity, Integer.highestOneBit(capacity));
        assertTrue(capacity >= requested && capacity < 2 * requested, "capacity " + capacity);
    }

    @Provide
    Arbitrary<Integer> capacities() {
        return LogbufArbitraries.capacities();
    }

    @Property(tries = 200)
    void payloadsNameTheirSenderAndCarryAChecksum(@ForAll("senders") int sender, @ForAll("seqs") int seq,
            @ForAll("payloadLengths") int length) {
        final byte[] b = Payloads.of(sender, seq, length);
        assertEquals(length, b.length);
        assertEquals(sender, Payloads.sender(b));
        assertTrue(Payloads.checksumHolds(b));
        if (length >= 9) {
            b[length / 2] ^= 1;
            assertTrue(!Payloads.checksumHolds(b), "a flipped bit must break the checksum");
        }
    }

    @Provide
    Arbitrary<Integer> senders() {
        return net.jqwik.api.Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<Integer> seqs() {
        return net.jqwik.api.Arbitraries.integers().between(0, 10_000);
    }

    @Provide
    Arbitrary<Integer> payloadLengths() {
        return LogbufArbitraries.recordLengths(600);
    }
}
