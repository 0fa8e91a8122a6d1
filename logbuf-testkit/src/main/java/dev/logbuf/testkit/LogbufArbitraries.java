package dev.logbuf.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
     * Operations beyond the required ones, which a scenario may mix in; each
     * needs optional methods of the kit's interfaces.
     */
    public enum Extra {
        /** {@link Op.PutBack}: needs {@link RecordUnderTest#putBack()}. */
        PUT_BACK,
        /** {@link Op.Controlled}: needs {@link ConsumerUnderTest#controlledRead}. */
        CONTROLLED_READ,
        /** {@link Op.Send} (channels only): needs {@link SenderUnderTest#send(int, java.time.Duration)}. */
        SEND
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
        return operations(producers, maxRecordLength, maxSize, EnumSet.noneOf(Extra.class));
    }

    /**
     * Operation sequences as {@link #operations(int, int, int)} makes them,
     * with the {@code extras} mixed in: put-backs of the record held,
     * controlled reads (limits 1 to 6, the handler's answers drawn per record
     * with every {@link Op.Reply}, half of them with a claim inside the read),
     * and a channel's sends (every {@link Op.Wait}). With extras, whole
     * records (claim, write, commit, mostly short) come often too, so that
     * several records wait for the optional operations to act on.
     *
     * @param producers how many producers, at least 1
     * @param maxRecordLength the ring's longest payload
     * @param maxSize the longest sequence
     * @param extras the optional operations to mix in
     * @return the arbitrary
     */
    public static Arbitrary<List<Op>> operations(int producers, int maxRecordLength, int maxSize,
            Set<Extra> extras) {
        final Arbitrary<Integer> p = Arbitraries.integers().between(0, producers - 1);
        final Arbitrary<Op> claim = Combinators.combine(p, lengths(maxRecordLength)).as(Op.Claim::new);
        final List<Tuple.Tuple2<Integer, Arbitrary<? extends Op>>> choices = new ArrayList<>(List.of(
                Tuple.of(10, claim),
                Tuple.of(5, p.map(Op.Write::new)),
                Tuple.of(7, p.map(Op.Commit::new)),
                Tuple.of(2, p.map(Op.Abort::new)),
                Tuple.of(1, p.map(Op.Close::new)),
                Tuple.of(5, Arbitraries.just(new Op.Read())),
                Tuple.of(5, Arbitraries.just(new Op.Release())),
                Tuple.of(2, Arbitraries.integers().between(1, 4).map(Op.Batch::new))));
        if (extras.isEmpty()) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            final Arbitrary<Op> op = Arbitraries.frequencyOf(choices.toArray(new Tuple.Tuple2[0]));
            return op.list().ofMinSize(1).ofMaxSize(maxSize);
        }
        // a claim left open stops every consumer operation at it: fewer lone claims here, so that
        // the consumer mostly finds committed records (the lone claims above stay in the mix)
        choices.set(0, Tuple.of(3, claim));
        @SuppressWarnings({"unchecked", "rawtypes"})
        final Arbitrary<List<Op>> single = Arbitraries.<Op>frequencyOf(choices.toArray(new Tuple.Tuple2[0]))
                .map(List::of);
        // the optional operations act on several waiting records, so bursts of whole records
        // (claim, write, commit; mostly short) come often, and reads come with their release or
        // put-back: a record held for long would keep every other consumer operation out
        final Arbitrary<Op.Length> shortLength = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, Math.min(maxRecordLength, 40))
                        .map(n -> new Op.Length(Op.Length.Kind.FIXED, n))),
                Tuple.of(1, lengths(maxRecordLength)));
        final Arbitrary<List<Op>> records = Combinators.combine(p, shortLength.list().ofMinSize(1).ofMaxSize(4))
                .as((who, lengths) -> {
                    final List<Op> burst = new ArrayList<>();
                    for (Op.Length length : lengths) {
                        burst.addAll(List.of(new Op.Claim(who, length), new Op.Write(who), new Op.Commit(who)));
                    }
                    return burst;
                });
        final List<Tuple.Tuple2<Integer, Arbitrary<List<Op>>>> chunks = new ArrayList<>(List.of(
                Tuple.of(5, single),
                Tuple.of(5, records),
                Tuple.of(1, Arbitraries.just(List.of(new Op.Read(), new Op.Release())))));
        if (extras.contains(Extra.PUT_BACK)) {
            chunks.add(Tuple.of(2, Arbitraries.of(true, false)
                    .map(close -> List.of(new Op.Read(), new Op.PutBack(close)))));
        }
        if (extras.contains(Extra.CONTROLLED_READ)) {
            chunks.add(Tuple.of(4, controlledReads(producers, maxRecordLength).map(List::of)));
        }
        if (extras.contains(Extra.SEND)) {
            final Arbitrary<Op.Wait> wait = Arbitraries.frequencyOf(
                    Tuple.of(2, Arbitraries.just(Op.Wait.UNTIMED)),
                    Tuple.of(1, Arbitraries.just(Op.Wait.NEGATIVE)),
                    Tuple.of(2, Arbitraries.just(Op.Wait.ZERO)),
                    Tuple.of(3, Arbitraries.just(Op.Wait.SHORT)),
                    Tuple.of(1, Arbitraries.just(Op.Wait.INTERRUPTED)),
                    Tuple.of(2, Arbitraries.just(Op.Wait.INTERRUPTED_TIMED)));
            chunks.add(Tuple.of(4, Combinators.combine(p, lengths(maxRecordLength), wait)
                    .as((who, length, how) -> List.<Op>of(new Op.Send(who, length, how)))));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        final Arbitrary<List<Op>> chunk = Arbitraries.frequencyOf(chunks.toArray(new Tuple.Tuple2[0]));
        return chunk.list().ofMinSize(Math.min(4, maxSize)).ofMaxSize(maxSize)
                .withSizeDistribution(net.jqwik.api.RandomDistribution.uniform()).map(list -> {
                    final List<Op> ops = new ArrayList<>();
                    list.forEach(ops::addAll);
                    return ops.size() <= maxSize ? ops : ops.subList(0, maxSize);
                });
    }

    /**
     * Controlled reads: a limit of 1 to 6; up to 6 answers, drawn per record
     * (mostly {@code CONTINUE} and {@code COMMIT}, then {@code ABORT},
     * {@code BREAK}, a throw, a {@code null}), so that an abort at the first
     * record, commits in the middle of a batch, and a throw after consumed
     * records all come up; and half of the time a claim inside the read.
     *
     * @param producers how many producers, at least 1 (the probe's claimant)
     * @param maxRecordLength the ring's longest payload
     * @return the arbitrary
     */
    public static Arbitrary<Op.Controlled> controlledReads(int producers, int maxRecordLength) {
        final Arbitrary<Op.Reply> reply = replies();
        final Arbitrary<Integer> probeAt = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, 5)));
        return Combinators.combine(Arbitraries.integers().between(1, 6), reply.list().ofMaxSize(6), probeAt,
                        Arbitraries.integers().between(0, producers - 1), lengths(maxRecordLength))
                .as(Op.Controlled::new);
    }

    /**
     * A controlled read handler's answers: mostly {@code CONTINUE} and
     * {@code COMMIT}, then {@code ABORT}, {@code BREAK}, a throw, a
     * {@code null}.
     *
     * @return the arbitrary
     */
    public static Arbitrary<Op.Reply> replies() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(Op.Reply.CONTINUE)),
                Tuple.of(6, Arbitraries.just(Op.Reply.COMMIT)),
                Tuple.of(2, Arbitraries.just(Op.Reply.BREAK)),
                Tuple.of(3, Arbitraries.just(Op.Reply.ABORT)),
                Tuple.of(2, Arbitraries.just(Op.Reply.THROW)),
                Tuple.of(1, Arbitraries.just(Op.Reply.NULL)));
    }

    /**
     * Single-threaded scenarios aimed at the controlled read's edges: the
     * ring (64 bytes to {@code maxCapacity}) is first moved to a random
     * position (records written and taken), then filled by a burst of short
     * records, which therefore often span the end of the ring, and then read
     * with controlled reads (answers drawn per record, claims inside the
     * reads), put-backs, plain reads and further bursts. A generated run
     * reaches an abort at the first record, a commit in the middle of a batch
     * across the wrap followed by a claim into the bytes it gave back, a
     * throw after consumed records, far more often than
     * {@link #scenarios(int, int, int, Extra...)} does.
     *
     * @param maxProducers 1 for SPSC, more for MPSC
     * @param maxCapacity the largest capacity, at least 64
     * @param putBack whether put-backs are mixed in
     * @return the arbitrary
     */
    public static Arbitrary<Scenario> controlledReadScenarios(int maxProducers, int maxCapacity, boolean putBack) {
        return Combinators.combine(capacities(maxCapacity).filter(c -> c >= 64),
                        Arbitraries.integers().between(1, maxProducers))
                .as(Tuple::of)
                .flatMap(t -> {
                    final int producers = t.get2();
                    final int max = RingModel.capacityFor(t.get1()) - 8;
                    final Arbitrary<Integer> p = Arbitraries.integers().between(0, producers - 1);
                    final Arbitrary<Op.Length> shortLength = Arbitraries.integers().between(1, Math.min(max, 40))
                            .map(n -> new Op.Length(Op.Length.Kind.FIXED, n));
                    final Arbitrary<List<Op>> record = Combinators.combine(p, shortLength).as((who, length) ->
                            List.of(new Op.Claim(who, length), new Op.Write(who), new Op.Commit(who)));
                    final Arbitrary<List<Op>> moveOn = Combinators.combine(p, shortLength).as((who, length) ->
                            List.of(new Op.Claim(who, length), new Op.Write(who), new Op.Commit(who), new Op.Read(),
                                    new Op.Release()));
                    // a commit after a few records, then the probe: gives back a batch that often
                    // spans the wrap, then claims into it
                    final Arbitrary<Op> commitThenClaim = Combinators.combine(Arbitraries.integers().between(1, 3),
                            replies().list().ofMaxSize(4), Arbitraries.of(true, false), p, shortLength)
                            .as((before, rest, probe, who, length) -> {
                                final List<Op.Reply> replies = new ArrayList<>();
                                for (int i = 0; i < before; i++) {
                                    replies.add(Op.Reply.CONTINUE);
                                }
                                replies.add(Op.Reply.COMMIT);
                                replies.addAll(rest);
                                return new Op.Controlled(replies.size() + 1, replies, probe ? before + 1 : -1, who,
                                        length);
                            });
                    final List<Tuple.Tuple2<Integer, Arbitrary<List<Op>>>> reads = new ArrayList<>(List.of(
                            Tuple.of(3, controlledReads(producers, max).map(List::<Op>of)),
                            Tuple.of(3, commitThenClaim.map(List::of)),
                            Tuple.of(1, Arbitraries.just(List.of(new Op.Read(), new Op.Release()))),
                            Tuple.of(2, flatten(record.list().ofMinSize(1).ofMaxSize(3)))));
                    if (putBack) {
                        reads.add(Tuple.of(1, Arbitraries.of(true, false)
                                .map(close -> List.of(new Op.Read(), new Op.PutBack(close)))));
                    }
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    final Arbitrary<List<Op>> then = flatten(Arbitraries.<List<Op>>frequencyOf(
                            reads.toArray(new Tuple.Tuple2[0])).list().ofMinSize(1).ofMaxSize(8));
                    return Combinators.combine(flatten(moveOn.list().ofMaxSize(12)),
                                    flatten(record.list().ofMinSize(2).ofMaxSize(16)), then)
                            .as((a, b, c) -> {
                                final List<Op> ops = new ArrayList<>(a);
                                ops.addAll(b);
                                ops.addAll(c);
                                return new Scenario(t.get1(), producers, ops);
                            });
                });
    }

    /**
     * What {@code RingContract.controlledReadsMatchTheModel} runs: half
     * {@link #scenarios(int, int, int, Extra...)} with controlled reads and
     * put-backs mixed in (rings up to {@code maxCapacity}), half
     * {@link #controlledReadScenarios} (rings up to 256 bytes, which wrap
     * within a batch).
     *
     * @param maxProducers 1 for SPSC, more for MPSC
     * @param maxCapacity the largest capacity of the mixed scenarios, at least 64
     * @param maxOps the longest sequence of the mixed scenarios
     * @return the arbitrary
     */
    public static Arbitrary<Scenario> controlScenarios(int maxProducers, int maxCapacity, int maxOps) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, scenarios(maxProducers, maxCapacity, maxOps, Extra.CONTROLLED_READ, Extra.PUT_BACK)),
                Tuple.of(1, controlledReadScenarios(maxProducers, Math.min(256, maxCapacity), true)));
    }

    private static Arbitrary<List<Op>> flatten(Arbitrary<List<List<Op>>> chunks) {
        return chunks.map(list -> {
            final List<Op> ops = new ArrayList<>();
            list.forEach(ops::addAll);
            return ops;
        });
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
        return scenarios(maxProducers, maxCapacity, maxOps, new Extra[0]);
    }

    /**
     * Single-threaded scenarios as {@link #scenarios(int, int, int)} makes
     * them, with the {@code extras} mixed into the operations.
     *
     * @param maxProducers 1 for SPSC, more for MPSC
     * @param maxCapacity the largest capacity
     * @param maxOps the longest sequence
     * @param extras the optional operations to mix in
     * @return the arbitrary
     */
    public static Arbitrary<Scenario> scenarios(int maxProducers, int maxCapacity, int maxOps, Extra... extras) {
        final Set<Extra> set = extras.length == 0 ? EnumSet.noneOf(Extra.class) : EnumSet.copyOf(Arrays.asList(extras));
        return Combinators.combine(capacities(maxCapacity), Arbitraries.integers().between(1, maxProducers))
                .as(Tuple::of)
                .flatMap(t -> operations(t.get2(), RingModel.capacityFor(t.get1()) - 8, maxOps, set)
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
