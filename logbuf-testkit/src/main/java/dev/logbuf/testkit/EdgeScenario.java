package dev.logbuf.testkit;

import static dev.logbuf.testkit.Op.Reply.ABORT;
import static dev.logbuf.testkit.Op.Reply.BREAK;
import static dev.logbuf.testkit.Op.Reply.COMMIT;
import static dev.logbuf.testkit.Op.Reply.CONTINUE;
import static dev.logbuf.testkit.Op.Reply.NULL;
import static dev.logbuf.testkit.Op.Reply.THROW;

import dev.logbuf.testkit.SequentialCheck.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hand-written scenarios for the edges of the optional operations, on a
 * 64-byte ring (56-byte payloads at most, records of {@code align8(8 + n)}
 * bytes), each with the events it must reach: the examples
 * {@code controlledReadEdgesMatchTheModel} and
 * {@code boundedSendEdgesMatchTheModel} run them, so those edges are
 * checked on every run whatever the generators draw.
 *
 * @param name what it shows
 * @param scenario the operations
 * @param reaches the events the run must go through
 */
record EdgeScenario(String name, Scenario scenario, Set<Event> reaches) {

    private static final int CAPACITY = 64;

    /** The controlled-read and put-back edges. */
    static List<EdgeScenario> controlled() {
        return List.of(
                edge("an abort at the first record consumes nothing; one after a record gives that one back",
                        Set.of(Event.ABORTED_AT_THE_FIRST_RECORD, Event.ABORTED_AFTER_CONSUMING),
                        ops -> {
                            records(ops, 8, 8, 8);
                            ops.add(controlled(4, ABORT));
                            ops.add(controlled(4, CONTINUE, ABORT));
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                            ops.add(controlled(4, CONTINUE));
                        }),
                // head 32 after the first record; four 16-byte records then fill 32..96, across the end
                // at 64; the commit at the third gives back 32..80, and the claim before the fourth's
                // answer takes 96..112 (offset 32..48), bytes that only the commit freed
                edge("a commit mid-batch across the wrap gives its bytes back at once, zeroed",
                        Set.of(Event.COMMITTED_ACROSS_THE_WRAP, Event.CLAIMED_WHAT_A_COMMIT_GAVE_BACK),
                        ops -> {
                            records(ops, 24);
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                            records(ops, 8, 8, 8, 8);
                            ops.add(new Op.Controlled(4, List.of(CONTINUE, CONTINUE, COMMIT, CONTINUE), 3, 0,
                                    fixed(8)));
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                        }),
                // two 32-byte records fill the ring; the first is consumed but not given back yet
                edge("a claim inside a read before any commit finds the ring full",
                        Set.of(Event.FULL_INSIDE_A_READ),
                        ops -> {
                            records(ops, 24, 24);
                            ops.add(new Op.Controlled(2, List.of(CONTINUE, CONTINUE), 1, 0, fixed(1)));
                        }),
                // four 16-byte records fill the ring: the read must stop after them, a lap on, where
                // the first one's header is still in place (given back only when the read ends)
                edge("a read of a ring full of records stops after one lap",
                        Set.of(Event.READ_A_WHOLE_LAP),
                        ops -> {
                            records(ops, 8, 8, 8, 8);
                            ops.add(controlled(6, CONTINUE));
                            records(ops, 8);
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                        }),
                edge("a break consumes the record and stops",
                        Set.of(Event.BROKE),
                        ops -> {
                            records(ops, 8, 8, 8);
                            ops.add(controlled(4, CONTINUE, BREAK));
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                        }),
                edge("a handler that throws or returns null leaves its record, after consuming one",
                        Set.of(Event.THREW_AFTER_CONSUMING, Event.RETURNED_NULL),
                        ops -> {
                            records(ops, 8, 8, 8);
                            ops.add(controlled(4, COMMIT, THROW));
                            ops.add(controlled(4, CONTINUE, NULL));
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                        }),
                edge("a record put back comes out first, by a controlled read and by a batch read",
                        Set.of(Event.PUT_BACK),
                        ops -> {
                            records(ops, 8, 8);
                            ops.add(new Op.Read());
                            ops.add(new Op.PutBack(true));
                            ops.add(controlled(1, CONTINUE));
                            ops.add(new Op.Read());
                            ops.add(new Op.PutBack(false));
                            ops.add(new Op.Batch(1));
                        }),
                edge("a record put back keeps its bytes: the ring stays full until it is released",
                        Set.of(Event.PUT_BACK),
                        ops -> {
                            records(ops, 56);
                            ops.add(new Op.Read());
                            ops.add(new Op.PutBack(false));
                            ops.add(claim(1));
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                            ops.add(claim(1));
                            ops.add(new Op.Commit(0));
                        }));
    }

    /** The bounded and interrupted send edges (channels). */
    static List<EdgeScenario> sends() {
        return List.of(
                edge("a bounded send gives up on a full ring, claiming nothing; with room one claims at once",
                        Set.of(Event.SEND_GAVE_UP, Event.SEND_CLAIMED_WITHOUT_WAITING),
                        ops -> {
                            records(ops, 56);
                            ops.add(send(8, Op.Wait.SHORT));
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                            ops.add(send(8, Op.Wait.ZERO));
                            ops.add(new Op.Write(0));
                            ops.add(new Op.Commit(0));
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                        }),
                edge("an interrupted send on a full ring throws; with room it claims and leaves the status set",
                        Set.of(Event.SEND_INTERRUPTED, Event.SEND_CLAIMED_THOUGH_INTERRUPTED),
                        ops -> {
                            records(ops, 56);
                            ops.add(send(8, Op.Wait.INTERRUPTED_TIMED));
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                            ops.add(send(8, Op.Wait.INTERRUPTED));
                            ops.add(new Op.Write(0));
                            ops.add(new Op.Commit(0));
                        }),
                // head 32, tail 48: a 40-byte record (48 bytes) needs 16 bytes of padding first, which
                // fit, the record does not: the refused send leaves the padding only, then fits at 0
                edge("a send refused at the wrap leaves only the padding, and a later one fits",
                        Set.of(Event.SEND_GAVE_UP),
                        ops -> {
                            records(ops, 24);
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                            records(ops, 8);
                            ops.add(send(40, Op.Wait.SHORT));
                            ops.add(new Op.Read());
                            ops.add(new Op.Release());
                            ops.add(send(40, Op.Wait.NEGATIVE));
                            ops.add(new Op.Write(0));
                            ops.add(new Op.Commit(0));
                        }));
    }

    @Override
    public String toString() {
        return name + ": " + scenario;
    }

    private interface Steps {
        void add(List<Op> ops);
    }

    private static EdgeScenario edge(String name, Set<Event> reaches, Steps steps) {
        final List<Op> ops = new ArrayList<>();
        steps.add(ops);
        return new EdgeScenario(name, new Scenario(CAPACITY, 1, ops), reaches);
    }

    /** Producer 0 claims, fills and commits one record of each length. */
    private static void records(List<Op> ops, int... lengths) {
        for (int n : lengths) {
            ops.add(claim(n));
            ops.add(new Op.Write(0));
            ops.add(new Op.Commit(0));
        }
    }

    private static Op.Claim claim(int length) {
        return new Op.Claim(0, fixed(length));
    }

    private static Op.Send send(int length, Op.Wait wait) {
        return new Op.Send(0, fixed(length), wait);
    }

    private static Op.Controlled controlled(int limit, Op.Reply... replies) {
        return new Op.Controlled(limit, List.of(replies), -1, 0, fixed(1));
    }

    private static Op.Length fixed(int length) {
        return new Op.Length(Op.Length.Kind.FIXED, length);
    }
}
