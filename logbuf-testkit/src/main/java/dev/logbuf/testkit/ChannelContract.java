package dev.logbuf.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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
 * The channel contracts: every {@link RingContract} property (through
 * {@code trySend} and {@code tryRecv}), plus disconnect on both sides and
 * the receiver's waits. Subclass it and return a {@link ChannelFactory}.
 *
 * <pre>{@code
 * class MyTypedChannelTest extends ChannelContract {
 *     @Override
 *     protected ChannelFactory factory() {
 *         return ChannelFactory.of("MyTypedChannel", true, capacity -> new MyTypedChannelAdapter(capacity));
 *     }
 * }
 * }</pre>
 */
public abstract class ChannelContract extends RingContract {

    /** For subclasses, which name the channel under test in {@link #factory()}. */
    protected ChannelContract() {
    }

    @Override
    protected abstract ChannelFactory factory();

    /**
     * Disconnect only after the drain: once every sender is closed (an open
     * claim is aborted by its sender's close), the receiver still hands out
     * every committed record in order, by {@code tryRecv} or batch reads, and
     * only then throws {@link ChannelClosedException}, each time it is asked.
     *
     * @param schedule what each sender commits or aborts before closing
     * @param batch whether the receiver drains with {@code tryRead}
     * @param leaveOpen whether the last sender closes with a claim still open
     */
    @Property
    public void disconnectIsReportedOnlyAfterTheDrain(@ForAll("schedules") Schedule schedule,
            @ForAll boolean batch, @ForAll boolean leaveOpen) {
        final ChannelUnderTest channel = factory().create(schedule.requestedCapacity());
        final Ledger ledger = sendAndCloseEverySender(channel, schedule, leaveOpen);
        assertTrue(channel.consumer().isDisconnected(), "isDisconnected() once every sender is closed");
        final ReceiverUnderTest receiver = channel.consumer();
        while (!ledger.complete()) {
            try {
                if (batch) {
                    final int n = receiver.read(payload -> ledger.received(Payloads.copyOf(payload)), 2);
                    assertTrue(n > 0, "tryRead returned 0 with records waiting: " + ledger.progress());
                } else {
                    final RecordUnderTest r = receiver.tryClaim();
                    assertNotNull(r, "tryRecv returned null with records waiting: " + ledger.progress());
                    ledger.received(r.bytes());
                    r.close();
                }
            } catch (ChannelClosedException e) {
                fail("the disconnect was reported before the drain: " + ledger.progress(), e);
            }
        }
        assertThrows(ChannelClosedException.class, () -> {
            final RecordUnderTest extra = receiver.tryClaim();
            if (extra != null) {
                ledger.received(extra.bytes());
            }
        }, "tryRecv after the drain");
        assertThrows(ChannelClosedException.class, () -> receiver.read(p -> fail("handler called"), 1),
                "tryRead after the drain");
    }

    /**
     * While one sender is open the channel stays connected: with everything
     * received, {@code tryRecv} returns {@code null} and {@code tryRead} 0,
     * and {@code isDisconnected()} is false; closing that sender then ends it.
     *
     * @param schedule what the senders commit before the others close
     */
    @Property
    public void anOpenSenderKeepsTheChannelConnected(@ForAll("schedules") Schedule schedule) {
        final ChannelUnderTest channel = factory().create(schedule.requestedCapacity());
        final List<SenderUnderTest> senders = senders(channel, schedule.senders().size());
        final Ledger ledger = sendWhatFits(channel, senders, schedule);
        final SenderUnderTest last = senders.get(senders.size() - 1);
        if (senders.size() > 1) {
            // a sender that closes with a claim open aborts it: the records claimed after it flow
            final ClaimUnderTest open = senders.get(0).tryClaim(1);
            final ClaimUnderTest after = open == null ? null : last.tryClaim(1);
            if (after != null) {
                final byte[] payload = Payloads.of(senders.size() - 1, 1_000, 1);
                after.put(0, payload);
                after.commit();
                ledger.committed(senders.size() - 1, payload);
            }
        }
        for (int s = 0; s < senders.size() - 1; s++) {
            senders.get(s).close();
        }
        final ReceiverUnderTest receiver = channel.consumer();
        RecordUnderTest r;
        while ((r = receiver.tryClaim()) != null) {
            ledger.received(r.bytes());
            r.close();
        }
        assertTrue(ledger.complete(), "records missing: " + ledger.progress());
        assertFalse(receiver.isDisconnected(), "isDisconnected() with a sender open");
        assertNull(receiver.tryClaim(), "tryRecv on an empty channel with a sender open");
        assertEquals(0, receiver.read(p -> fail("handler called"), 3), "tryRead on an empty channel");
        last.close();
        assertThrows(ChannelClosedException.class, receiver::tryClaim, "tryRecv once the last sender closed");
    }

    /**
     * Closed handles reject use with {@link IllegalStateException}: a closed
     * sender's {@code send}, {@code trySend} and duplication, a closed
     * receiver's receive calls. Closing twice is harmless.
     *
     * @param requested the requested capacity
     * @throws InterruptedException if the test thread is interrupted
     */
    @Property(tries = 20)
    public void closedHandlesRejectUse(@ForAll("smallCapacities") int requested) throws InterruptedException {
        final ChannelUnderTest channel = factory().create(requested);
        final SenderUnderTest sender = channel.producer();
        final SenderUnderTest other = channel.multiProducer() ? channel.newProducer() : null;
        sender.close();
        sender.close();
        assertThrows(IllegalStateException.class, () -> sender.tryClaim(1), "trySend on a closed sender");
        assertThrows(IllegalStateException.class, () -> sender.send(1), "send on a closed sender");
        if (other != null) {
            assertThrows(IllegalStateException.class, channel::newProducer, "duplicating a closed sender");
            other.close();
        }
        final ReceiverUnderTest receiver = channel.consumer();
        receiver.close();
        receiver.close();
        assertThrows(IllegalStateException.class, receiver::tryClaim, "tryRecv on a closed receiver");
        assertThrows(IllegalStateException.class, () -> receiver.read(p -> fail("handler"), 1),
                "tryRead on a closed receiver");
        assertThrows(IllegalStateException.class, () -> receiver.recv(Duration.ofMillis(1)),
                "recv on a closed receiver");
    }

    /**
     * No lost wake-up: a receiver parked in {@code recv} is woken by the
     * sender's {@code wake()} after a commit, not by the end of its park
     * slice. Of several rounds (a sender commits about 30 ms after the
     * receiver started waiting), the quickest hand-over must take well under
     * the 100 ms park slice; one slow round on a loaded machine is tolerated.
     * @throws InterruptedException if the test thread is interrupted
     */
    @Example
    public void aParkedReceiverIsWokenPromptly() throws InterruptedException {
        final ChannelUnderTest channel = factory().create(64);
        final SenderUnderTest sender = channel.producer();
        long quickest = Long.MAX_VALUE;
        for (int round = 0; round < 5 && quickest > Duration.ofMillis(40).toNanos(); round++) {
            final long[] sent = new long[1];
            final Thread t = new Thread(() -> {
                final ClaimUnderTest c;
                try {
                    Thread.sleep(30);
                    c = sender.send(8);
                } catch (InterruptedException e) {
                    return;
                }
                c.put(0, Payloads.of(0, 0, 8));
                sent[0] = System.nanoTime();
                c.commit();
                sender.wake();
            }, "logbuf-testkit-waker");
            t.setDaemon(true);
            t.start();
            final RecordUnderTest r = channel.consumer().recv(Duration.ofSeconds(10));
            final long received = System.nanoTime();
            assertNotNull(r, "recv timed out with a record sent");
            r.close();
            join(t, Duration.ofSeconds(10));
            quickest = Math.min(quickest, received - sent[0]);
        }
        assertTrue(quickest < Duration.ofMillis(40).toNanos(), "the quickest wake-up took "
                + quickest / 1_000_000 + " ms: the receiver slept out its park slice (a lost wake-up)");
    }

    /**
     * A closed receiver is seen by every sender: {@code isDisconnected()} is
     * true and {@code trySend} and {@code send} throw
     * {@link ChannelClosedException}, on a ring with room or a full one.
     *
     * @param requested the requested capacity
     * @param senderCount how many senders (1 for SPSC)
     * @param fill whether the ring is full when the receiver closes
     */
    @Property
    public void aClosedReceiverIsSeenBySenders(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 1, max = 3) int senderCount, @ForAll boolean fill) {
        final ChannelUnderTest channel = factory().create(requested);
        final List<SenderUnderTest> senders = senders(channel, channel.multiProducer() ? senderCount : 1);
        if (fill) {
            ClaimUnderTest c;
            while ((c = senders.get(0).tryClaim(1)) != null) {
                c.commit();
            }
        }
        for (SenderUnderTest s : senders) {
            assertFalse(s.isDisconnected(), "isDisconnected() before the receiver closed");
        }
        channel.consumer().close();
        for (SenderUnderTest s : senders) {
            assertTrue(s.isDisconnected(), "isDisconnected() after the receiver closed");
            assertThrows(ChannelClosedException.class, () -> s.tryClaim(1), "trySend after the receiver closed");
            assertThrows(ChannelClosedException.class, () -> s.send(1), "send after the receiver closed");
        }
    }

    /**
     * A sender spinning in {@code send} on a full ring leaves with
     * {@link ChannelClosedException} once the receiver closes.
     *
     * @param requested the requested capacity
     */
    @Property(tries = 10)
    public void aSpinningSendSeesTheReceiverClose(@ForAll("smallCapacities") int requested) {
        final ChannelUnderTest channel = factory().create(requested);
        final SenderUnderTest sender = channel.producer();
        ClaimUnderTest c;
        while ((c = sender.tryClaim(1)) != null) {
            c.commit();
        }
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final Thread t = new Thread(() -> {
            try {
                sender.send(channel.maxRecordLength());
                outcome.set(new AssertionError("send returned a claim on a full ring"));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "logbuf-testkit-spinning-send");
        t.setDaemon(true);
        t.start();
        Thread.yield();
        channel.consumer().close();
        join(t, Duration.ofSeconds(10));
        assertTrue(outcome.get() instanceof ChannelClosedException, "send ended with " + outcome.get());
    }

    /**
     * {@code recv(timeout)} on an empty channel returns {@code null} after
     * about the timeout, not before it, and not much later.
     *
     * @param millis the timeout
     * @throws InterruptedException if the test thread is interrupted
     */
    @Property(tries = 5)
    public void recvTimesOutOnAnEmptyChannel(@ForAll @IntRange(min = 0, max = 20) int millis)
            throws InterruptedException {
        final ChannelUnderTest channel = factory().create(64);
        final long start = System.nanoTime();
        assertNull(channel.consumer().recv(Duration.ofMillis(millis)), "recv on an empty channel");
        final long took = System.nanoTime() - start;
        assertTrue(took >= Duration.ofMillis(millis).toNanos(), "recv returned before its timeout: " + took + " ns");
        assertTrue(took < Duration.ofMillis(millis).plusSeconds(5).toNanos(), "recv overslept: " + took + " ns");
    }

    /**
     * A receiver parked in {@code recv} receives a record committed (and
     * woken for) by a sender on another thread, and then the disconnect.
     *
     * @param length the payload length
     * @throws InterruptedException if the test thread is interrupted
     */
    @Property(tries = 10)
    public void aParkedReceiverIsWokenBySend(@ForAll @IntRange(min = 1, max = 56) int length)
            throws InterruptedException {
        final ChannelUnderTest channel = factory().create(64);
        final SenderUnderTest sender = channel.producer();
        final byte[] payload = Payloads.of(0, 0, length);
        final Thread t = new Thread(() -> {
            final ClaimUnderTest c;
            try {
                Thread.sleep(5);
                c = sender.send(length);
            } catch (InterruptedException e) {
                return;
            }
            c.put(0, payload);
            c.commit();
            sender.wake();
            sender.close();
        }, "logbuf-testkit-late-sender");
        t.setDaemon(true);
        t.start();
        final RecordUnderTest r = channel.consumer().recv(Duration.ofSeconds(10));
        assertNotNull(r, "recv timed out with a record sent");
        assertEquals(List.of(SequentialCheck.hex(payload)), List.of(SequentialCheck.hex(r.bytes())));
        r.close();
        join(t, Duration.ofSeconds(10));
        assertThrows(ChannelClosedException.class, () -> channel.consumer().recv(Duration.ofSeconds(10)),
                "recv after the only sender closed");
    }

    /**
     * Single-threaded scenarios with a channel's sends mixed in: untimed,
     * with negative, zero and 2 ms timeouts, and with the interrupt status
     * set; on rings of up to 1 KiB.
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<Scenario> sendScenarios() {
        return LogbufArbitraries.scenarios(maxProducers(), 1024, 40, LogbufArbitraries.Extra.SEND);
    }

    /**
     * The handler's answers for a controlled drain: up to 12, then
     * {@code CONTINUE} (so that the drain ends).
     *
     * @return the arbitrary
     */
    @Provide
    public Arbitrary<List<Op.Reply>> replies() {
        return Arbitraries.of(Op.Reply.values()).list().ofMaxSize(12);
    }

    /**
     * Bounded and interrupted sends against the model: driven from one
     * thread, with sends among the claims, commits and reads, the channel
     * does what {@link RingModel} predicts. With room, {@code send(n)} and
     * {@code send(n, timeout)} claim at once, even with a zero or negative
     * timeout, and even with the interrupt status set (which they leave
     * set). On a full ring a bounded send returns {@code null}, not before
     * its timeout and within it plus {@link #concurrentTimeout()} (else the
     * watchdog closes the receiver and the contract fails); with the
     * interrupt status set it throws {@link InterruptedException} and clears
     * it. Either way it claims nothing and writes no record, only the wrap
     * padding a refused {@code trySend} would: the ring afterwards is what
     * the model says (the following claims, reads and bytes prove it, and
     * the counters when present), later records go through, and the records
     * before are intact.
     *
     * <p>Needs {@code SenderUnderTest.send(int, Duration)}.
     *
     * @param scenario the generated scenario
     */
    @Property
    @StatisticsReport(onFailureOnly = true)
    public void boundedSendsMatchTheModel(@ForAll("sendScenarios") Scenario scenario) {
        needs("boundedSendsMatchTheModel", () -> {
            final ChannelUnderTest channel = factory().create(scenario.requestedCapacity());
            final SequentialCheck.Report report = sequential(channel, scenario, concurrentTimeout(),
                    statsAgreeIfPresent(channel, scenario.producers(), false));
            for (SequentialCheck.Event e : List.of(SequentialCheck.Event.SEND_GAVE_UP,
                    SequentialCheck.Event.SEND_INTERRUPTED, SequentialCheck.Event.SEND_CLAIMED_THOUGH_INTERRUPTED)) {
                Statistics.label(e.name()).collect(report.events().contains(e));
            }
        });
    }

    /**
     * The edges of the bounded and interrupted sends, written out as
     * scenarios on a 64-byte channel and checked against the model: a
     * bounded send that gives up on a full ring and a zero-timeout one that
     * claims once there is room; an interrupted send that throws on a full
     * ring and one that claims with room, leaving the status set; a send
     * refused at the wrap that leaves only the padding, after which the same
     * length fits at the start. Each must reach the edge it is named for.
     *
     * <p>Needs {@code SenderUnderTest.send(int, Duration)}.
     */
    @Example
    public void boundedSendEdgesMatchTheModel() {
        needs("boundedSendEdgesMatchTheModel", () -> {
            for (EdgeScenario edge : EdgeScenario.sends()) {
                final ChannelUnderTest channel = factory().create(edge.scenario().requestedCapacity());
                final SequentialCheck.Report report = sequential(channel, edge.scenario(),
                        concurrentTimeout(), statsAgreeIfPresent(channel, edge.scenario().producers(), false));
                assertTrue(report.events().containsAll(edge.reaches()), edge.name() + " must reach "
                        + edge.reaches() + " but reached " + report.events() + ": " + edge.scenario());
            }
        });
    }

    /**
     * A controlled read sees the disconnect only after the drain: with every
     * sender closed (an open claim aborted by its close), controlled reads
     * whose handler answers as generated (aborting, throwing, returning
     * {@code null}, breaking, committing) hand out every committed record
     * exactly once, in order; a record the handler aborts or throws on is
     * handed out again, first, unchanged; a read whose handler aborts the
     * first record returns 0 and does not report the disconnect, however
     * often. Each read returns the number of records it consumed. Only once
     * every record is consumed does it throw
     * {@link ChannelClosedException}, each time, without calling the handler.
     *
     * <p>Needs {@code ConsumerUnderTest.controlledRead}.
     *
     * @param schedule what each sender commits or aborts before closing
     * @param replies the handler's answers, record after record, over the whole drain (then {@code CONTINUE})
     * @param leaveOpen whether the last sender closes with a claim still open
     * @param limit each read's limit
     */
    @Property
    public void aControlledReadSeesTheDisconnectOnlyAfterTheDrain(@ForAll("schedules") Schedule schedule,
            @ForAll("replies") List<Op.Reply> replies, @ForAll boolean leaveOpen,
            @ForAll @IntRange(min = 1, max = 4) int limit) {
        needs("aControlledReadSeesTheDisconnectOnlyAfterTheDrain", () -> {
            final ChannelUnderTest channel = factory().create(schedule.requestedCapacity());
            final Ledger ledger = sendAndCloseEverySender(channel, schedule, leaveOpen);
            final ReceiverUnderTest receiver = channel.consumer();
            final int[] answered = {0};
            final byte[][] leftInRing = {null};
            final RuntimeException thrown = new IllegalStateException("the handler throws on purpose");
            while (!ledger.complete()) {
                final int[] consumedNow = {0};
                final Op.Reply[] last = {null};
                final ControlledRecordHandler handler = payload -> {
                    final byte[] bytes = Payloads.copyOf(payload);
                    if (leftInRing[0] != null) {
                        assertEquals(SequentialCheck.hex(leftInRing[0]), SequentialCheck.hex(bytes),
                                "a record the handler left in the ring must be handed out again, first");
                        leftInRing[0] = null;
                    }
                    final int k = answered[0]++;
                    final Op.Reply reply = k < replies.size() ? replies.get(k) : Op.Reply.CONTINUE;
                    last[0] = reply;
                    if (!reply.consumes()) {
                        leftInRing[0] = bytes;
                    } else {
                        ledger.received(bytes);
                        consumedNow[0]++;
                    }
                    if (reply == Op.Reply.THROW) {
                        throw thrown;
                    }
                    return reply.action();
                };
                try {
                    final int n = receiver.controlledRead(handler, limit);
                    assertTrue(last[0] != Op.Reply.THROW && last[0] != Op.Reply.NULL,
                            "the handler " + (last[0] == Op.Reply.THROW ? "threw" : "returned null")
                                    + " but tryControlledRead returned " + n);
                    assertEquals(consumedNow[0], n, "tryControlledRead's count of consumed records ("
                            + ledger.progress() + ")");
                    assertTrue(last[0] != null, "tryControlledRead found no record with records waiting: "
                            + ledger.progress());
                } catch (ChannelClosedException e) {
                    fail("the disconnect was reported before the drain (the handler last answered " + last[0]
                            + "): " + ledger.progress(), e);
                } catch (NullPointerException e) {
                    assertEquals(Op.Reply.NULL, last[0], "tryControlledRead threw " + e);
                } catch (IllegalStateException e) {
                    assertTrue(e == thrown, "tryControlledRead threw " + e);
                }
            }
            for (int i = 0; i < 2; i++) {
                assertThrows(ChannelClosedException.class, () -> receiver.controlledRead(
                        p -> fail("handler called after the drain"), limit), "tryControlledRead after the drain");
            }
        });
    }

    /**
     * An interrupted send leaves promptly: a sender thread waiting in
     * {@code send(n)} (or {@code send(n, timeout)} with a timeout longer
     * than the contract waits) on a full ring is interrupted, before the call
     * or while it spins. It throws {@link InterruptedException} with its
     * interrupt status cleared, within {@link #concurrentTimeout()} (a failure
     * bound: the receiver is closed then to end it), having claimed nothing:
     * the ring is as the model says after a refused claim (wrap padding at
     * most), the records before are intact and in order, the sender holds no
     * claim, and a later record goes through. Needs no more than two cores.
     *
     * <p>Needs {@code SenderUnderTest.send(int, Duration)} when {@code timed}.
     *
     * @param requested the requested capacity
     * @param fill the length of the records that fill the ring (then 1-byte ones fill it up)
     * @param length the waiting send's length
     * @param timed whether the send is the bounded one
     * @param preset whether the interrupt status is set before the call (else while it spins)
     * @param delayMillis how long the interrupt comes after the thread's start
     */
    @Property(tries = 30)
    public void anInterruptedSendLeavesPromptly(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 1, max = 100) int fill, @ForAll @IntRange(min = 1, max = 100) int length,
            @ForAll boolean timed, @ForAll boolean preset, @ForAll @IntRange(min = 0, max = 5) int delayMillis) {
        needs("anInterruptedSendLeavesPromptly", () -> {
            final ChannelUnderTest channel = factory().create(requested);
            final SenderUnderTest sender = channel.producer();
            final RingModel model = new RingModel(requested);
            final int n = Math.min(length, channel.maxRecordLength());
            fillUp(sender, model, Math.min(fill, channel.maxRecordLength()));
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final boolean[] statusAfter = new boolean[1]; // read after join: join orders it
            final Thread t = new Thread(() -> {
                if (preset) {
                    Thread.currentThread().interrupt();
                }
                try {
                    final ClaimUnderTest c = timed ? sender.send(n, concurrentTimeout().multipliedBy(2)) : sender.send(n);
                    outcome.set(c == null ? "null (gave up)" : "a claim");
                } catch (InterruptedException e) {
                    statusAfter[0] = Thread.currentThread().isInterrupted();
                    outcome.set(e);
                } catch (Throwable e) {
                    outcome.set(e);
                }
            }, "logbuf-testkit-interrupted-send");
            t.setDaemon(true);
            t.start();
            if (!preset) {
                sleep(delayMillis);
                t.interrupt();
            }
            // join: what the thread wrote (outcome, statusAfter) happens-before the reads below
            if (!joined(t, concurrentTimeout())) {
                channel.consumer().close(); // ends a send that ignores the interrupt
                joined(t, concurrentTimeout());
                fail((timed ? "send(n, timeout)" : "send(n)") + " on a full ring did not answer the interrupt within "
                        + concurrentTimeout() + " (the receiver was closed to end it; it then ended with "
                        + outcome.get() + ")");
            }
            assertTrue(outcome.get() instanceof InterruptedException, "an interrupted send on a full ring must throw"
                    + " InterruptedException, but it ended with " + outcome.get());
            assertFalse(statusAfter[0], "a send that throws InterruptedException must clear the interrupt status");
            assertNotEquals(RingModel.Outcome.CLAIMED, model.outcomeOf(n), "the ring was full for the send");
            model.claim(0, n); // what the refused attempts did: wrap padding at most
            afterARefusedSend(channel, sender, model, n);
        });
    }

    /**
     * A bounded send waits for room: a sender thread in
     * {@code send(n, timeout)} on a full ring (a timeout far longer than the
     * contract waits) gets its claim once the receiver, on the test thread,
     * takes records; its record arrives after every record before it, intact.
     * Needs no more than two cores; {@link #concurrentTimeout()} bounds every
     * wait.
     *
     * <p>Needs {@code SenderUnderTest.send(int, Duration)}.
     *
     * @param requested the requested capacity
     * @param fill the length of the records that fill the ring
     * @param length the waiting send's length
     * @param delayMillis how long the receiver waits before it takes records
     */
    @Property(tries = 30)
    public void aBoundedSendTakesTheRoomTheReceiverMakes(@ForAll("smallCapacities") int requested,
            @ForAll @IntRange(min = 1, max = 100) int fill, @ForAll @IntRange(min = 1, max = 100) int length,
            @ForAll @IntRange(min = 0, max = 5) int delayMillis) {
        needs("aBoundedSendTakesTheRoomTheReceiverMakes", () -> {
            final ChannelUnderTest channel = factory().create(requested);
            final SenderUnderTest sender = channel.producer();
            final RingModel model = new RingModel(requested);
            final int n = Math.min(length, channel.maxRecordLength());
            final List<byte[]> sent = fillUp(sender, model, Math.min(fill, channel.maxRecordLength()));
            final Ledger ledger = new Ledger(1);
            sent.forEach(b -> ledger.committed(0, b));
            final byte[] last = Payloads.of(0, sent.size(), n);
            ledger.committed(0, last);
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final Thread t = new Thread(() -> {
                try {
                    final ClaimUnderTest c = sender.send(n, concurrentTimeout().multipliedBy(2));
                    if (c == null) {
                        outcome.set("null: it gave up although the receiver made room");
                        return;
                    }
                    c.put(0, last);
                    c.commit();
                    sender.wake(); // the receiver may be parked in recv
                    outcome.set("sent");
                } catch (Throwable e) {
                    outcome.set(e);
                }
            }, "logbuf-testkit-bounded-send");
            t.setDaemon(true);
            t.start();
            sleep(delayMillis);
            final long deadline = System.nanoTime() + concurrentTimeout().toNanos();
            final ReceiverUnderTest receiver = channel.consumer();
            try {
                while (!ledger.complete() && System.nanoTime() < deadline) {
                    final RecordUnderTest r = receiver.recv(Duration.ofMillis(20));
                    if (r != null) {
                        try {
                            ledger.received(r.bytes());
                        } finally {
                            r.close();
                        }
                    } else if (!t.isAlive() && !"sent".equals(outcome.get())) {
                        break; // it failed: reported below
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (!joined(t, concurrentTimeout())) {
                receiver.close();
                joined(t, concurrentTimeout());
                fail("send(n, timeout) did not return within " + concurrentTimeout() + " of the receiver making room"
                        + " (" + ledger.progress() + ")");
            }
            assertEquals("sent", String.valueOf(outcome.get()), "the bounded send's outcome");
            assertTrue(ledger.complete(), "records missing: " + ledger.progress());
        });
    }

    /**
     * Fills the ring with records of {@code fill} bytes, then 1-byte ones, by
     * {@code trySend}, until it is full for any length; mirrored in the model
     * (each outcome checked). Returns the payloads committed, in order.
     */
    private static List<byte[]> fillUp(SenderUnderTest sender, RingModel model, int fill) {
        final List<byte[]> sent = new ArrayList<>();
        for (int length : new int[] {fill, 1}) {
            for (;;) {
                final RingModel.Outcome expected = model.claim(0, length);
                final ClaimUnderTest c = sender.tryClaim(length);
                assertEquals(expected == RingModel.Outcome.CLAIMED, c != null, "trySend(" + length
                        + ") while filling the ring (" + model + ")");
                if (c == null) {
                    break;
                }
                final byte[] payload = Payloads.of(0, sent.size(), length);
                c.put(0, payload);
                model.write(0, 0, payload);
                c.commit();
                model.commit(0);
                sent.add(payload);
            }
        }
        return sent;
    }

    /**
     * After a send that claimed nothing: the sender holds no claim (its
     * {@code trySend} on the full ring returns {@code null}, not
     * {@link IllegalStateException}), the records before come out intact and
     * in order and nothing else does, the counters (when present) say where
     * head and tail are, and a later record goes through.
     */
    private void afterARefusedSend(ChannelUnderTest channel, SenderUnderTest sender, RingModel model, int n) {
        assertNotEquals(RingModel.Outcome.CLAIMED, model.claim(0, 1), "the model: the ring is full");
        assertNull(assertDoesNotThrow(() -> sender.tryClaim(1), "trySend after the refused send: it must hold no"
                + " claim"), "trySend on the full ring after the refused send (" + model + ")");
        final QueueStats stats = statsOrNull(channel.consumer());
        if (stats != null) {
            assertEquals(model.tail(), stats.tail(), "stats().tail() after the refused send: only wrap padding may"
                    + " have been written");
            assertEquals(model.head(), stats.head(), "stats().head() after the refused send");
        }
        final ReceiverUnderTest receiver = channel.consumer();
        byte[] want;
        while ((want = model.consumerClaim()) != null) {
            final RecordUnderTest r = receiver.tryClaim();
            assertNotNull(r, "a record committed before the refused send is missing (" + model + ")");
            assertEquals(SequentialCheck.hex(want), SequentialCheck.hex(r.bytes()), "a record committed before the"
                    + " refused send");
            r.close();
            model.release();
        }
        assertNull(receiver.tryClaim(), "a record after those committed before the refused send");
        ClaimUnderTest later = sender.tryClaim(n);
        if (model.claim(0, n) != RingModel.Outcome.CLAIMED) {
            assertNull(later, "trySend(" + n + ") on the drained ring pads first (" + model + ")");
            assertNull(receiver.tryClaim(), "the padding is no record");
            assertNull(model.consumerClaim(), "the model: the padding is no record");
            assertEquals(RingModel.Outcome.CLAIMED, model.claim(0, n), "the model, after the padding");
            later = sender.tryClaim(n);
        }
        assertNotNull(later, "a record after the refused send must go through (" + model + ")");
        final byte[] payload = Payloads.of(1, 0, n);
        later.put(0, payload);
        later.commit();
        final RecordUnderTest r = receiver.tryClaim();
        assertNotNull(r, "the record sent after the refused send");
        assertEquals(SequentialCheck.hex(payload), SequentialCheck.hex(r.bytes()), "the record sent after the refused send");
        r.close();
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static boolean joined(Thread t, Duration timeout) {
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return !t.isAlive();
    }

    private static List<SenderUnderTest> senders(ChannelUnderTest channel, int count) {
        final List<SenderUnderTest> senders = new ArrayList<>();
        senders.add(channel.producer());
        for (int s = 1; s < count; s++) {
            senders.add(channel.newProducer());
        }
        return senders;
    }

    /**
     * Sends what fits of {@code schedule} through its senders, leaves a
     * one-byte claim open on the last one if {@code leaveOpen}, then closes
     * every sender; the ledger holds what was committed.
     */
    private Ledger sendAndCloseEverySender(ChannelUnderTest channel, Schedule schedule, boolean leaveOpen) {
        final List<SenderUnderTest> senders = senders(channel, schedule.senders().size());
        final Ledger ledger = sendWhatFits(channel, senders, schedule);
        if (leaveOpen) {
            final ClaimUnderTest open = senders.get(senders.size() - 1).tryClaim(1);
            if (open != null) {
                open.put(0, new byte[] {(byte) 0xFF});
            }
        }
        senders.forEach(SenderUnderTest::close);
        return ledger;
    }

    /** Sends each sender's plan in turns with trySend, stopping a sender at its first full ring. */
    private static Ledger sendWhatFits(ChannelUnderTest channel, List<SenderUnderTest> senders, Schedule schedule) {
        final Ledger ledger = new Ledger(senders.size());
        final boolean[] stopped = new boolean[senders.size()];
        final int longest = schedule.senders().stream().mapToInt(List::size).max().orElse(0);
        for (int seq = 0; seq < longest; seq++) {
            for (int s = 0; s < senders.size(); s++) {
                final List<Schedule.Planned> plan = schedule.senders().get(s);
                if (stopped[s] || seq >= plan.size()) {
                    continue;
                }
                final Schedule.Planned p = plan.get(seq);
                final ClaimUnderTest c = senders.get(s).tryClaim(p.length());
                if (c == null) {
                    stopped[s] = true;
                    continue;
                }
                final byte[] payload = Payloads.of(s, seq, p.length());
                c.put(0, payload);
                if (p.abort()) {
                    c.abort();
                    ledger.aborted(s, payload);
                } else {
                    c.commit();
                    ledger.committed(s, payload);
                }
            }
        }
        return ledger;
    }

    private static void join(Thread t, Duration timeout) {
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            t.interrupt();
            fail(t.getName() + " did not finish within " + timeout);
        }
    }
}
