package dev.logbuf.channel;

import static dev.logbuf.channel.TestSupport.assertRecvDisconnects;
import static dev.logbuf.channel.TestSupport.awaitParkedInReceiver;
import static dev.logbuf.channel.TestSupport.recvLong;
import static dev.logbuf.channel.TestSupport.sendLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.Unblock;
import dev.logbuf.queue.WriteClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The receiver's own handling of dead and stalled senders, and its counters. */
@DisplayName("receiver faults")
class ReceiverFaultsTest {

    private final MpscChannel channel = MpscChannel.create(1024);
    private final Receiver receiver = channel.receiver();
    private final MpscSender live = channel.newSender();

    /** Runs {@code body} on a thread that then dies of an uncaught exception, and waits for it to end. */
    private static void dieIn(Callable<?> body) throws InterruptedException {
        final Thread thread = new Thread(() -> {
            try {
                body.call();
            } catch (Exception e) {
                throw new AssertionError("failed before it could die mid-claim", e);
            }
            throw new IllegalStateException("dies mid-claim on purpose");
        }, "doomed-sender");
        thread.setUncaughtExceptionHandler((t, e) -> { });
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(thread.isAlive(), "the doomed thread did not end");
    }

    @Test
    @DisplayName("a sender thread dies mid-claim: recv() steps over its claim by itself and hands out every other record")
    void shouldRecoverADeadSendersClaimByItself() throws Exception {
        final MpscSender doomed = live.duplicate();
        sendLong(live, 1);
        dieIn(() -> doomed.send(8).putLong(0, -1));
        sendLong(live, 2);
        sendLong(live, 3);
        assertEquals(1, recvLong(receiver));
        // the next recv waits on the dead claim until unblockAfter (100 ms) passes, then recovers it
        assertEquals(2, recvLong(receiver));
        assertEquals(3, recvLong(receiver));
        assertEquals(1, receiver.stats().queue().recovered());
        // another thread closes the dead thread's sender: its claim is already gone, the channel carries on
        doomed.close();
        live.close();
        assertRecvDisconnects(receiver, "after the drain");
    }

    @Test
    @DisplayName("a live sender holds a claim past the delay: reported once, never taken, its record arrives on commit")
    void shouldReportAStalledSenderAndWait() throws Exception {
        final List<Thread> stalled = new ArrayList<>();
        receiver.stallListener((position, claimant) -> stalled.add(claimant));
        receiver.unblockAfter(Duration.ofMillis(5));
        final WriteClaim claim = live.send(8).putLong(0, 42);
        assertNull(receiver.recv(200, TimeUnit.MILLISECONDS), "nothing is stolen");
        assertEquals(List.of(Thread.currentThread()), stalled);
        assertEquals(1, receiver.stats().queue().stalls());
        assertSame(Unblock.STALLED, receiver.unblock());
        claim.commit();
        live.wake();
        assertEquals(42, recvLong(receiver));
        assertEquals(0, receiver.stats().queue().recovered());
    }

    @Test
    @DisplayName("a sender collected with a claim open: the records behind it arrive, and the disconnect once the others close")
    void shouldRecoverTheClaimOfACollectedSender() throws Exception {
        dropWithClaimOpen(live);
        sendLong(live, 7);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Long got = null;
        while (got == null && System.nanoTime() < deadline) {
            System.gc();
            try (var record = receiver.recv(50, TimeUnit.MILLISECONDS)) {
                if (record != null) {
                    got = record.getLong(0);
                }
            }
        }
        assertEquals(7L, got, "the record behind the collected sender's claim did not arrive in 60 s");
        assertEquals(1, receiver.stats().queue().recovered());
        live.close();
        assertRecvDisconnects(receiver, "every sender closed or collected");
    }

    private static void dropWithClaimOpen(MpscSender sender) throws InterruptedException {
        sender.duplicate().send(8).putLong(0, -7);
    }

    @Test
    @DisplayName("stats: parks and wake-ups are counted, with the queue's counters")
    void shouldCountParksAndWakeups() throws Exception {
        final AtomicReference<Long> got = new AtomicReference<>();
        final TestSupport.Worker<Void> consumer = TestSupport.Worker.start("receiver", () -> {
            got.set(recvLong(receiver));
            return null;
        });
        awaitParkedInReceiver(consumer.thread);
        sendLong(live, 5);
        consumer.join();
        assertEquals(5L, got.get());
        final ChannelStats stats = receiver.stats();
        assertTrue(stats.parks() >= 1, "parks " + stats.parks());
        assertTrue(stats.wakeups() >= 1, "wakeups " + stats.wakeups());
        assertEquals(1, stats.queue().committed());
        assertEquals(1, stats.queue().consumed());
        assertEquals(8, stats.queue().consumedBytes());
        assertEquals(1, stats.queue().producers());
    }
}
