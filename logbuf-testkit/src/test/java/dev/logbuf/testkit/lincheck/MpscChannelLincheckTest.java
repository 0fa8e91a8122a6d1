package dev.logbuf.testkit.lincheck;

import static dev.logbuf.testkit.lincheck.Records.ABORTED;
import static dev.logbuf.testkit.lincheck.Records.BUSY;
import static dev.logbuf.testkit.lincheck.Records.CAPACITY;
import static dev.logbuf.testkit.lincheck.Records.CLAIMED;
import static dev.logbuf.testkit.lincheck.Records.CLOSED;
import static dev.logbuf.testkit.lincheck.Records.COMMITTED;
import static dev.logbuf.testkit.lincheck.Records.DISCONNECTED;
import static dev.logbuf.testkit.lincheck.Records.EMPTY;
import static dev.logbuf.testkit.lincheck.Records.FULL;
import static dev.logbuf.testkit.lincheck.Records.HANDLE_CLOSED;
import static dev.logbuf.testkit.lincheck.Records.NONE;
import static dev.logbuf.testkit.lincheck.Records.RECEIVER_GONE;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
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
 * Lincheck checks of {@link MpscChannel}: two senders (the channel's first
 * and a duplicate) and the receiver on a 64-byte ring, against
 * {@link SteppedChannelSpec} through {@link SteppedLinearizabilityVerifier}.
 *
 * <p>As in {@link MpscQueueLincheckTest}, the sending side is split-phase
 * ({@code trySendN(length)}, then {@code commitN()} (which also calls
 * {@code wake()}) or {@code abortN()}, and {@code closeN()}), each sender's
 * operations are one {@code nonParallelGroup} (one thread per sender handle,
 * the sender number in the method name tells the specification whose claim
 * it is), and the receiver's operations are one more group, so one thread
 * receives: {@code tryRecv} (record read and closed at once), {@code
 * tryRead(limit)} and {@code closeReceiver}. Disconnect in both directions is
 * checked: every record committed before the last sender closed is handed out
 * before {@code disconnected}, and a sender that finds the receiver closed
 * aborts its fresh claim and reports {@code receiver gone}.
 *
 * <p>Not here: the blocking calls. {@code send} spins until there is room and
 * {@code recv} parks until a record arrives; Lincheck has no way to specify a
 * Java operation that waits for another thread (only Kotlin suspending
 * functions), and a {@code send} on a full ring whose receiver thread has run
 * out of operations would spin for ever, which Lincheck reports as a
 * livelock. Their waiting is covered by the channel contracts
 * ({@code aSpinningSendSeesTheReceiverClose}, {@code aParkedReceiverIsWokenBySend})
 * and by the wake-up handshake's jcstress scenarios.
 *
 * <p>What the model checker sees is as for the queue: the ring's VarHandle
 * accesses and the channel's shared state (the sender count, the receiver's
 * flag and the waiter, all field VarHandles) are switch points; the plain
 * payload and zeroing accesses are not.
 *
 * <p>Bounds: three threads of three operations, four before and two after;
 * model checking 15 random scenarios of 60 interleavings, stress 15 of 300
 * runs, each after the hand-written histories. Skipped, with the reason, on a
 * JDK that Lincheck cannot instrument ({@link LincheckSupport}).
 */
@Param(name = "length", gen = Records.LengthGen.class)
@Param(name = "limit", gen = IntGen.class, conf = "1:3")
public class MpscChannelLincheckTest {

    /** Skips these checks on a JDK whose class files Lincheck's instrumentation cannot read (see LincheckSupport). */
    @BeforeEach
    void lincheckCanInstrument() {
        LincheckSupport.assumeLincheckCanInstrument();
    }

    private final MpscChannel channel = MpscChannel.create(CAPACITY);
    private final SenderHandle sender0 = new SenderHandle(channel.newSender(), 0);
    private final SenderHandle sender1 = new SenderHandle(channel.newSender(), 1);
    private final Receiver receiver = channel.receiver();

    /** Sender 0 tries to claim {@code length} bytes and writes them. */
    @Operation(nonParallelGroup = "sender0")
    public String trySend0(@Param(name = "length") int length) {
        return sender0.trySend(length);
    }

    /** Sender 0 commits its claim and wakes the receiver. */
    @Operation(nonParallelGroup = "sender0")
    public String commit0() {
        return sender0.commit();
    }

    /** Sender 0 aborts its claim. */
    @Operation(nonParallelGroup = "sender0")
    public String abort0() {
        return sender0.abort();
    }

    /** Sender 0 closes (aborting an open claim). */
    @Operation(nonParallelGroup = "sender0")
    public String close0() {
        return sender0.close();
    }

    /** Sender 1 tries to claim {@code length} bytes and writes them. */
    @Operation(nonParallelGroup = "sender1")
    public String trySend1(@Param(name = "length") int length) {
        return sender1.trySend(length);
    }

    /** Sender 1 commits its claim and wakes the receiver. */
    @Operation(nonParallelGroup = "sender1")
    public String commit1() {
        return sender1.commit();
    }

    /** Sender 1 aborts its claim. */
    @Operation(nonParallelGroup = "sender1")
    public String abort1() {
        return sender1.abort();
    }

    /** Sender 1 closes (aborting an open claim). */
    @Operation(nonParallelGroup = "sender1")
    public String close1() {
        return sender1.close();
    }

    /** The receiver takes the next record without waiting, reads it and releases it. */
    @Operation(nonParallelGroup = "receiver")
    public String tryRecv() {
        final ReadClaim record;
        try {
            record = receiver.tryRecv();
        } catch (IllegalStateException closed) {
            return HANDLE_CLOSED;
        } catch (ChannelClosedException everySenderGone) {
            return DISCONNECTED;
        }
        if (record == null) {
            return EMPTY;
        }
        final String described = Records.describe(record);
        record.close();
        return described;
    }

    /** The receiver's batch read of up to {@code limit} records, without waiting. */
    @Operation(nonParallelGroup = "receiver")
    public String tryRead(@Param(name = "limit") int limit) {
        final List<String> records = new ArrayList<>();
        final int count;
        try {
            count = receiver.tryRead(payload -> records.add(Records.describe(payload)), limit);
        } catch (IllegalStateException closed) {
            return HANDLE_CLOSED;
        } catch (ChannelClosedException everySenderGone) {
            return records.isEmpty() ? DISCONNECTED : "disconnected after " + records;
        }
        if (count != records.size()) {
            return "tryRead returned " + count + " for " + records;
        }
        return Records.batch(records);
    }

    /** The receiver closes; senders then see the channel closed. */
    @Operation(nonParallelGroup = "receiver")
    public String closeReceiver() {
        receiver.close();
        return CLOSED;
    }

    /** Model checking: the two histories below, then random scenarios, every interleaving of the shared accesses within the bounds. */
    @Test
    void modelChecking() {
        LinChecker.check(MpscChannelLincheckTest.class, withHistories(new ModelCheckingOptions()
                .sequentialSpecification(SteppedChannelSpec.class)
                .verifier(SteppedLinearizabilityVerifier.class)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(4)
                .actorsAfter(2)
                .iterations(15)
                .invocationsPerIteration(60)));
    }

    /** Stress: the same operations on real threads, each scenario run many times. */
    @Test
    void stress() {
        LinChecker.check(MpscChannelLincheckTest.class, withHistories(new StressOptions()
                .sequentialSpecification(SteppedChannelSpec.class)
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
     *   <li>drain before disconnect: sender 0 commits a record and closes,
     *       sender 1 closes, the receiver must hand out the record before it
     *       reports the disconnect;</li>
     *   <li>receiver close against trySend: a sender claiming while the
     *       receiver closes either claims (before) or aborts what it claimed
     *       and reports the receiver gone (after), never both.</li>
     * </ol>
     */
    private static <O extends org.jetbrains.kotlinx.lincheck.Options<O, ?>> O withHistories(O options) {
        final Class<?> t = MpscChannelLincheckTest.class;
        return options
                .addCustomScenario(Scenarios.scenario(List.of(), List.of(
                        List.of(Scenarios.actor(t, "trySend0", 8), Scenarios.actor(t, "commit0"),
                                Scenarios.actor(t, "close0")),
                        List.of(Scenarios.actor(t, "close1")),
                        List.of(Scenarios.actor(t, "tryRecv"), Scenarios.actor(t, "tryRecv"),
                                Scenarios.actor(t, "tryRecv")))))
                .addCustomScenario(Scenarios.scenario(
                        List.of(Scenarios.actor(t, "trySend1", 40), Scenarios.actor(t, "commit1")),
                        List.of(
                                List.of(Scenarios.actor(t, "trySend0", 8), Scenarios.actor(t, "commit0")),
                                List.of(Scenarios.actor(t, "closeReceiver")),
                                List.of(Scenarios.actor(t, "trySend1", 16)))));
    }

    /** One sender and what the harness knows of it; used by one Lincheck thread at a time. */
    private static final class SenderHandle {
        private final MpscSender sender;
        private final int id;
        private int seq;
        private WriteClaim claim;
        private boolean closed;

        SenderHandle(MpscSender sender, int id) {
            this.sender = sender;
            this.id = id;
        }

        String trySend(int length) {
            final WriteClaim claimed;
            try {
                claimed = sender.trySend(length);
            } catch (IllegalStateException misuse) {
                return closed ? HANDLE_CLOSED : BUSY;
            } catch (ChannelClosedException receiverClosed) {
                return RECEIVER_GONE;
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
            sender.wake();
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

        String close() {
            sender.close(); // aborts the open claim, if any
            claim = null;
            closed = true;
            return CLOSED;
        }
    }
}
