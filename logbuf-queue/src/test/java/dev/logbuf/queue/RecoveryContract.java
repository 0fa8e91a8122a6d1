package dev.logbuf.queue;

import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static dev.logbuf.queue.Threads.dieIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Claims that are never ended: a dead owner's claim is recovered, a live
 * one's is reported and never taken. Both variants: for SPSC the producer
 * that died is the queue's only one, and another thread takes its handle over.
 * The fixture's 64-byte ring stands at offset 40, so a 24-byte claim plus a
 * record behind it crosses the wrap; suites that need records behind a claim
 * use a larger ring.
 */
abstract class RecoveryContract extends QueueContract {

    @Override
    int fixtureCapacity() {
        return 256;
    }

    /** A stall listener that keeps what it was told. */
    static final class Stalls implements StallListener {
        final List<Long> positions = new ArrayList<>();
        final List<Thread> claimants = new ArrayList<>();

        @Override
        public void onStall(long position, Thread claimant) {
            positions.add(position);
            claimants.add(claimant);
        }
    }

    @Test
    @DisplayName("a live claim holds the head: unblock() reports a stall once, frees nothing, and the record arrives on commit")
    void shouldReportALiveClaimAndNeverTakeIt() {
        final Stalls stalls = new Stalls();
        consumer.stallListener(stalls);
        final byte[] bytes = payload(1, 24);
        final WriteClaim claim = producer.tryClaim(bytes.length);
        claim.put(bytes);
        final long head = consumer.stats().head();

        assertNull(consumer.tryClaim(), "a claim in progress is not a record");
        assertSame(Unblock.STALLED, consumer.unblock());
        assertSame(Unblock.STALLED, consumer.unblock(), "asked again, still stalled");
        assertEquals(List.of(head), stalls.positions, "the listener hears of the stall once, at the head");
        assertEquals(List.of(Thread.currentThread()), stalls.claimants, "and of the thread that holds it");
        assertEquals(1, consumer.stats().stalls());
        assertEquals(0, consumer.stats().recovered());

        claim.commit();
        expect(consumer, bytes);
        assertSame(Unblock.NOT_BLOCKED, consumer.unblock());
        expectRingUnharmed();
    }

    @Test
    @DisplayName("a claim whose thread died is recovered: never delivered, counted, and the ring carries on")
    void shouldRecoverTheClaimOfADeadThread() {
        dieIn(() -> producer.tryClaim(24).put(payload(-9, 24)));

        assertNull(consumer.tryClaim(), "the dead claim holds the head until it is recovered");
        assertSame(Unblock.RECOVERED, consumer.unblock());
        expectEmpty(consumer);
        assertEquals(1, consumer.stats().recovered());
        assertEquals(0, consumer.stats().stalls());
        assertSame(Unblock.NOT_BLOCKED, consumer.unblock(), "nothing left to recover");
        // another thread takes the handle over: the dead claim no longer binds it
        final byte[] next = payload(2, 24);
        send(producer, next);
        expect(consumer, next);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("a handle whose claim's thread died is taken over by another thread: the dead claim is aborted first")
    void shouldAbortADeadClaimWhenAnotherThreadTakesTheHandleOver() {
        dieIn(() -> producer.tryClaim(16).put(payload(-9, 16)));

        final byte[] next = payload(3, 40);
        send(producer, next);       // the dead claim is aborted here, not by the consumer
        expect(consumer, next);
        assertEquals(0, consumer.stats().recovered());
        assertEquals(1, consumer.stats().aborted());
        expectRingUnharmed();
    }

    @Test
    @DisplayName("the claim's own live thread still cannot claim twice")
    void shouldStillRefuseASecondClaimFromTheLiveOwner() {
        final WriteClaim claim = producer.tryClaim(8);
        assertThrows(IllegalStateException.class, () -> producer.tryClaim(8));
        claim.abort();
        expectRingUnharmed();
    }

    @Test
    @DisplayName("a claim handed to a live thread may be committed there; once its maker died and it was recovered, a late commit throws")
    void shouldSettleALateCommitWithTheRecovery() throws InterruptedException {
        final AtomicReference<WriteClaim> handedOver = new AtomicReference<>();
        final byte[] bytes = payload(4, 24);
        // handed over while its maker lives: committing here works
        final CountDownLatch committed = new CountDownLatch(1);
        final Thread maker = new Thread(() -> {
            handedOver.set(producer.tryClaim(bytes.length).put(bytes));
            try {
                committed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        maker.start();
        while (handedOver.get() == null) {
            Thread.onSpinWait();
        }
        assertSame(Unblock.STALLED, consumer.unblock(), "its maker is alive");
        handedOver.get().commit();
        committed.countDown();
        maker.join(60_000);
        expect(consumer, bytes);

        // handed over and its maker died: the consumer may recover it, and then the commit must fail
        dieIn(() -> handedOver.set(producer.tryClaim(bytes.length).put(bytes)));
        assertSame(Unblock.RECOVERED, consumer.unblock());
        final WriteClaim late = handedOver.get();
        final IllegalStateException refused = assertThrows(IllegalStateException.class, late::commit);
        assertTrue(refused.getMessage().contains("recovered"), refused.getMessage());
        expectEmpty(consumer);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("an abort from another thread after the recovery changes nothing")
    void shouldIgnoreALateAbortAfterTheRecovery() {
        final AtomicReference<WriteClaim> handedOver = new AtomicReference<>();
        dieIn(() -> handedOver.set(producer.tryClaim(24)));
        assertSame(Unblock.RECOVERED, consumer.unblock());
        handedOver.get().abort();
        expectEmpty(consumer);
        assertEquals(1, consumer.stats().recovered());
        assertEquals(0, consumer.stats().aborted(), "the recovery was the abort: counted once, as recovered");
        expectRingUnharmed();
    }

    @Test
    @DisplayName("a claim committed by its thread just before it died is delivered, not recovered")
    void shouldDeliverWhatADeadThreadCommitted() {
        final byte[] bytes = payload(5, 24);
        final Thread dead = new Thread(() -> send(producer, bytes));
        dead.start();
        join(dead);
        assertSame(Unblock.NOT_BLOCKED, consumer.unblock());
        expect(consumer, bytes);
        assertEquals(0, consumer.stats().recovered());
    }

    @Test
    @DisplayName("unblockAfter: the consumer recovers a dead claim by itself, and reports a live one without taking it")
    void shouldUnblockByItselfAfterTheDelay() {
        final Stalls stalls = new Stalls();
        consumer.stallListener(stalls);
        consumer.unblockAfter(Duration.ZERO);

        final WriteClaim live = producer.tryClaim(24);
        assertNull(consumer.tryClaim(), "first look: the claim is noted");
        assertNull(consumer.tryClaim(), "second look: the delay has passed, its owner is alive");
        assertEquals(1, stalls.positions.size(), "reported once");
        assertEquals(0, consumer.read(record -> { }, 8));
        live.abort();
        expectEmpty(consumer);

        dieIn(() -> producer.tryClaim(24));
        assertNull(consumer.tryClaim(), "first look at the dead claim");
        final byte[] next = payload(6, 24);
        final List<byte[]> read = new ArrayList<>();
        // the batch read finds the same claim again, recovers it, and steps over it
        assertEquals(0, consumer.read(record -> read.add(Records.copy(record)), 8));
        assertTrue(read.isEmpty(), "the dead claim is never handed out");
        assertEquals(1, consumer.stats().recovered());
        send(producer, next);
        expect(consumer, next);

        consumer.unblockAfter(null);
        dieIn(() -> producer.tryClaim(24));
        assertNull(consumer.tryClaim());
        assertNull(consumer.tryClaim(), "off: the dead claim holds the head until unblock() is called");
        assertSame(Unblock.RECOVERED, consumer.unblock());
        expectRingUnharmed();
        assertThrows(IllegalArgumentException.class, () -> consumer.unblockAfter(Duration.ofNanos(-1)));
    }

    @Test
    @DisplayName("unblock() looks past an aborted claim (a skip marker) to the dead claim behind it")
    void shouldLookPastSkipsToTheDeadClaim() {
        producer.tryClaim(16).abort();
        dieIn(() -> producer.tryClaim(24));
        assertSame(Unblock.RECOVERED, consumer.unblock());
        assertEquals(1, consumer.stats().aborted());
        assertEquals(1, consumer.stats().recovered());
        expectEmpty(consumer);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("unblock() refuses to run while a record is open")
    void shouldRefuseUnblockWhileARecordIsOpen() {
        send(producer, payload(7, 8));
        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record);
            assertThrows(IllegalStateException.class, consumer::unblock);
        }
        assertSame(Unblock.NOT_BLOCKED, consumer.unblock());
    }

    static void join(Thread thread) {
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertTrue(!thread.isAlive(), "thread did not finish in 60 s");
    }
}
