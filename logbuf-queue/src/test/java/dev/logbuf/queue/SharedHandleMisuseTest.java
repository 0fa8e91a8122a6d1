package dev.logbuf.queue;

import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One producer handle used by two threads at once, a programming error: it
 * must end in an {@link IllegalStateException} that names both threads and
 * says what to do, and must never leave a claim that nothing will end (the
 * ring wedged behind it for as long as the threads live).
 */
@DisplayName("one producer handle, two threads at once")
class SharedHandleMisuseTest {

    @Test
    @DisplayName("a claim while another live thread holds the handle's claim: the error names both threads and duplicate()")
    void shouldNameBothThreadsWhenAClaimIsOpenOnAnotherThread() throws InterruptedException {
        final MpscQueue queue = MpscQueue.create(1024);
        final MpscProducer producer = queue.newProducer();
        final CountDownLatch claimed = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread holder = new Thread(() -> {
            final WriteClaim claim = producer.tryClaim(16);
            claimed.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            claim.commit();
        }, "holder-thread");
        holder.start();
        try {
            assertTrue(claimed.await(30, TimeUnit.SECONDS), "the holder did not claim");
            final IllegalStateException error = assertThrows(IllegalStateException.class, () -> producer.tryClaim(8));
            final String message = error.getMessage();
            assertTrue(message.contains("holder-thread") && message.contains(Thread.currentThread().getName())
                    && message.contains("duplicate()"), message);
        } finally {
            release.countDown();
            holder.join(TimeUnit.SECONDS.toMillis(30));
        }
        final Consumer consumer = queue.consumer();
        expect(consumer, new byte[16]);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a claim in progress that its handle's flyweight no longer points at is recovered, though its thread lives")
    void shouldRecoverAClaimItsHandleHasMovedOnFrom() {
        final MpscQueue queue = MpscQueue.create(1024);
        final MpscProducer producer = queue.newProducer();
        final MpscProducer other = producer.duplicate();
        final Consumer consumer = queue.consumer();
        producer.tryClaim(16).putLong(0, 1L);
        final byte[] behind = payload(2, 24);
        send(other, behind);
        assertNull(consumer.tryClaim(), "the claim in progress holds the head");
        assertSame(Unblock.STALLED, consumer.unblock(), "its thread (this one) is alive, the flyweight on it");
        // what a second thread opening the same flyweight leaves: the handle's claim is elsewhere now
        producer.claimant.claimAt(4096);
        assertSame(Unblock.RECOVERED, consumer.unblock(), "nothing will ever end that claim");
        expect(consumer, behind);
        expectEmpty(consumer);
        assertEquals(1, consumer.stats().recovered());
    }

    @Test
    @DisplayName("a claim that was committed while the consumer looked is delivered, never recovered")
    void shouldNeverRecoverAClaimItsHandleEnded() {
        final MpscQueue queue = MpscQueue.create(1024);
        final MpscProducer producer = queue.newProducer();
        final Consumer consumer = queue.consumer();
        final WriteClaim claim = producer.tryClaim(16);
        claim.putLong(0, 7L);
        assertSame(Unblock.STALLED, consumer.unblock());
        claim.commit();
        assertEquals(-1, producer.claimant.claimAtAcquire(), "the end says so to the consumer");
        assertSame(Unblock.NOT_BLOCKED, consumer.unblock());
        final byte[] expected = new byte[16];
        expected[0] = 7;
        expect(consumer, expected);
        assertEquals(0, consumer.stats().recovered());
    }

    /**
     * Two threads hammer one handle while a consumer drains with
     * unblockAfter on. Every failure they see must be the clear error; then
     * a well-behaved handle must get a record through, and the ring must end
     * settled. Before, a claim opened over another's left the first one in
     * progress under a live owner: the ring stayed blocked for good.
     */
    @Test
    @DisplayName("two threads on one handle: clear errors, and the ring never wedges")
    void shouldFailLoudlyAndNeverWedgeTheRing() throws InterruptedException {
        final MpscQueue queue = MpscQueue.create(4096);
        final MpscProducer shared = queue.newProducer();
        final MpscProducer wellBehaved = shared.duplicate();
        final Consumer consumer = queue.consumer();
        consumer.unblockAfter(Duration.ofMillis(1));
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong errors = new AtomicLong();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        final CountDownLatch hammered = new CountDownLatch(2);
        // the hammering threads stay alive to the end: a claim of a terminated thread is recovered anyway
        final CountDownLatch finish = new CountDownLatch(1);
        final Runnable hammer = () -> {
            for (int i = 0; i < 200_000 && !stop.get() && errors.get() < 200 && System.nanoTime() < deadline; i++) {
                try {
                    final WriteClaim claim = shared.tryClaim(8 + (i & 63));
                    if (claim == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    claim.putLong(0, i);
                    claim.commit();
                } catch (IllegalStateException e) {
                    errors.incrementAndGet();
                    final String message = String.valueOf(e.getMessage());
                    if (!message.contains("duplicate()") && !message.contains("two threads")) {
                        unexpected.add(message);
                    }
                } catch (IndexOutOfBoundsException e) {
                    // the other thread's claim, smaller, was opened over this one's flyweight: misuse too
                    errors.incrementAndGet();
                }
            }
            hammered.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        final Thread a = new Thread(hammer, "hammer-a");
        final Thread b = new Thread(hammer, "hammer-b");
        final Thread reader = new Thread(() -> {
            while (!stop.get()) {
                if (consumer.read(payload -> { }, 64) == 0) {
                    Thread.onSpinWait();
                }
            }
        }, "reader");
        reader.start();
        a.start();
        b.start();
        try {
            assertTrue(hammered.await(60, TimeUnit.SECONDS), "the hammering threads did not finish");
            stop.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(unexpected.isEmpty(), "errors that do not say two threads used the handle: " + unexpected);
            expectAWellBehavedRecordThrough(wellBehaved, consumer, errors.get());
        } finally {
            stop.set(true);
            finish.countDown();
            a.join(TimeUnit.SECONDS.toMillis(60));
            b.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    /** While both misusing threads still live: a record of another handle gets through, and the ring settles. */
    private static void expectAWellBehavedRecordThrough(MpscProducer wellBehaved, Consumer consumer, long errors) {
        final byte[] last = payload(99, 100); // longer than any the hammering threads claim
        final long sendBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        WriteClaim claim;
        while ((claim = wellBehaved.tryClaim(last.length)) == null) {
            consumer.read(payload -> { }, Integer.MAX_VALUE);
            if (System.nanoTime() > sendBy) {
                fail("a well-behaved handle found the ring full for 30 s: it is wedged (" + errors + " errors)");
            }
        }
        claim.put(last).commit();
        final long readBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            final ReadClaim record = consumer.tryClaim();
            if (record != null) {
                final boolean isLast = record.length() == last.length;
                if (isLast) {
                    assertArrayEquals(last, Records.bytesOf(record));
                }
                record.close();
                if (isLast) {
                    break;
                }
            } else if (System.nanoTime() > readBy) {
                fail("the well-behaved record did not arrive in 30 s: the ring is wedged (" + errors + " errors)");
            }
        }
        assertSame(Unblock.NOT_BLOCKED, consumer.unblock(), "nothing holds the head");
        assertEquals(0, consumer.stats().size(), "the ring ends settled");
    }
}
