package dev.logbuf.channel;

import static dev.logbuf.channel.TestSupport.awaitParkedInReceiver;
import static dev.logbuf.channel.TestSupport.sendLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.logbuf.queue.Payload;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.WriteClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Held reads through the channel's receiver: records kept in the ring until
 * released, handed out again after a rewind, a waiting hold woken by a
 * commit, and the disconnect only once nothing is held or left.
 */
@DisplayName("receiver: held reads")
class ReceiverHoldTest {

    private final MpscChannel channel = MpscChannel.create(256);
    private final Receiver receiver = channel.receiver();
    private final MpscSender sender = channel.newSender();

    /** Keeps each record's long. */
    private static final class Longs implements RecordHandler {
        final List<Long> seen = new ArrayList<>();

        @Override
        public void onRecord(Payload payload) {
            seen.add(payload.getLong(0));
        }
    }

    @Test
    @DisplayName("held records keep their space until released; a rewind hands them out again")
    void shouldHoldUntilReleased() throws Exception {
        for (long i = 0; i < 3; i++) {
            sendLong(sender, i);
        }
        final Longs first = new Longs();
        assertEquals(3, receiver.tryHold(first, 10));
        assertEquals(List.of(0L, 1L, 2L), first.seen);
        assertEquals(3, receiver.heldCount());
        assertEquals(0, receiver.stats().queue().consumed(), "held is not consumed");
        receiver.rewindHeld();
        final Longs again = new Longs();
        assertEquals(3, receiver.tryHold(again, 10));
        assertEquals(first.seen, again.seen);
        receiver.releaseHeld(1); // the oldest only
        assertEquals(2, receiver.heldCount());
        assertEquals(1, receiver.stats().queue().consumed());
        receiver.releaseHeld();
        assertEquals(3, receiver.stats().queue().consumed());
        assertEquals(0, receiver.tryHold(new Longs(), 10));
        assertNotEquals(0L, receiver.ringId());
    }

    @Test
    @DisplayName("a waiting hold parks while the ring is empty and a commit (no wake()) wakes it")
    void shouldWaitForACommit() throws Exception {
        final Longs got = new Longs();
        final TestSupport.Worker<Integer> holding = TestSupport.Worker.start("holder",
                () -> receiver.hold(got, 10, Duration.ofSeconds(20)));
        awaitParkedInReceiver(holding.thread);
        try (WriteClaim claim = sender.send(8)) {
            claim.putLong(0, 42);
            claim.commit();
        }
        assertEquals(1, holding.join());
        assertEquals(List.of(42L), got.seen);
        receiver.releaseHeld();
        assertEquals(0, receiver.hold(new Longs(), 10, Duration.ofMillis(1)), "timed out: 0");
    }

    @Test
    @DisplayName("every sender closed: held records are still to be received; the disconnect comes once they are released")
    void shouldDisconnectOnlyWhenNothingIsHeld() throws Exception {
        sendLong(sender, 7);
        sender.close();
        final Longs got = new Longs();
        assertEquals(1, receiver.tryHold(got, 10));
        assertEquals(0, receiver.tryHold(got, 10), "a record is held: not the end yet");
        receiver.rewindHeld();
        assertEquals(1, receiver.tryHold(got, 10));
        receiver.releaseHeld();
        assertThrows(ChannelClosedException.class, () -> receiver.tryHold(got, 10));
        assertThrows(ChannelClosedException.class, () -> receiver.hold(got, 10, Duration.ofSeconds(5)));
    }
}
