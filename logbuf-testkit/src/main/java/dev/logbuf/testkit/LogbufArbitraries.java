package dev.logbuf.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries for rings: capacities, record lengths biased to the
 * edges, payloads, operation sequences and multi-sender schedules. Use them
 * in {@code @Provide} methods of your own properties.
 */
public final class LogbufArbitraries {

    /** One mebibyte, the largest capacity {@link #capacities()} makes. */
    public static final int MIB = 1 << 20;

    private LogbufArbitraries() {
    }

    /**
     * Requested capacities from 16 bytes to 1 MiB, powers of two and not
     * (the ring rounds the others up), small ones more often.
     *
     * @return the arbitrary
     */
    public static Arbitrary<Integer> capacities() {
        return capacities(MIB);
    }

    /**
     * Requested capacities from 16 bytes to {@code max}, powers of two and
     * not, small ones more often: a small ring wraps within a few records.
     *
     * @param max the largest, at least 16
     * @return the arbitrary
     */
    public static Arbitrary<Integer> capacities(int max) {
        final int maxExponent = 31 - Integer.numberOfLeadingZeros(max);
        final Arbitrary<Integer> powers = Arbitraries.integers().between(4, maxExponent).map(e -> 1 << e);
        final Arbitrary<Integer> others = Arbitraries.integers().between(16, max).withDistribution(
                net.jqwik.api.RandomDistribution.biased());
        return Arbitraries.frequencyOf(Tuple.of(3, powers), Tuple.of(1, others));
    }

    /**
     * Payload lengths from 1 to {@code maxRecordLength}, biased to the edges:
     * 1, 7, 8, 9 (around one alignment unit), {@code maxRecordLength} and the
     * lengths just under it.
     *
     * @param maxRecordLength the ring's longest payload
     * @return the arbitrary
     */
    public static Arbitrary<Integer> recordLengths(int maxRecordLength) {
        final TreeSet<Integer> edges = new TreeSet<>();
        for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, maxRecordLength - 8, maxRecordLength - 1, maxRecordLength}) {
            if (n >= 1 && n <= maxRecordLength) {
                edges.add(n);
            }
        }
        final Arbitrary<Integer> any = Arbitraries.integers().between(1, maxRecordLength)
                .withDistribution(net.jqwik.api.RandomDistribution.biased());
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of(edges)), Tuple.of(3, any));
    }

    /**
     * Claim lengths: fixed ones from {@link #recordLengths(int)}, and lengths
     * relative to the tail when the claim is made: exactly the space left
     * before the wrap, one byte more (forcing wrap padding), and the maximum.
     *
     * @param maxRecordLength the ring's longest payload
     * @return the arbitrary
     */
    public static Arbitrary<Op.Length> lengths(int maxRecordLength) {
        final Arbitrary<Op.Length> fixed = recordLengths(maxRecordLength)
                .map(n -> new Op.Length(Op.Length.Kind.FIXED, n));
        final Arbitrary<Op.Length> relative = Arbitraries.of(Op.Length.Kind.TO_WRAP, Op.Length.Kind.PAST_WRAP,
                Op.Length.Kind.MAX).map(k -> new Op.Length(k, 0));
        return Arbitraries.frequencyOf(Tuple.of(4, fixed), Tuple.of(1, relative));
    }

    /**
     * Payloads of exactly {@code length} bytes.
     *
     * @param length the length
     * @return the arbitrary
     */
    public static Arbitrary<byte[]> payloads(int length) {
        return Arbitraries.bytes().array(byte[].class).ofSize(length);
    }

    /**
     * Operation sequences (claim, write, commit, abort, close, read, release,
     * batch read) for {@code producers} producer handles.
     *
     * @param producers how many producers, at least 1
     * @param maxRecordLength the ring's longest payload
     * @param maxSize the longest sequence
     * @return the arbitrary
     */
    public static Arbitrary<List<Op>> operations(int producers, int maxRecordLength, int maxSize) {
        final Arbitrary<Integer> p = Arbitraries.integers().between(0, producers - 1);
        final Arbitrary<Op> claim = Combinators.combine(p, lengths(maxRecordLength)).as(Op.Claim::new);
        final Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(10, claim),
                Tuple.of(5, p.map(Op.Write::new)),
                Tuple.of(7, p.map(Op.Commit::new)),
                Tuple.of(2, p.map(Op.Abort::new)),
                Tuple.of(1, p.map(Op.Close::new)),
                Tuple.of(5, Arbitraries.just(new Op.Read())),
                Tuple.of(5, Arbitraries.just(new Op.Release())),
                Tuple.of(2, Arbitraries.integers().between(1, 4).map(Op.Batch::new)));
        return op.list().ofMinSize(1).ofMaxSize(maxSize);
    }

    /**
     * Single-threaded scenarios: a capacity up to {@code maxCapacity}, 1 to
     * {@code maxProducers} producers and a sequence of operations.
     *
     * @param maxProducers 1 for SPSC, more for MPSC
     * @param maxCapacity the largest capacity
     * @param maxOps the longest sequence
     * @return the arbitrary
     */
    public static Arbitrary<Scenario> scenarios(int maxProducers, int maxCapacity, int maxOps) {
        return Combinators.combine(capacities(maxCapacity), Arbitraries.integers().between(1, maxProducers))
                .as(Tuple::of)
                .flatMap(t -> operations(t.get2(), RingModel.capacityFor(t.get1()) - 8, maxOps)
                        .map(ops -> new Scenario(t.get1(), t.get2(), ops)));
    }

    /**
     * Multi-sender schedules: 1 to {@code maxSenders} senders (at most
     * {@value Payloads#MAX_SENDERS}), each with up to {@code maxRecords}
     * records of lengths biased to the edges, aborted with a probability
     * drawn per schedule (0 to 50 %).
     *
     * @param maxSenders the most senders
     * @param maxRecords the most records per sender
     * @param maxCapacity the largest capacity
     * @return the arbitrary
     */
    public static Arbitrary<Schedule> schedules(int maxSenders, int maxRecords, int maxCapacity) {
        final int senders = Math.min(maxSenders, Payloads.MAX_SENDERS);
        return Combinators.combine(capacities(maxCapacity), Arbitraries.integers().between(1, senders),
                        Arbitraries.integers().between(0, 50))
                .as(Tuple::of)
                .flatMap(t -> {
                    final int max = Math.min(RingModel.capacityFor(t.get1()) - 8, 512);
                    final int abortPercent = t.get3();
                    final Arbitrary<Schedule.Planned> planned = Combinators.combine(recordLengths(max),
                            Arbitraries.integers().between(0, 99)).as((n, r) -> new Schedule.Planned(n, r < abortPercent));
                    final Arbitrary<List<Schedule.Planned>> plan = planned.list().ofMinSize(1).ofMaxSize(maxRecords);
                    return plan.list().ofSize(t.get2()).map(plans -> new Schedule(t.get1(), new ArrayList<>(plans)));
                });
    }
}
