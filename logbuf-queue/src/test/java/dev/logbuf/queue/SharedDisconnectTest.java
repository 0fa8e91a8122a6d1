package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The consumer's {@code isDisconnected()} on a shared ring: how often it asks
 * the operating system, and which way its answer may be late. Processes are
 * pretended (a {@link SharedHandles.Liveness} per pid) and the clock is the
 * test's, so nothing here depends on timing.
 */
@DisplayName("Shared rings: the consumer's isDisconnected() and its cache")
class SharedDisconnectTest {

    private static final long PRODUCER = 1;
    private static final long CONSUMER = 2;

    /** Every pid is alive until killed; counts how often the consumer asks. */
    private final SharedRingTest.Processes processes = new SharedRingTest.Processes();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private final ByteBuffer memory = SharedRingTest.memoryFor(MpscQueue.sharedSize(1024));

    {
        MpscQueue.create(memory, 1024);
    }

    private MpscQueue attach(long pid) {
        final MpscQueue queue = MpscQueue.attach(memory, processes.pid(pid));
        ((SharedHandles) queue.handles).clock = now::get;
        return queue;
    }

    private void advance(long nanos) {
        now.addAndGet(nanos);
    }

    @Test
    @DisplayName("a live producer process is asked about at most once per interval, and never reported gone")
    void shouldAskTheOsAtMostOncePerIntervalAndNeverLoseALiveProducer() {
        attach(PRODUCER).newProducer();
        final Consumer consumer = attach(CONSUMER).consumer();
        processes.resetAsked();
        for (int i = 0; i < 100; i++) {
            assertFalse(consumer.isDisconnected());
        }
        assertEquals(1, processes.asked(), "one look at the OS for 100 calls within the interval");
        for (int interval = 0; interval < 5; interval++) {
            advance(SharedHandles.ALIVE_FOR_NANOS);
            assertFalse(consumer.isDisconnected(), "the live producer, after " + (interval + 1) + " intervals");
            assertFalse(consumer.isDisconnected());
        }
        assertEquals(6, processes.asked(), "asked again once per interval");
    }

    @Test
    @DisplayName("a producer process that dies holding its slot is reported gone within one interval, not before")
    void shouldSeeADeadProducerWithinTheInterval() {
        attach(PRODUCER).newProducer();
        final Consumer consumer = attach(CONSUMER).consumer();
        assertFalse(consumer.isDisconnected());
        processes.kill(PRODUCER);
        assertFalse(consumer.isDisconnected(), "within the interval the answer may be late: still connected");
        advance(SharedHandles.ALIVE_FOR_NANOS - 1);
        assertFalse(consumer.isDisconnected());
        advance(1);
        assertTrue(consumer.isDisconnected(), "seen once the interval is over");
    }

    @Test
    @DisplayName("a producer that closes frees its slot, and that is seen at once, whatever the interval")
    void shouldSeeAClosedProducerAtOnce() {
        final MpscProducer producer = attach(PRODUCER).newProducer();
        final Consumer consumer = attach(CONSUMER).consumer();
        assertFalse(consumer.isDisconnected());
        producer.close();
        assertTrue(consumer.isDisconnected());
    }

    @Test
    @DisplayName("a producer that attaches after a disconnect is seen at once: a disconnect is never answered from the cache")
    void shouldSeeANewProducerAtOnce() {
        final Consumer consumer = attach(CONSUMER).consumer();
        assertTrue(consumer.isDisconnected());
        attach(PRODUCER + 10).newProducer();
        assertFalse(consumer.isDisconnected());
    }

    @Test
    @DisplayName("when the producer that proved the ring connected dies, another live one keeps it connected")
    void shouldLookAtTheOtherProducersWhenTheCachedOneDies() {
        attach(PRODUCER).newProducer();
        attach(PRODUCER + 11).newProducer();
        final Consumer consumer = attach(CONSUMER).consumer();
        assertFalse(consumer.isDisconnected());
        processes.kill(PRODUCER);
        advance(SharedHandles.ALIVE_FOR_NANOS);
        assertFalse(consumer.isDisconnected(), "the second producer is alive");
        processes.kill(PRODUCER + 11);
        advance(SharedHandles.ALIVE_FOR_NANOS);
        assertTrue(consumer.isDisconnected());
    }
}
