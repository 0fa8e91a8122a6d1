package dev.logbuf.queue;

import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static dev.logbuf.queue.Threads.dieIn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MPSC's own faults: dead claims among other producers' records, collected handles, unmarked reservations. */
@DisplayName("MPSC dead producers")
class MpscRecoveryTest {

    private final MpscQueue queue = MpscQueue.create(1024);
    private final Consumer consumer = queue.consumer();
    private final MpscProducer live = queue.newProducer();

    @ParameterizedTest(name = "the dead claim is record {0} of 5")
    @ValueSource(ints = {0, 2, 4})
    @DisplayName("a dead claim before, between or after the others' records: they all arrive, once, in order")
    void shouldDeliverEveryOtherRecordAroundADeadClaim(int deadAt) {
        final MpscProducer doomed = live.duplicate();
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            if (i == deadAt) {
                dieIn(() -> doomed.tryClaim(40).put(payload(-1, 40)));
            } else {
                final byte[] bytes = payload(i, 8 + 9 * i);
                send(live, bytes);
                sent.add(bytes);
            }
        }
        final List<byte[]> got = new ArrayList<>();
        for (int looks = 0; looks < 10 && got.size() < sent.size(); looks++) {
            got.addAll(Records.drain(consumer));
            consumer.unblock();
        }
        assertEquals(sent.size(), got.size(), "every record the live producer committed");
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i), "record " + i + " intact and in order");
        }
        assertEquals(1, consumer.stats().recovered());
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a handle collected with a claim open: its claim is recovered, the others' records flow, and it counts as closed")
    void shouldRecoverTheClaimOfACollectedHandle() throws InterruptedException {
        claimAndDrop(queue);
        final byte[] behind = payload(1, 30);
        send(live, behind);
        assertNull(consumer.tryClaim(), "the abandoned claim holds the head");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Unblock found = consumer.unblock();
        while (found != Unblock.RECOVERED && System.nanoTime() < deadline) {
            // the claiming thread (this one) is alive: only the collection of the handle frees the claim
            assertSame(Unblock.STALLED, found);
            System.gc();
            Thread.sleep(10);
            found = consumer.unblock();
        }
        assertSame(Unblock.RECOVERED, found, "the collected handle's claim was not recovered in 60 s");
        expect(consumer, behind);
        expectEmpty(consumer);
        assertEquals(1, consumer.stats().producers(), "the collected handle left; the live one stays");
        assertFalse(consumer.isDisconnected());
        live.close();
        assertTrue(consumer.isDisconnected());
    }

    @Test
    @DisplayName("after the claimant ids wrap, a collected handle's claim is recovered, not taken for the new handle that got its id")
    void shouldRecoverADeadClaimWhoseIdWasHandedOutAgain() throws InterruptedException {
        final int deadId = claimAndDropId(queue);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (queue.stats().producers() != 1 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(1, queue.stats().producers(), "the dropped handle was not collected in 60 s");
        // as if 2^30 handles had been made since: the counter has come round to the dead claim's id
        queue.handles.startIdsAt(deadId);
        final MpscProducer successor = queue.newProducer();
        assertEquals(deadId, successor.claimant.id, "the dead claim's id, handed out again");
        final byte[] behind = payload(7, 30);
        send(successor, behind); // its owner, this thread, is alive
        final RecoveryContract.Stalls stalls = new RecoveryContract.Stalls();
        consumer.stallListener(stalls);
        assertNull(consumer.tryClaim(), "the dead claim holds the head");
        assertSame(Unblock.RECOVERED, consumer.unblock(), "the dead claim is not the new handle's");
        assertEquals(0, stalls.claimants.size(), "no stall reported");
        expect(consumer, behind);
        expectEmpty(consumer);
    }

    /** Claims on a new handle and lets go of both; returns the handle's claimant id. */
    private static int claimAndDropId(MpscQueue queue) {
        final MpscProducer doomed = queue.newProducer();
        doomed.tryClaim(20).put(payload(-3, 20));
        return doomed.claimant.id;
    }

    /** Claims on a new handle and lets go of both: nothing else refers to them. */
    private static void claimAndDrop(MpscQueue queue) {
        queue.newProducer().tryClaim(20).put(payload(-2, 20));
    }

    @Test
    @DisplayName("a reservation not yet marked (its producer between the tail CAS and the mark) is a stall with no claimant, never recovered")
    void shouldReportAnUnmarkedReservationAndLeaveIt() {
        final Ring ring = live.ring;
        final long tail = ring.tailOpaque();
        // what a producer that died right after its CAS leaves behind: the tail moved, the header still 0
        assertTrue(ring.casTail(tail, tail + 32));
        final RecoveryContract.Stalls stalls = new RecoveryContract.Stalls();
        consumer.stallListener(stalls);
        assertSame(Unblock.STALLED, consumer.unblock());
        assertEquals(1, stalls.claimants.size());
        assertNull(stalls.claimants.get(0), "the claimant cannot be told");
        assertSame(Unblock.STALLED, consumer.unblock(), "and it stays: nothing is freed");
        assertNull(consumer.tryClaim());
        assertEquals(0, consumer.stats().recovered());
        // the producer was only slow: it marks and commits, and everything flows
        ring.publishRelease(ring.offset(tail), RecordDescriptor.committed(24));
        assertSame(Unblock.NOT_BLOCKED, consumer.unblock());
        try (ReadClaim record = consumer.tryClaim()) {
            assertEquals(24, record.length());
        }
    }

    @Test
    @DisplayName("newProducer() after every handle closed is refused; duplicate() of a closed handle too")
    void shouldRefuseNewHandlesOnceDisconnected() {
        final MpscProducer other = live.duplicate();
        other.close();
        final IllegalStateException duplicate = assertThrows(IllegalStateException.class, other::duplicate);
        assertTrue(duplicate.getMessage().contains("closed"), duplicate.getMessage());
        queue.newProducer().close(); // the queue is still connected through `live`
        live.close();
        assertTrue(consumer.isDisconnected());
        assertThrows(IllegalStateException.class, queue::newProducer);
        assertEquals(0, queue.size());
    }

    @Test
    @DisplayName("counters of closed handles still count; size() is tail - head")
    void shouldKeepTheCountsOfClosedHandles() {
        final MpscProducer other = live.duplicate();
        send(other, payload(1, 16));
        send(live, payload(2, 8));
        other.close();
        assertEquals(24 + 16, queue.size());
        final QueueStats stats = queue.stats();
        assertEquals(2, stats.committed());
        assertEquals(24, stats.committedBytes());
        assertEquals(1, stats.producers());
        assertEquals(queue.size(), stats.size());
    }
}
