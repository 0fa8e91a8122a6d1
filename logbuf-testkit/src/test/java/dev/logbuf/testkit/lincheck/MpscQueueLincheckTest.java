package dev.logbuf.testkit.lincheck;

import static dev.logbuf.testkit.lincheck.Records.ABORTED;
import static dev.logbuf.testkit.lincheck.Records.BUSY;
import static dev.logbuf.testkit.lincheck.Records.CAPACITY;
import static dev.logbuf.testkit.lincheck.Records.CLAIMED;
import static dev.logbuf.testkit.lincheck.Records.COMMITTED;
import static dev.logbuf.testkit.lincheck.Records.EMPTY;
import static dev.logbuf.testkit.lincheck.Records.FULL;
import static dev.logbuf.testkit.lincheck.Records.NONE;
import static dev.logbuf.testkit.lincheck.Records.RELEASED;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks of {@link MpscQueue}: two producers and one consumer on a
 * 64-byte ring, against {@link SteppedQueueSpec} (the testkit's
 * {@code RingModel} rules, split into the atomic steps a concurrent observer
 * can tell apart; {@link SteppedSpecTest} ties it to {@code RingModel})
 * through {@link SteppedLinearizabilityVerifier}.
 *
 * <p>Shape of the operations, and why:
 * <ul>
 *   <li>The producer side is split-phase, {@code claimN(length)} /
 *       {@code commitN()} / {@code abortN()}, each on the calling thread's own
 *       handle. A "claim+write+commit" operation would not be linearizable:
 *       records are consumed in claim order, so after A claims and B claims
 *       and commits, the consumer correctly reports empty (A's header is
 *       still 0) although B's whole operation has completed.</li>
 *   <li>Handles are indexed by a producer number baked into the method name
 *       ({@code claim0}, {@code claim1}), and each producer's operations form
 *       one {@code nonParallelGroup}: Lincheck then runs all of producer 0's
 *       operations on one thread and producer 1's on another, so each
 *       {@link MpscProducer} is used by one thread at a time, as its contract
 *       demands, while the sequential specification still knows whose claim
 *       a commit ends (a {@code ThreadLocal} could not tell it that: the
 *       specification runs on Lincheck's verifier thread).</li>
 *   <li>The consumer operations form one more {@code nonParallelGroup}, so
 *       exactly one thread consumes: {@code poll} (tryClaim, copy, close),
 *       {@code take}/{@code release} (a record held open across other
 *       operations) and {@code read(limit)} (the batch read).</li>
 *   <li>Every result is a string from {@link Records}; records are named by
 *       their producer, claim number and length after every payload byte was
 *       checked.</li>
 *   <li>Why steps and not one point per call: the consumer gives bytes back
 *       with a head store at the end of its call, after it decided what it
 *       read, and a claim that needs wrap padding stores the padding's skip
 *       header after its tail CAS. Histories that only those windows explain
 *       happen (the padding one was Lincheck's own find; both are in
 *       {@link #withHistories}, and Lincheck rejects each when the
 *       specification makes the second store part of the first step); they are the design, not bugs: a producer may find the ring
 *       full while the consumer is finishing a read, and the consumer may stop
 *       at padding whose claim has not returned yet, as it stops at any claim
 *       in progress. {@link SteppedSpec} says how the check stays exact.</li>
 * </ul>
 *
 * <p>What the model checker sees: every access the ring makes through its
 * {@code byteBufferViewVarHandle} on the direct buffer (header acquire and
 * release, head acquire and release, tail opaque read and CAS) is a switch
 * point, as {@link LincheckCoverageTest} shows; the plain {@code ByteBuffer}
 * reads and writes of payloads and of the consumer's zeroing are not, so the
 * interleavings explored are those of the protocol's VarHandle accesses, and
 * the payload bytes are checked for their values, not for races on them.
 * The model checker is sequentially consistent: release/acquire ordering is
 * jcstress's job, not this test's.
 *
 * <p>Bounds: three threads of three operations, four before and two after;
 * model checking 15 random scenarios of 80 interleavings, stress 15 of 300
 * runs, each after the hand-written histories. Skipped, with the reason, on a
 * JDK that Lincheck cannot instrument ({@link LincheckSupport}).
 */
@Param(name = "length", gen = Records.LengthGen.class)
@Param(name = "limit", gen = IntGen.class, conf = "1:3")
public class MpscQueueLincheckTest {

    /** Skips these checks on a JDK whose class files Lincheck's instrumentation cannot read (see LincheckSupport). */
    @BeforeEach
    void lincheckCanInstrument() {
        LincheckSupport.assumeLincheckCanInstrument();
    }

    private final MpscQueue queue = MpscQueue.create(CAPACITY);
    private final ProducerHandle producer0 = new ProducerHandle(queue.newProducer(), 0);
    private final ProducerHandle producer1 = new ProducerHandle(queue.newProducer(), 1);
    private final Consumer consumer = queue.consumer();
    /** The record {@link #take()} holds open, if any; consumer thread only. */
    private ReadClaim held;

    /** Producer 0 claims and writes {@code length} bytes. */
    @Operation(nonParallelGroup = "producer0")
    public String claim0(@Param(name = "length") int length) {
        return producer0.claim(length);
    }

    /** Producer 0 commits its claim. */
    @Operation(nonParallelGroup = "producer0")
    public String commit0() {
        return producer0.commit();
    }

    /** Producer 0 aborts its claim. */
    @Operation(nonParallelGroup = "producer0")
    public String abort0() {
        return producer0.abort();
    }

    /** Producer 1 claims and writes {@code length} bytes. */
    @Operation(nonParallelGroup = "producer1")
    public String claim1(@Param(name = "length") int length) {
        return producer1.claim(length);
    }

    /** Producer 1 commits its claim. */
    @Operation(nonParallelGroup = "producer1")
    public String commit1() {
        return producer1.commit();
    }

    /** Producer 1 aborts its claim. */
    @Operation(nonParallelGroup = "producer1")
    public String abort1() {
        return producer1.abort();
    }

    /** The consumer takes the next record, reads it and releases it at once. */
    @Operation(nonParallelGroup = "consumer")
    public String poll() {
        final ReadClaim record;
        try {
            record = consumer.tryClaim();
        } catch (IllegalStateException heldOpen) {
            return BUSY;
        }
        if (record == null) {
            return EMPTY;
        }
        final String described = Records.describe(record);
        record.close();
        return described;
    }

    /** The consumer takes the next record and keeps it open (producers cannot reuse its bytes meanwhile). */
    @Operation(nonParallelGroup = "consumer")
    public String take() {
        final ReadClaim record;
        try {
            record = consumer.tryClaim();
        } catch (IllegalStateException heldOpen) {
            return BUSY;
        }
        if (record == null) {
            return EMPTY;
        }
        held = record;
        return Records.describe(record);
    }

    /** The consumer releases the record {@link #take()} holds. */
    @Operation(nonParallelGroup = "consumer")
    public String release() {
        if (held == null) {
            return NONE;
        }
        held.close();
        held = null;
        return RELEASED;
    }

    /** The consumer's batch read of up to {@code limit} records, released with one head store. */
    @Operation(nonParallelGroup = "consumer")
    public String read(@Param(name = "limit") int limit) {
        final List<String> records = new ArrayList<>();
        final int count;
        try {
            count = consumer.read(payload -> records.add(Records.describe(payload)), limit);
        } catch (IllegalStateException heldOpen) {
            return BUSY;
        }
        if (count != records.size()) {
            return "read returned " + count + " for " + records;
        }
        return Records.batch(records);
    }

    /** Model checking: the three histories below, then random scenarios, every interleaving of the ring's VarHandle accesses within the bounds. */
    @Test
    void modelChecking() {
        LinChecker.check(MpscQueueLincheckTest.class, withHistories(new ModelCheckingOptions()
                .sequentialSpecification(SteppedQueueSpec.class)
                .verifier(SteppedLinearizabilityVerifier.class)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(4)
                .actorsAfter(2)
                .iterations(15)
                .invocationsPerIteration(80)));
    }

    /** Stress: the same operations on real threads, each scenario run many times. */
    @Test
    void stress() {
        LinChecker.check(MpscQueueLincheckTest.class, withHistories(new StressOptions()
                .sequentialSpecification(SteppedQueueSpec.class)
                .verifier(SteppedLinearizabilityVerifier.class)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(4)
                .actorsAfter(2)
                .iterations(15)
                .invocationsPerIteration(300)));
    }

    /**
     * Histories that must be explained, run first:
     * <ol>
     *   <li>claim order: producer 0 claims before producer 1 commits, so the
     *       consumer may see nothing yet, then both records in claim order;</li>
     *   <li>wrap padding published after the tail CAS: producer 1 pads the
     *       last 40 bytes and reports full, producer 0 claims at offset 0 and
     *       commits meanwhile, the consumer may find the padding's header
     *       still 0 (Lincheck's own find, shrunk);</li>
     *   <li>head published at the end of a batch: the batch stops at producer
     *       1's open claim, producer 1 commits, producer 0 may still find the
     *       ring full because the batch has not yet stored head.</li>
     * </ol>
     */
    private static <O extends org.jetbrains.kotlinx.lincheck.Options<O, ?>> O withHistories(O options) {
        final Class<?> t = MpscQueueLincheckTest.class;
        return options
                .addCustomScenario(Scenarios.scenario(List.of(), List.of(
                        List.of(Scenarios.actor(t, "claim0", 16), Scenarios.actor(t, "commit0")),
                        List.of(Scenarios.actor(t, "claim1", 8), Scenarios.actor(t, "commit1")),
                        List.of(Scenarios.actor(t, "poll"), Scenarios.actor(t, "poll"), Scenarios.actor(t, "poll")))))
                .addCustomScenario(Scenarios.scenario(
                        List.of(Scenarios.actor(t, "claim0", 16), Scenarios.actor(t, "abort0"), Scenarios.actor(t, "poll")),
                        List.of(
                                List.of(Scenarios.actor(t, "claim1", 56)),
                                List.of(Scenarios.actor(t, "claim0", 16), Scenarios.actor(t, "commit0")),
                                List.of(Scenarios.actor(t, "take"), Scenarios.actor(t, "release")))))
                .addCustomScenario(Scenarios.scenario(
                        List.of(Scenarios.actor(t, "claim0", 24), Scenarios.actor(t, "commit0"),
                                Scenarios.actor(t, "claim1", 8)),
                        List.of(
                                List.of(Scenarios.actor(t, "read", 3)),
                                List.of(Scenarios.actor(t, "commit1")),
                                List.of(Scenarios.actor(t, "claim0", 24), Scenarios.actor(t, "commit0")))));
    }

    /** One producer handle and what the harness knows of it; used by one Lincheck thread at a time. */
    private static final class ProducerHandle {
        private final MpscProducer producer;
        private final int id;
        private int seq;
        private WriteClaim claim;

        ProducerHandle(MpscProducer producer, int id) {
            this.producer = producer;
            this.id = id;
        }

        String claim(int length) {
            final WriteClaim claimed;
            try {
                claimed = producer.tryClaim(length);
            } catch (IllegalStateException stillOpen) {
                return BUSY;
            }
            if (claimed == null) {
                return FULL;
            }
            claimed.put(Records.payload(id, seq++, length));
            claim = claimed;
            return CLAIMED;
        }

        String commit() {
            if (claim == null) {
                return NONE;
            }
            claim.commit();
            claim = null;
            return COMMITTED;
        }

        String abort() {
            if (claim == null) {
                return NONE;
            }
            claim.abort();
            claim = null;
            return ABORTED;
        }
    }
}
