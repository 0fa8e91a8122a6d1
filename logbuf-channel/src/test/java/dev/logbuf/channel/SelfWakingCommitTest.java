package dev.logbuf.channel;

import static dev.logbuf.channel.TestSupport.awaitParkedInReceiver;
import static dev.logbuf.channel.TestSupport.recvLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.WriteClaim;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A commit wakes a parked receiver by itself: no {@code wake()} call. Before,
 * a sender that forgot {@code wake()} left the receiver parked for the rest
 * of its park slice (a median of 54 ms in a newcomer's run), and these tests
 * counted no wake-up at all (the record was found when the slice ran out).
 * The counts here are exact: the receiver is seen parked (announced) before
 * the commit, so the commit's look at the waiter cannot miss it.
 */
@DisplayName("self-waking commit")
class SelfWakingCommitTest {

    @Test
    @DisplayName("MPSC: a commit without wake() unparks the parked receiver, once")
    void shouldWakeTheReceiverOnCommitMpsc() throws Exception {
        final MpscChannel channel = MpscChannel.create(1024);
        try (MpscSender sender = channel.newSender(); MpscSender other = sender.duplicate()) {
            assertCommitWakes(channel.receiver(), sender, other);
        }
    }

    @Test
    @DisplayName("SPSC: a commit without wake() unparks the parked receiver, once")
    void shouldWakeTheReceiverOnCommitSpsc() throws Exception {
        final SpscChannel channel = SpscChannel.create(1024);
        try (SpscSender sender = channel.sender()) {
            assertCommitWakes(channel.receiver(), sender, sender);
        }
    }

    /**
     * The receiver parks in recv(); {@code first} commits record 1 without
     * wake(), then {@code second} commits record 2 before the receiver has
     * announced itself again: exactly one unpark, and both records arrive.
     */
    private static void assertCommitWakes(Receiver receiver, Sender first, Sender second) throws Exception {
        final TestSupport.Worker<long[]> reading = TestSupport.Worker.start("receiver",
                () -> new long[] {recvLong(receiver), recvLong(receiver)});
        awaitParkedInReceiver(reading.thread);
        final long wakeupsBefore = receiver.stats().wakeups();
        commitLong(first, 1);
        commitLong(second, 2);
        final long[] got = reading.join();
        assertEquals(1L, got[0]);
        assertEquals(2L, got[1]);
        final ChannelStats stats = receiver.stats();
        // the first commit took the announcement; the second found it taken (or the receiver parked
        // again after taking record 2's predecessor, and the second commit woke it: one per park)
        assertTrue(stats.wakeups() - wakeupsBefore >= 1, "no commit woke the parked receiver: " + stats);
        assertTrue(stats.wakeups() <= stats.parks(), "more wake-ups than parks: " + stats);
    }

    /** Commits one 8-byte record holding {@code value}, and does not call wake(). */
    private static void commitLong(Sender sender, long value) throws InterruptedException {
        try (WriteClaim claim = sender.send(Long.BYTES)) {
            claim.putLong(0, value);
            claim.commit();
        }
    }

    @Test
    @DisplayName("the commit's wake-up is taken once per announcement, as wake()'s is")
    void shouldTakeTheCommitsWakeUpOncePerAnnouncement() {
        final Shared shared = new Shared();
        final Thread parked = new Thread(() -> { }, "never-started"); // unparking it does nothing
        shared.announceWaiter(parked);
        shared.committed();
        assertFalse(shared.stillWaiting(parked), "the commit took the wake-up");
        assertEquals(1, shared.wakeups());
        shared.committed();
        assertFalse(shared.wake(), "taken already, by the commit");
        assertEquals(1, shared.wakeups());
        shared.announceWaiter(parked);
        assertTrue(shared.stillWaiting(parked));
        shared.committed();
        assertEquals(2, shared.wakeups(), "a new announcement, a new wake-up");
        shared.committed();
        assertEquals(2, shared.wakeups(), "nobody announced");
    }
}
