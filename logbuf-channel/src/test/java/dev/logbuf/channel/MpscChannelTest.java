package dev.logbuf.channel;

import static dev.logbuf.channel.TestSupport.assertPromptWakeUps;
import static dev.logbuf.channel.TestSupport.assertRecvDisconnects;
import static dev.logbuf.channel.TestSupport.awaitParkedInReceiver;
import static dev.logbuf.channel.TestSupport.check;
import static dev.logbuf.channel.TestSupport.recvLong;
import static dev.logbuf.channel.TestSupport.sendLong;
import static dev.logbuf.channel.TestSupport.sendRecord;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.logbuf.channel.TestSupport.Worker;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The channel contract for {@link MpscChannel}, and what only several senders bring. */
class MpscChannelTest extends ChannelContractTest {

    @Override
    Ends create(int capacity) {
        final MpscChannel channel = MpscChannel.create(capacity);
        return new Ends(channel.newSender(), channel.receiver());
    }

    /** A channel kept reachable until the test ends (its duplicates are the test's to keep). */
    private MpscChannel mpsc(int capacity) {
        final MpscChannel channel = MpscChannel.create(capacity);
        keep(channel, channel.receiver());
        return channel;
    }

    /** Sender id in the high half, sequence number in the low half. */
    private static long encode(int sender, int seq) {
        return (long) sender << 32 | seq;
    }

    // ================================================================ senders

    /** Port of sender_is_clone: a duplicate is a new, open sender on the same channel. */
    @Test
    void shouldDuplicateTheSender() throws Exception {
        final MpscChannel channel = mpsc(1024);
        final MpscSender first = channel.newSender();
        final MpscSender second = first.duplicate();
        final MpscSender third = second.duplicate();
        assertNotSame(first, second);
        assertNotSame(second, third);
        assertEquals(first.capacity(), second.capacity());
        sendLong(second, 2);
        sendLong(first, 1);
        sendLong(third, 3);
        assertEquals(2, recvLong(channel.receiver()), "records come out in the order they were claimed");
        assertEquals(1, recvLong(channel.receiver()));
        assertEquals(3, recvLong(channel.receiver()));
    }

    /**
     * newSender() opens a new sender on every call, each one the caller's to
     * close; the channel holds none of its own, so closing every sender
     * opened disconnects it, for good. The receiver is the same on every call.
     */
    @Test
    void shouldOpenANewSenderEachTimeAndHoldNoneOfItsOwn() throws Exception {
        final MpscChannel channel = mpsc(64);
        final Receiver receiver = channel.receiver();
        assertSame(receiver, channel.receiver());
        assertEquals(64, channel.capacity());
        assertEquals(56, channel.maxRecordLength());
        assertFalse(receiver.isDisconnected(), "no sender yet is not a disconnect");
        assertNull(receiver.recv(Duration.ZERO), "no sender yet: empty, waiting");
        final MpscSender a = channel.newSender();
        final MpscSender b = channel.newSender();
        assertNotSame(a, b);
        sendLong(b, 2);
        a.close();
        assertFalse(receiver.isDisconnected(), "b is open");
        b.close();
        assertTrue(receiver.isDisconnected(), "every sender opened is closed: nothing hidden keeps it open");
        assertEquals(2, recvLong(receiver));
        assertRecvDisconnects(receiver, "both senders closed");
        final IllegalStateException refused = assertThrows(IllegalStateException.class, channel::newSender);
        assertTrue(refused.getMessage().contains("disconnected"), refused.getMessage());
    }

    /** A closed sender cannot be duplicated: IllegalStateException. */
    @Test
    void shouldRejectDuplicatingAClosedSender() {
        final MpscChannel channel = mpsc(64);
        final MpscSender first = channel.newSender();
        final MpscSender spare = first.duplicate();
        first.close();
        assertThrows(IllegalStateException.class, first::duplicate);
        assertFalse(channel.receiver().isDisconnected(), "the spare is still open");
        spare.duplicate().close();
        spare.close();
        assertTrue(channel.receiver().isDisconnected());
    }

    /**
     * The receiver reports the disconnect only once every sender, the first
     * and every duplicate, is closed; closing one sender twice counts once.
     */
    @Test
    void shouldStayConnectedUntilEverySenderCloses() throws Exception {
        final MpscChannel channel = mpsc(1024);
        final Receiver receiver = channel.receiver();
        final MpscSender first = channel.newSender();
        final MpscSender second = first.duplicate();
        final MpscSender third = second.duplicate();

        second.close();
        second.close();
        second.close();
        assertFalse(receiver.isDisconnected(), "closing one sender three times counts once");
        sendLong(first, 1);
        first.close();
        assertFalse(receiver.isDisconnected(), "the third is open");
        assertEquals(1, recvLong(receiver));
        assertNull(receiver.recv(Duration.ZERO), "empty, not disconnected");
        assertNull(receiver.tryRecv());

        sendLong(third, 3);
        third.close();
        assertTrue(receiver.isDisconnected());
        assertEquals(3, recvLong(receiver), "a record committed before the last close comes out first");
        assertRecvDisconnects(receiver, "every sender closed");
    }

    /** Every sender, duplicates included, sees the closed receiver. */
    @Test
    void shouldReportAClosedReceiverToEverySender() {
        final MpscChannel channel = mpsc(1024);
        final MpscSender first = channel.newSender();
        final List<MpscSender> senders = List.of(first, first.duplicate(), first.duplicate());
        channel.receiver().close();
        for (MpscSender sender : senders) {
            assertTrue(sender.isDisconnected());
            assertThrows(ChannelClosedException.class, () -> sender.send(8));
            assertThrows(ChannelClosedException.class, () -> sender.trySend(8));
            assertNotNull(sender.duplicate(), "duplicating still works; the duplicate is disconnected too");
        }
    }

    /**
     * A sender closed with an open claim aborts it; records other senders
     * claimed after it, held back behind it, come out at once.
     */
    @Test
    void shouldNotStallBehindAClaimThatCloseAborted() throws Exception {
        final MpscChannel channel = mpsc(1024);
        final MpscSender stalled = channel.newSender();
        final MpscSender other = stalled.duplicate();
        final Receiver receiver = channel.receiver();

        final WriteClaim open = stalled.send(8);
        open.putLong(0, -1);
        sendLong(other, 1);
        sendLong(other, 2);
        assertNull(receiver.tryRecv(), "records behind an open claim wait for it");
        stalled.close();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(1, recvLong(receiver), "the aborted claim is skipped, never shown");
            assertEquals(2, recvLong(receiver));
        });
        assertNull(receiver.recv(Duration.ZERO), "the other sender is open: empty, not disconnected");
        other.close();
        assertRecvDisconnects(receiver, "both senders closed");
    }

    // ================================================================ several threads

    /** Port of multiple_senders: four threads, a hundred text records each, all received. */
    @Test
    void shouldCarryTheRecordsOfSeveralSenderThreads() throws Exception {
        final int senders = 4;
        final int messages = 100;
        final MpscChannel channel = mpsc(4096);
        final List<Worker<Void>> threads = new ArrayList<>();
        // every sender opened before any thread can close its own: the channel disconnects for good
        // the moment every sender opened so far is closed
        final List<MpscSender> opened = new ArrayList<>();
        for (int id = 0; id < senders; id++) {
            opened.add(channel.newSender());
        }
        for (int id = 0; id < senders; id++) {
            final MpscSender sender = opened.get(id);
            final int me = id;
            threads.add(Worker.start("sender-" + id, () -> {
                for (int i = 0; i < messages; i++) {
                    final byte[] payload = (me + ":" + i).getBytes(US_ASCII);
                    try (WriteClaim claim = sender.send(payload.length)) {
                        claim.put(payload);
                        claim.commit();
                    }
                    sender.wake();
                }
                sender.close();
                return null;
            }));
        }

        final int[] next = new int[senders];
        int count = 0;
        try {
            for (;;) {
                try (ReadClaim record = channel.receiver().recv()) {
                    final byte[] bytes = new byte[record.length()];
                    record.get(bytes);
                    final String[] parts = new String(bytes, US_ASCII).split(":");
                    final int id = Integer.parseInt(parts[0]);
                    assertEquals(next[id]++, Integer.parseInt(parts[1]), "order of sender " + id);
                    count++;
                }
            }
        } catch (ChannelClosedException everyoneDone) {
            // expected once all four closed
        }
        for (Worker<Void> thread : threads) {
            thread.join();
        }
        assertEquals(senders * messages, count);
    }

    /** Port of stress_multiple_senders: 4 x 10 000 records through 64 KiB, each sender's order kept. */
    @Test
    void shouldKeepEachSendersOrderUnderStress() throws Exception {
        final int senders = 4;
        final long perSender = 10_000;
        final MpscChannel channel = mpsc(64 * 1024);
        final List<Worker<Void>> threads = new ArrayList<>();
        // every sender opened before any thread can close its own: the channel disconnects for good
        // the moment every sender opened so far is closed
        final List<MpscSender> opened = new ArrayList<>();
        for (int id = 0; id < senders; id++) {
            opened.add(channel.newSender());
        }
        for (int id = 0; id < senders; id++) {
            final MpscSender sender = opened.get(id);
            final long me = id;
            threads.add(Worker.start("sender-" + id, () -> {
                for (long i = 0; i < perSender; i++) {
                    try (WriteClaim claim = sender.send(16)) {
                        claim.putLong(0, me).putLong(8, i);
                        claim.commit();
                    }
                    sender.wake();
                }
                sender.close();
                return null;
            }));
        }

        final Worker<long[]> receiving = Worker.start("receiver", () -> {
            final long[] received = new long[senders];
            try {
                for (;;) {
                    try (ReadClaim record = channel.receiver().recv()) {
                        final int id = (int) record.getLong(0);
                        assertEquals(received[id], record.getLong(8), "sender " + id + " out of order");
                        received[id]++;
                    }
                }
            } catch (ChannelClosedException everyoneDone) {
                return received;
            }
        });
        for (Worker<Void> thread : threads) {
            thread.join();
        }
        final long[] expected = new long[senders];
        java.util.Arrays.fill(expected, perSender);
        assertArrayEquals(expected, receiving.join(), "records per sender");
    }

    /**
     * Several sender threads close right after their last commit, through a
     * small ring so that many records are in flight at each close: the
     * receiver gets every record of every sender, each sender's in order,
     * before the disconnect.
     */
    @ParameterizedTest
    @EnumSource(ReceiveMode.class)
    void shouldDeliverEveryRecordOfSendersThatCloseWithRecordsInFlight(ReceiveMode mode) throws Exception {
        final int senders = 3;
        final int perSender = 2_000;
        final MpscChannel channel = mpsc(256);
        final List<Worker<Void>> threads = new ArrayList<>();
        // every sender opened before any thread can close its own: the channel disconnects for good
        // the moment every sender opened so far is closed
        final List<MpscSender> opened = new ArrayList<>();
        for (int id = 0; id < senders; id++) {
            opened.add(channel.newSender());
        }
        for (int id = 0; id < senders; id++) {
            final MpscSender sender = opened.get(id);
            final int me = id;
            threads.add(Worker.start("sender-" + id, () -> {
                for (int i = 0; i < perSender; i++) {
                    sendRecord(sender, encode(me, i));
                }
                sender.close(); // at once, records still in the ring
                return null;
            }));
        }

        final int[] next = new int[senders];
        assertThrows(ChannelClosedException.class, () -> {
            for (;;) {
                mode.receive(channel.receiver(), payload -> {
                    final long value = check(payload);
                    final int id = (int) (value >>> 32);
                    assertEquals(next[id]++, (int) value, "order of sender " + id);
                });
            }
        });
        for (Worker<Void> thread : threads) {
            thread.join();
        }
        for (int id = 0; id < senders; id++) {
            assertEquals(perSender, next[id], "records of sender " + id + " received before the disconnect");
        }
    }

    // ================================================================ disconnect wake-ups

    /**
     * Closing the last of several senders wakes the parked receiver at once;
     * closing the others does not disconnect it.
     */
    @Test
    void shouldWakeAParkedReceiverAtOnceWhenTheLastOfSeveralSendersCloses() throws Exception {
        final int rounds = 12;
        final long[] latency = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            final MpscChannel channel = mpsc(64);
            final MpscSender last = channel.newSender();
            final MpscSender other = last.duplicate();
            final Worker<Long> receiving = Worker.start("receiver", () -> {
                assertThrows(ChannelClosedException.class, channel.receiver()::recv);
                return System.nanoTime();
            });
            awaitParkedInReceiver(receiving.thread);
                other.close();
            assertFalse(channel.receiver().isDisconnected(), "one sender is still open");
            assertFalse(receiving.isDone() && channel.receiver().isDisconnected());
            final long closing = System.nanoTime();
            last.close();
            latency[round] = receiving.join() - closing;
        }
        assertPromptWakeUps(latency, "recv() after the last of three senders closed");
    }

    /**
     * A duplicate dropped without close counts as closed once the garbage
     * collector has collected it. Skipped if the JVM does not collect it
     * within the bound (System.gc() is only a request).
     */
    @Test
    void shouldCountAnAbandonedDuplicateAsClosedOnceCollected() throws Exception {
        final MpscChannel channel = mpsc(1024);
        final MpscSender first = channel.newSender();
        final WeakReference<MpscSender> abandoned = abandonDuplicateAfterSending(first, 7);
        first.close();
        final boolean early = channel.receiver().isDisconnected();
        assertTrue(!early || abandoned.get() == null, "only a collected duplicate counts as closed");

        final Worker<Long> receiving = Worker.start("receiver", () -> {
            final long value = recvLong(channel.receiver());
            assertThrows(ChannelClosedException.class, channel.receiver()::recv);
            return value;
        });
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!receiving.awaitDone(Duration.ofMillis(50)) && System.nanoTime() - deadline < 0) {
            System.gc();
        }
        assumeTrue(receiving.isDone() || abandoned.get() == null,
                "the JVM did not collect the abandoned duplicate within 10 s");
        assertEquals(7L, receiving.join(), "the abandoned duplicate's record came first");
    }

    private static WeakReference<MpscSender> abandonDuplicateAfterSending(MpscSender sender, long value) throws InterruptedException {
        final MpscSender duplicate = sender.duplicate();
        sendLong(duplicate, value);
        return new WeakReference<>(duplicate);
    }

    /**
     * Two threads share one sender (a programming error) while the receiver
     * drains: every error they meet says so and names duplicate(), and
     * afterwards, with both threads still alive, a well-behaved sender's
     * {@code send(32, 5 s)} succeeds and its record arrives. Before, a claim
     * opened over another's in the shared flyweight left the first in
     * progress under a live thread: the receiver waited on it for as long as
     * that thread lived, the ring filled, and every sender spun.
     */
    @Test
    void shouldReportTwoThreadsOnOneSenderAndKeepTheChannelFlowing() throws Exception {
        final MpscChannel channel = mpsc(64 * 1024);
        final MpscSender shared = channel.newSender();
        final MpscSender wellBehaved = shared.duplicate();
        final Receiver receiver = channel.receiver();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong longRecords = new AtomicLong();
        final Queue<String> unclear = new ConcurrentLinkedQueue<>();
        final CountDownLatch hammered = new CountDownLatch(2);
        // the sharing threads stay alive to the end: a claim of a terminated thread is recovered anyway
        final CountDownLatch finish = new CountDownLatch(1);
        final long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        final Runnable share = () -> {
            for (int i = 0; i < 200_000 && errors.get() < 100 && System.nanoTime() - until < 0; i++) {
                try {
                    final WriteClaim claim = shared.send(16, Duration.ofSeconds(1));
                    if (claim != null) {
                        claim.putLong(0, i);
                        claim.commit();
                        shared.wake();
                    }
                } catch (IllegalStateException e) {
                    errors.incrementAndGet();
                    if (!String.valueOf(e.getMessage()).contains("duplicate()")) {
                        unclear.add(e.toString());
                    }
                } catch (IndexOutOfBoundsException e) {
                    errors.incrementAndGet(); // the other thread's claim changed the shared flyweight's bounds
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            hammered.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        final Thread a = new Thread(share, "sharing-a");
        final Thread b = new Thread(share, "sharing-b");
        final Thread reading = new Thread(() -> {
            try {
                while (!stop.get()) {
                    receiver.read(payload -> {
                        if (payload.length() == 32) {
                            longRecords.incrementAndGet();
                        }
                    }, 256, Duration.ofMillis(10));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "reading");
        reading.start();
        a.start();
        b.start();
        try {
            assertTrue(hammered.await(60, TimeUnit.SECONDS), "the sharing threads did not finish");
            assertTrue(unclear.isEmpty(), "errors that do not say how to share: " + unclear);
            final WriteClaim claim = wellBehaved.send(32, Duration.ofSeconds(5));
            assertNotNull(claim, "a well-behaved send(32, 5 s) timed out: the channel is wedged ("
                    + errors.get() + " errors)");
            claim.commit();
            wellBehaved.wake();
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (longRecords.get() == 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertEquals(1, longRecords.get(), "the well-behaved record arrived, once");
        } finally {
            stop.set(true);
            finish.countDown();
            a.join(60_000);
            b.join(60_000);
            reading.join(60_000);
        }
    }

    /**
     * One wake-up per announcement: the sender that finds the receiver
     * announced takes the wake-up (clears the announcement); the senders
     * after it do not unpark again until the receiver announces itself
     * anew. Before, every wake() in the window unparked it.
     */
    @Test
    void shouldTakeTheWakeUpOnceForEachAnnouncement() {
        final Shared shared = new Shared();
        final Thread parked = new Thread(() -> { }, "never-started"); // unparking it does nothing
        shared.announceWaiter(parked);
        assertTrue(shared.wake(), "the first sender takes the wake-up");
        assertFalse(shared.wake(), "the next finds it taken");
        assertFalse(shared.wake());
        assertEquals(1, shared.wakeups());
        shared.announceWaiter(parked);
        assertTrue(shared.wake(), "a new announcement, a new wake-up");
        assertEquals(2, shared.wakeups());
        shared.clearWaiter();
        assertFalse(shared.wake(), "nobody announced");
    }
}
