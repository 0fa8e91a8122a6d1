package dev.logbuf.queue;

import static dev.logbuf.queue.Records.copy;
import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Held reads, {@link Consumer#hold}, for either variant: records handed out
 * and kept in the ring until {@link Consumer#releaseHeld()}, or handed again
 * after {@link Consumer#rewindHeld()}; what a shipper that waits for a remote
 * acknowledgement needs. The fixture is a 256-byte ring at offset 200, so a
 * batch of 16-byte records crosses the wrap.
 */
abstract class HeldReadContract extends QueueContract {

    @Override
    int fixtureCapacity() {
        return 256;
    }

    @Override
    int fixtureStartOffset() {
        return 200;
    }

    /** Copies every record it is handed, with its position. */
    private static final class Collector implements RecordHandler {
        final List<byte[]> seen = new ArrayList<>();
        final List<Long> positions = new ArrayList<>();

        @Override
        public void onRecord(Payload payload) {
            seen.add(copy(payload));
            positions.add(payload.position());
        }

        void expectSequence(long first, int count) {
            assertEquals(count, seen.size(), "records handed out");
            for (int i = 0; i < count; i++) {
                assertArrayEquals(payload(first + i, 8), seen.get(i), "record " + i);
            }
        }
    }

    @Test
    @DisplayName("held records give no space back and count as unread until released; then all of it comes back")
    void shouldKeepHeldRecordsInTheRingUntilReleased() {
        final int sent = fill(8); // full: nothing can be claimed until something is given back
        final long head = consumer.position();
        final Collector held = new Collector();
        assertEquals(3, consumer.hold(held, 3));
        assertEquals(3, consumer.heldCount());
        assertNull(producer.tryClaim(8), "held records hold their space");
        assertEquals(0, consumedSinceFixture(), "nothing counts as consumed while held");
        assertEquals(head, consumer.position(), "the head has not moved");
        assertEquals(sent - 3, consumer.hold(held, 100), "a second hold goes on after the held records");
        held.expectSequence(0, sent);
        assertNull(producer.tryClaim(8));
        consumer.releaseHeld();
        assertEquals(0, consumer.heldCount());
        assertEquals(sent, consumedSinceFixture());
        assertEquals(8L * sent, consumedBytesSinceFixture());
        final WriteClaim room = producer.tryClaim(8);
        assertNotNull(room, "released: the space is back");
        room.abort();
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("rewind keeps the held records, intact, and the next hold or read hands them out again from the first")
    void shouldHandHeldRecordsAgainAfterARewind() {
        sendSequence(0, 6);
        final Collector first = new Collector();
        assertEquals(4, consumer.hold(first, 4));
        consumer.rewindHeld();
        assertEquals(0, consumer.heldCount());
        assertEquals(0, consumedSinceFixture());
        final Collector again = new Collector();
        assertEquals(6, consumer.hold(again, 100));
        again.expectSequence(0, 6);
        assertEquals(first.positions, again.positions.subList(0, 4), "the same records, at the same positions");
        consumer.rewindHeld();
        for (int i = 0; i < 6; i++) {
            expect(consumer, payload(i, 8)); // and a claim hands them out after a rewind too
        }
        expectEmpty(consumer);
        assertEquals(6, consumedSinceFixture());
    }

    @Test
    @DisplayName("positions handed out are the records' ring positions, in order, one record size apart")
    void shouldHandOutRingPositions() {
        final long head = consumer.position();
        sendSequence(0, 3);
        final Collector held = new Collector();
        assertEquals(3, consumer.hold(held, 10));
        assertEquals(List.of(head, head + 16, head + 32), held.positions);
        consumer.releaseHeld();
        assertEquals(head + 48, consumer.position());
    }

    @Test
    @DisplayName("while records are held, every other read, claim and unblock says so; hold and release go on")
    void shouldRefuseOtherReadsWhileRecordsAreHeld() {
        sendSequence(0, 4);
        assertEquals(2, consumer.hold(new Collector(), 2));
        final IllegalStateException claim = assertThrows(IllegalStateException.class, consumer::tryClaim);
        assertTrue(claim.getMessage().contains("2 records are held"), claim.getMessage());
        assertThrows(IllegalStateException.class, () -> consumer.read(p -> { }, 10));
        assertThrows(IllegalStateException.class,
                () -> consumer.controlledRead(p -> ControlledRecordHandler.Action.CONTINUE, 10));
        assertThrows(IllegalStateException.class, consumer::unblock);
        assertEquals(2, consumer.hold(new Collector(), 10));
        consumer.releaseHeld();
        expectEmpty(consumer);
        assertEquals(4, consumedSinceFixture());
    }

    @Test
    @DisplayName("a handler that throws: the record it threw on is not held, the ones before it are")
    void shouldNotHoldTheRecordAHandlerThrewOn() {
        sendSequence(0, 5);
        final IllegalStateException boom = new IllegalStateException("boom");
        final int[] calls = {0};
        final RecordHandler throwsOnThird = payload -> {
            if (++calls[0] == 3) {
                throw boom;
            }
        };
        assertSame(boom, assertThrows(IllegalStateException.class, () -> consumer.hold(throwsOnThird, 10)));
        assertEquals(2, consumer.heldCount());
        final Collector rest = new Collector();
        assertEquals(3, consumer.hold(rest, 10));
        rest.expectSequence(2, 3);
        consumer.releaseHeld();
        assertEquals(5, consumedSinceFixture());
    }

    @Test
    @DisplayName("the handler must not call the consumer; hold checks its limit")
    void shouldRefuseMisuse() {
        sendSequence(0, 2);
        assertThrows(IllegalArgumentException.class, () -> consumer.hold(new Collector(), 0));
        final RecordHandler reenters = payload -> consumer.releaseHeld();
        assertThrows(IllegalStateException.class, () -> consumer.hold(reenters, 10));
        consumer.rewindHeld();
        final Collector all = new Collector();
        assertEquals(2, consumer.hold(all, 10));
        all.expectSequence(0, 2);
        consumer.releaseHeld();
    }

    @Test
    @DisplayName("releasing the first n held records gives back their space, the wrap's skip among them; the rest stay held")
    void shouldReleaseHeldRecordsOldestFirst() {
        final int sent = fill(8); // from offset 200 of 256: the fourth record comes after the wrap's padding
        final Collector held = new Collector();
        assertEquals(sent, consumer.hold(held, 100));
        held.expectSequence(0, sent);
        assertNull(producer.tryClaim(8));

        consumer.releaseHeld(2);
        assertEquals(sent - 2, consumer.heldCount());
        assertEquals(2, consumedSinceFixture());
        assertEquals(16, consumedBytesSinceFixture());
        assertEquals(held.positions.get(2), consumer.position(), "the head is at the first record still held");
        consumer.releaseHeld(2); // the third record, the padding, the fourth
        assertEquals(held.positions.get(4), consumer.position());
        assertEquals(4, consumedSinceFixture());
        assertEquals(24, held.positions.get(3) - held.positions.get(2), "8 bytes of padding before the fourth");
        consumer.releaseHeld(0);
        assertEquals(sent - 4, consumer.heldCount());

        sendSequence(sent, 1); // space came back; a later hold goes on after the records still held
        final Collector more = new Collector();
        assertEquals(1, consumer.hold(more, 100));
        more.expectSequence(sent, 1);
        consumer.rewindHeld(); // only the records not released are handed out again
        final Collector again = new Collector();
        assertEquals(sent - 4 + 1, consumer.hold(again, 100));
        again.expectSequence(4, sent - 4 + 1);
        assertThrows(IllegalArgumentException.class, () -> consumer.releaseHeld(sent - 2));
        assertThrows(IllegalArgumentException.class, () -> consumer.releaseHeld(-1));
        consumer.releaseHeld(sent - 4 + 1);
        assertEquals(0, consumer.heldCount());
        assertEquals(sent + 1, consumedSinceFixture());
        assertEquals(8L * (sent + 1), consumedBytesSinceFixture());
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("the ring's id: not 0, and the same at every call")
    void shouldNameTheRing() {
        final long id = consumer.ringId();
        assertNotEquals(0L, id);
        assertEquals(id, consumer.ringId());
    }
}
