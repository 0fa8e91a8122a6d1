package dev.logbuf.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.logbuf.channel.ChannelClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

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
        final List<SenderUnderTest> senders = senders(channel, schedule.senders().size());
        final Ledger ledger = sendWhatFits(channel, senders, schedule);
        if (leaveOpen) {
            final ClaimUnderTest open = senders.get(senders.size() - 1).tryClaim(1);
            if (open != null) {
                open.put(0, new byte[] {(byte) 0xFF});
            }
        }
        senders.forEach(SenderUnderTest::close);
        assertTrue(channel.consumer().isDisconnected(), "isDisconnected() once every sender is closed");
        final ReceiverUnderTest receiver = channel.consumer();
        while (!ledger.complete()) {
            try {
                if (batch) {
                    final int n = receiver.read(payload -> {
                        final byte[] copy = new byte[payload.remaining()];
                        payload.duplicate().get(copy);
                        ledger.received(copy);
                    }, 2);
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

    private static List<SenderUnderTest> senders(ChannelUnderTest channel, int count) {
        final List<SenderUnderTest> senders = new ArrayList<>();
        senders.add(channel.producer());
        for (int s = 1; s < count; s++) {
            senders.add(channel.newProducer());
        }
        return senders;
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
