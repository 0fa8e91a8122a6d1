package dev.logbuf.channel;

import static dev.logbuf.channel.TestSupport.recvLong;
import static dev.logbuf.channel.TestSupport.sendLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.logbuf.channel.TestSupport.Worker;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The channel contract for {@link SpscChannel}, and what only the SPSC channel does. */
class SpscChannelTest extends ChannelContractTest {

    @Override
    Ends create(int capacity) {
        final SpscChannel channel = SpscChannel.create(capacity);
        return new Ends(channel.sender(), channel.receiver());
    }

    /** The SPSC sender cannot be duplicated: it has no duplicate(), the type says so. */
    @Test
    void shouldOfferNoWayToDuplicateTheSpscSender() {
        assertTrue(Modifier.isFinal(SpscSender.class.getModifiers()));
        assertTrue(Arrays.stream(SpscSender.class.getMethods()).map(Method::getName).noneMatch("duplicate"::equals),
                "SpscSender has no duplicate()");
    }

    /** The channel hands out the same sender and receiver on every call. */
    @Test
    void shouldHandOutTheSameEndsEveryTime() {
        final SpscChannel channel = SpscChannel.create(64);
        keep(channel, channel.receiver());
        assertSame(channel.sender(), channel.sender());
        assertSame(channel.receiver(), channel.receiver());
    }

    /**
     * A sender dropped without close counts as closed once the garbage
     * collector has collected it: the receiver drains its records, then
     * reports the disconnect instead of waiting for ever. Skipped if the JVM
     * does not collect it within the bound (System.gc() is only a request).
     */
    @Test
    void shouldCountAnAbandonedSenderAsClosedOnceCollected() throws Exception {
        final Receiver receiver = track(abandonedAfterSending(7));
        final Worker<Long> receiving = Worker.start("receiver", () -> {
            final long value = recvLong(receiver);
            assertThrows(ChannelClosedException.class, receiver::recv);
            return value;
        });
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!receiving.awaitDone(Duration.ofMillis(50)) && System.nanoTime() - deadline < 0) {
            System.gc();
        }
        assumeTrue(receiving.isDone() || receiver.isDisconnected(),
                "the JVM did not collect the abandoned sender within 10 s");
        assertEquals(7L, receiving.join(), "the abandoned sender's record came first");
    }

    /** A channel whose sender sent one record and was then dropped, unclosed; only its receiver stays reachable. */
    private static Receiver abandonedAfterSending(long value) throws InterruptedException {
        final SpscChannel channel = SpscChannel.create(64);
        sendLong(channel.sender(), value);
        return channel.receiver();
    }
}
