package dev.logbuf.queue;

import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rings shared between processes, in one JVM: several attachments to the same
 * memory, each told it is its own process by a {@link SharedHandles.Liveness}
 * that the test controls, so a process can be "killed" at any chosen point.
 * (logbuf-ipc-test runs real processes.)
 */
@DisplayName("Shared rings: roles, dead processes, takeovers")
class SharedRingTest {

    /** Pretend processes: every pid is alive until killed; counts how often one is asked about. */
    static final class Processes {
        private final Set<Long> dead = ConcurrentHashMap.newKeySet();
        private final AtomicLong asked = new AtomicLong();

        SharedHandles.Liveness pid(long pid) {
            return new SharedHandles.Liveness() {
                @Override
                public long pid() {
                    return pid;
                }

                @Override
                public int fingerprint() {
                    return 7;
                }

                @Override
                public boolean alive(long other, int fingerprint) {
                    asked.incrementAndGet();
                    return !dead.contains(other);
                }
            };
        }

        /** How often a process was asked about since the last {@link #resetAsked()}. */
        long asked() {
            return asked.get();
        }

        void resetAsked() {
            asked.set(0);
        }

        void kill(long pid) {
            dead.add(pid);
        }
    }

    private static final int CAPACITY = 1024;

    private final Processes processes = new Processes();

    static ByteBuffer memoryFor(long size) {
        return ByteBuffer.allocateDirect((int) size + 255).alignedSlice(128); // alignedSlice trims both ends
    }

    private final ByteBuffer mpscMemory = memoryFor(MpscQueue.sharedSize(CAPACITY));
    private final ByteBuffer spscMemory = memoryFor(SpscQueue.sharedSize(CAPACITY));

    private MpscQueue mpsc(long pid) {
        return MpscQueue.attach(mpscMemory, processes.pid(pid));
    }

    private SpscQueue spsc(long pid) {
        return SpscQueue.attach(spscMemory, processes.pid(pid));
    }

    {
        MpscQueue.create(mpscMemory, CAPACITY);
        SpscQueue.create(spscMemory, CAPACITY);
    }

    @Test
    @DisplayName("records cross from one attachment to another, around the ring several times (SPSC and MPSC)")
    void shouldCarryRecordsBetweenAttachments() {
        final SpscProducer spscProducer = spsc(1).producer();
        final Consumer spscConsumer = spsc(2).consumer();
        final MpscProducer mpscProducer = mpsc(1).newProducer();
        final Consumer mpscConsumer = mpsc(2).consumer();
        for (int i = 0; i < 200; i++) {
            final byte[] bytes = payload(i, 1 + (i * 37) % 300);
            send(spscProducer, bytes);
            send(mpscProducer, bytes);
            expect(spscConsumer, bytes);
            expect(mpscConsumer, bytes);
        }
        expectEmpty(spscConsumer);
        expectEmpty(mpscConsumer);
        assertTrue(spscConsumer.position() > 4 * CAPACITY, "went round the ring");
    }

    @Test
    @DisplayName("every attachment sees the same creation id; a ring created again gets a new one")
    void shouldShareTheCreationId() {
        final long first = mpsc(1).creationId();
        assertNotEquals(0, first);
        assertEquals(first, mpsc(2).creationId());
        assertTrue(mpsc(2).isShared());
        assertFalse(MpscQueue.create(CAPACITY).isShared());
        assertNotEquals(first, MpscQueue.create(mpscMemory, CAPACITY).creationId());
    }

    @Test
    @DisplayName("the consumer role: held by a live process it is refused, naming the pid; once that process is gone it is taken over")
    void shouldRefuseThenTakeOverTheConsumerRole() {
        final MpscQueue first = mpsc(2);
        first.consumer();
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> mpsc(3).consumer());
        assertTrue(refused.getMessage().contains("live process 2"), refused.getMessage());
        processes.kill(2);
        assertNotNull(mpsc(3).consumer());
    }

    @Test
    @DisplayName("closing the consumer gives the role back; producers see a consumer only while one is held by a live process")
    void shouldTellProducersWhetherAConsumerIsThere() {
        final MpscProducer producer = mpsc(1).newProducer();
        assertTrue(producer.isDisconnected(), "no consumer yet");
        final Consumer consumer = mpsc(2).consumer();
        assertFalse(producer.isDisconnected());
        consumer.close();
        assertTrue(producer.isDisconnected(), "closed");
        mpsc(3).consumer();
        assertFalse(producer.isDisconnected(), "a new consumer process");
        processes.kill(3);
        assertTrue(producer.isDisconnected(), "the consumer process died");
    }

    @Test
    @DisplayName("the consumer sees producers as gone while no live process holds a slot, and back when one attaches")
    void shouldTellTheConsumerWhetherProducersAreThere() {
        final MpscQueue consumerSide = mpsc(2);
        final long[] now = {0};
        ((SharedHandles) consumerSide.handles).clock = () -> now[0];
        final Consumer consumer = consumerSide.consumer();
        assertTrue(consumer.isDisconnected(), "no producer yet");
        final MpscProducer producer = mpsc(1).newProducer();
        assertFalse(consumer.isDisconnected());
        assertEquals(1, consumer.stats().producers());
        producer.close();
        assertTrue(consumer.isDisconnected());
        mpsc(4).newProducer();
        assertFalse(consumer.isDisconnected(), "not final on a shared ring");
        processes.kill(4);
        now[0] += SharedHandles.ALIVE_FOR_NANOS; // a death is seen within that interval (SharedDisconnectTest)
        assertTrue(consumer.isDisconnected());
        assertEquals(0, consumer.stats().producers());
    }

    @Test
    @DisplayName("a consumer process that dies with a record open: the next consumer reads it again, at the same position")
    void shouldDeliverAnUnreleasedRecordAgainAfterAConsumerDies() {
        final MpscProducer producer = mpsc(1).newProducer();
        final byte[] first = payload(1, 50);
        final byte[] second = payload(2, 60);
        send(producer, first);
        send(producer, second);
        final Consumer dying = mpsc(2).consumer();
        expect(dying, first);
        final ReadClaim open = dying.tryClaim();
        final long position = open.position();
        processes.kill(2);
        final Consumer next = mpsc(3).consumer();
        assertEquals(position, next.position(), "resumes at the shared head");
        try (ReadClaim again = next.tryClaim()) {
            assertEquals(position, again.position());
            assertArrayEquals(second, Records.bytesOf(again));
        }
        expectEmpty(next);
    }

    @Test
    @DisplayName("a consumer process that dies halfway through zeroing a release: the next consumer finishes it and reads on")
    void shouldFinishAReleaseADeadConsumerStarted() {
        final MpscQueue producerSide = mpsc(1);
        final MpscProducer producer = producerSide.newProducer();
        final byte[][] sent = {payload(1, 100), payload(2, 100), payload(3, 100)};
        for (byte[] bytes : sent) {
            send(producer, bytes);
        }
        mpsc(2).consumer(); // takes the role, then "dies" in the middle of releasing the first two
        final Ring ring = producerSide.ring;
        final int size = RecordDescriptor.recordSize(100);
        ring.announceRelease(2L * size);
        ring.zero(0, size); // the first record zeroed, the second not yet, head not moved
        processes.kill(2);
        final Consumer next = mpsc(3).consumer();
        assertEquals(2L * size, next.position(), "the release was finished");
        expect(next, sent[2]);
        expectEmpty(next);
        for (int lap = 0; lap < 20; lap++) { // the zeroed bytes are usable again, lap after lap
            final byte[] bytes = payload(lap, 90);
            send(producer, bytes);
            expect(next, bytes);
        }
    }

    @Test
    @DisplayName("a producer process that dies with a claim open: the claim is recovered and the records behind it arrive")
    void shouldRecoverTheClaimOfADeadProducerProcess() {
        final MpscProducer doomed = mpsc(1).newProducer();
        final MpscProducer live = mpsc(4).newProducer();
        final Consumer consumer = mpsc(2).consumer();
        final List<Thread> told = new ArrayList<>();
        consumer.stallListener((position, owner) -> told.add(owner));
        doomed.tryClaim(40).putInt(0, 1);
        final byte[] behind = payload(5, 30);
        send(live, behind);
        assertNull(consumer.tryClaim());
        assertSame(Unblock.STALLED, consumer.unblock(), "its process is alive");
        assertEquals(1, told.size());
        assertNull(told.get(0), "no thread of this process owns it");
        processes.kill(1);
        assertSame(Unblock.RECOVERED, consumer.unblock());
        expect(consumer, behind);
        expectEmpty(consumer);
        assertEquals(1, consumer.stats().recovered());
    }

    /** What a producer does before it marks a claim: its intent, then the CAS on the tail. */
    private static long reserveWithoutMarking(MpscQueue queue, MpscProducer producer, int size) {
        final long tail = queue.ring.tailOpaque();
        queue.file.intend(SharedHandles.slot(producer.claimant.id), tail, size);
        assertTrue(queue.ring.casTail(tail, tail + size));
        return tail;
    }

    @Test
    @DisplayName("a producer process that dies between its CAS and its mark: its reservation is recovered from its intent")
    void shouldRecoverAReservationADeadProcessNeverMarked() {
        final MpscQueue dyingSide = mpsc(1);
        final MpscProducer doomed = dyingSide.newProducer();
        reserveWithoutMarking(dyingSide, doomed, 64);
        final MpscProducer live = mpsc(4).newProducer();
        final byte[] behind = payload(5, 30);
        send(live, behind);
        final Consumer consumer = mpsc(2).consumer();
        assertNull(consumer.tryClaim());
        assertSame(Unblock.STALLED, consumer.unblock(), "alive: it may mark any moment");
        processes.kill(1);
        assertSame(Unblock.RECOVERED, consumer.unblock());
        expect(consumer, behind);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("unblockAfter finds a dead process's unmarked reservation by itself")
    void shouldRecoverAnUnmarkedReservationWithUnblockAfter() {
        final MpscQueue dyingSide = mpsc(1);
        reserveWithoutMarking(dyingSide, dyingSide.newProducer(), 64);
        processes.kill(1);
        final byte[] behind = payload(5, 30);
        send(mpsc(4).newProducer(), behind);
        final Consumer consumer = mpsc(2).consumer();
        consumer.unblockAfter(Duration.ZERO);
        assertNull(consumer.tryClaim(), "first sight of the reservation");
        expect(consumer, behind);
    }

    @Test
    @DisplayName("two dead producers whose intents cover the same position with different ends: a stall, never a guess")
    void shouldNotGuessBetweenTwoDeadIntents() {
        final MpscQueue first = mpsc(1);
        final MpscProducer a = first.newProducer();
        final MpscQueue second = mpsc(6);
        final MpscProducer b = second.newProducer();
        final long tail = first.ring.tailOpaque();
        first.file.intend(SharedHandles.slot(a.claimant.id), tail, 64);
        second.file.intend(SharedHandles.slot(b.claimant.id), tail, 128); // lost the CAS, died before forgetting
        assertTrue(first.ring.casTail(tail, tail + 64));
        processes.kill(1);
        processes.kill(6);
        final Consumer consumer = mpsc(2).consumer();
        assertSame(Unblock.STALLED, consumer.unblock());
    }

    @Test
    @DisplayName("an unmarked reservation that wraps (padding, then the record at offset 0) is recovered in two steps, stopping at the end")
    void shouldRecoverAWrappingReservationUpToTheEndFirst() {
        final MpscQueue dyingSide = mpsc(1);
        final MpscProducer doomed = dyingSide.newProducer();
        final MpscProducer live = mpsc(4).newProducer();
        final Consumer consumer = mpsc(2).consumer();
        final byte[] filler = payload(9, CAPACITY - 64 - 8); // leaves 64 bytes before the end
        send(live, filler);
        expect(consumer, filler);
        reserveWithoutMarking(dyingSide, doomed, 64 + 128); // 64 of padding, 128 at offset 0
        processes.kill(1);
        final byte[] behind = payload(5, 30);
        send(live, behind);
        assertSame(Unblock.RECOVERED, consumer.unblock(), "the padding part");
        assertSame(Unblock.RECOVERED, consumer.unblock(), "the record part, at offset 0");
        expect(consumer, behind);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("the SPSC producer role: refused while its process lives; taken over after, resuming past every record and the claim it left")
    void shouldTakeOverTheSpscProducer() {
        final SpscProducer first = spsc(1).producer();
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> spsc(5).producer());
        assertTrue(refused.getMessage().contains("live process 1"), refused.getMessage());
        final byte[][] before = {payload(1, 10), payload(2, 200), payload(3, 33)};
        for (byte[] bytes : before) {
            send(first, bytes);
        }
        first.tryClaim(70).putInt(0, 1); // left in progress
        processes.kill(1);
        final SpscProducer next = spsc(5).producer();
        final byte[] after = payload(4, 44);
        send(next, after);
        final Consumer consumer = spsc(2).consumer();
        for (byte[] bytes : before) {
            expect(consumer, bytes);
        }
        assertNull(consumer.tryClaim(), "the dead claim holds the head");
        assertSame(Unblock.RECOVERED, consumer.unblock());
        expect(consumer, after);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("an SPSC producer taking over while the consumer zeroes a recovered claim: it starts after that release, never inside it")
    void shouldNotTakeZeroesOfARunningReleaseForTheTail() {
        final SpscQueue firstSide = spsc(1);
        final SpscProducer first = firstSide.producer();
        final int size = RecordDescriptor.recordSize(100);
        final byte[][] sent = {payload(1, 100), payload(2, 100), payload(3, 100)};
        for (byte[] bytes : sent) {
            send(first, bytes);
        }
        first.tryClaim(100).putInt(0, 1);
        firstSide.ring.tailMirrorOpaque(3L * size); // died between the mark and the mirror
        processes.kill(1);
        final SpscQueue consumerSide = spsc(2);
        final Consumer consumer = consumerSide.consumer();
        for (byte[] bytes : sent) {
            expect(consumer, bytes);
        }
        assertSame(Unblock.RECOVERED, consumer.unblock());
        // the consumer steps over the recovered claim: announced, zeroed, head not yet stored
        final Ring ring = consumerSide.ring;
        ring.announceRelease(4L * size);
        ring.zero(3 * size, size);
        final SpscProducer next = spsc(5).producer();
        final byte[] after = payload(4, 44);
        send(next, after);
        processes.kill(2); // dies before its head store: the next consumer finishes the release
        final Consumer fresh = spsc(7).consumer();
        assertEquals(4L * size, fresh.position());
        expect(fresh, after);
        expectEmpty(fresh);
    }

    @Test
    @DisplayName("256 producer slots: the next handle is refused while their processes live, and gets a dead process's slot")
    void shouldReuseTheSlotsOfDeadProcesses() {
        final MpscQueue crowded = mpsc(1);
        for (int i = 0; i < RingFile.MPSC_SLOTS; i++) {
            crowded.newProducer();
        }
        final IllegalStateException full = assertThrows(IllegalStateException.class, () -> mpsc(4).newProducer());
        assertTrue(full.getMessage().contains("256 producer slots"), full.getMessage());
        processes.kill(1);
        final MpscProducer reused = mpsc(4).newProducer();
        final byte[] bytes = payload(3, 3);
        send(reused, bytes);
        expect(mpsc(2).consumer(), bytes);
    }

    @Test
    @DisplayName("a claim of a slot's old generation is recovered after a new handle took the slot")
    void shouldRecoverAnOldGenerationsClaimAfterTheSlotChangedHands() {
        final MpscQueue side = mpsc(1);
        final MpscProducer collected = side.newProducer();
        collected.tryClaim(40).putInt(0, 1);
        side.handles.leave(collected.claimant); // what the cleaning action of a collected handle does
        final MpscProducer successor = side.newProducer();
        assertEquals(SharedHandles.slot(collected.claimant.id), SharedHandles.slot(successor.claimant.id),
                "the freed slot is the first free one");
        assertNotEquals(collected.claimant.id, successor.claimant.id, "a new generation");
        final byte[] behind = payload(5, 30);
        send(successor, behind);
        final Consumer consumer = mpsc(2).consumer();
        assertNull(consumer.tryClaim());
        assertSame(Unblock.RECOVERED, consumer.unblock());
        expect(consumer, behind);
    }

    @Test
    @DisplayName("after a slot's generations wrap, a claim of the old holder is recovered, not taken for the new holder's")
    void shouldRecoverAnOldClaimWhoseIdCameRoundAgain() {
        final MpscQueue side = mpsc(1);
        final MpscProducer collected = side.newProducer();
        collected.tryClaim(40).putInt(0, 1);
        side.handles.leave(collected.claimant); // what the cleaning action of a collected handle does
        final int slot = SharedHandles.slot(collected.claimant.id);
        final int generation = collected.claimant.id >>> RingFile.SLOT_BITS;
        // as if the slot had changed hands 2^22 - 1 times since: the next holder gets the old generation
        ((SharedHandles) side.handles).file.generationOpaque(slot, (generation - 1) & RingFile.GENERATION_MASK);
        final MpscProducer successor = side.newProducer();
        assertEquals(collected.claimant.id, successor.claimant.id, "the old claim's id, handed out again");
        final byte[] behind = payload(8, 30);
        send(successor, behind);
        final Consumer consumer = mpsc(2).consumer();
        assertNull(consumer.tryClaim());
        assertSame(Unblock.RECOVERED, consumer.unblock(), "the old claim is not the live holder's");
        expect(consumer, behind);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a dead process's slot is taken over only once the consumer is past its last reservation")
    void shouldKeepADeadSlotUntilItsReservationIsPast() {
        final MpscQueue crowded = mpsc(8);
        for (int i = 0; i < RingFile.MPSC_SLOTS - 1; i++) {
            crowded.newProducer();
        }
        final MpscQueue dyingSide = mpsc(1);
        reserveWithoutMarking(dyingSide, dyingSide.newProducer(), 64);
        processes.kill(1);
        assertThrows(IllegalStateException.class, () -> mpsc(4).newProducer(), "its reservation is still ahead");
        final Consumer consumer = mpsc(2).consumer();
        assertSame(Unblock.RECOVERED, consumer.unblock());
        expectEmpty(consumer);
        final MpscProducer successor = mpsc(4).newProducer();
        final byte[] bytes = payload(6, 20);
        send(successor, bytes);
        expect(consumer, bytes);
    }
}
