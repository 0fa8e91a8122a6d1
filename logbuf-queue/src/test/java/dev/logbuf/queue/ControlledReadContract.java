package dev.logbuf.queue;

import static dev.logbuf.queue.ControlledRecordHandler.Action.ABORT;
import static dev.logbuf.queue.ControlledRecordHandler.Action.BREAK;
import static dev.logbuf.queue.ControlledRecordHandler.Action.COMMIT;
import static dev.logbuf.queue.ControlledRecordHandler.Action.CONTINUE;
import static dev.logbuf.queue.Records.copy;
import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.ControlledRecordHandler.Action;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The controlled batch read, {@link Consumer#controlledRead}, for either
 * variant: each action's effect on the record in hand and on the space given
 * back, a throwing handler, and misuse. The fixture is a 256-byte ring at
 * offset 200, so a read of 16-byte records crosses the wrap (200..248,
 * 8 bytes of padding, then 0 onwards).
 */
abstract class ControlledReadContract extends QueueContract {

    @Override
    int fixtureCapacity() {
        return 256;
    }

    @Override
    int fixtureStartOffset() {
        return 200;
    }

    @Test
    @DisplayName("CONTINUE consumes every record in order, up to the limit, and returns how many")
    void shouldConsumeInOrderUpToTheLimit() {
        sendSequence(0, 10);
        final Recorder all = new Recorder(CONTINUE);
        assertEquals(4, consumer.controlledRead(all, 4));
        assertEquals(6, consumer.controlledRead(all, 100));
        assertEquals(0, consumer.controlledRead(all, 100), "empty");
        all.expectSequence(0, 10);
        expectEmpty(consumer);
        assertEquals(10, consumedSinceFixture());
        assertEquals(80, consumedBytesSinceFixture());
    }

    @Test
    @DisplayName("ABORT at the first record consumes nothing: it stays, unzeroed, holds its space, and comes out next")
    void shouldLeaveTheFirstRecordWhenItIsAborted() {
        final int sent = fill(8); // full ring: nothing can be claimed until something is given back
        final Recorder abort = new Recorder(ABORT);
        assertEquals(0, consumer.controlledRead(abort, 100));
        assertEquals(1, abort.seen.size(), "the handler saw the first record once, then the read stopped");
        assertArrayEquals(payload(0, 8), abort.seen.get(0));
        assertNull(producer.tryClaim(8), "an aborted record gives no space back");
        assertEquals(0, consumedSinceFixture());
        // offered again, intact, by each way of reading
        assertEquals(0, consumer.controlledRead(abort, 100));
        assertArrayEquals(payload(0, 8), abort.seen.get(1), "offered again by the next controlled read");
        expect(consumer, payload(0, 8));
        final Recorder rest = new Recorder(CONTINUE);
        assertEquals(sent - 1, consumer.controlledRead(rest, 100));
        rest.expectSequence(1, sent - 1);
    }

    @Test
    @DisplayName("ABORT mid-read gives back the records before it and leaves the aborted one first in line")
    void shouldConsumeWhatCameBeforeAnAbortedRecord() {
        sendSequence(0, 6);
        final Recorder script = new Recorder(CONTINUE, CONTINUE, CONTINUE, ABORT);
        assertEquals(3, consumer.controlledRead(script, 100), "the aborted record is not counted");
        assertEquals(4, script.seen.size());
        assertEquals(3, consumedSinceFixture());
        final Recorder rest = new Recorder(CONTINUE);
        assertEquals(3, consumer.controlledRead(rest, 100));
        rest.expectSequence(3, 3);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("BREAK consumes the record in hand and stops the read")
    void shouldConsumeTheRecordInHandAndStopOnBreak() {
        sendSequence(0, 5);
        final Recorder script = new Recorder(CONTINUE, BREAK);
        assertEquals(2, consumer.controlledRead(script, 100));
        assertEquals(2, script.seen.size(), "no record after the break is offered");
        expect(consumer, payload(2, 8));
        final Recorder rest = new Recorder(CONTINUE);
        assertEquals(2, consumer.controlledRead(rest, 100));
        rest.expectSequence(3, 2);
    }

    @Test
    @DisplayName("COMMIT gives the records read so far back at once, zeroed, across the wrap; the read goes on")
    void shouldGiveBackAtOnceOnCommit() {
        final int sent = fill(8); // 15 records: 200..248, padding to 256, then 0..192; 192..200 free
        assertEquals(15, sent);
        final List<byte[]> seen = new ArrayList<>();
        final int count = consumer.controlledRead(payload -> {
            final int i = seen.size();
            seen.add(copy(payload));
            if (i < 4) {
                assertNull(producer.tryClaim(8), "nothing is given back before the commit (record " + i + ")");
            }
            if (i == 4) {
                // the commit after record 3 gave back 200..256 (records 0..2, the padding) and 0..16
                // (record 3, past the wrap); record 4, in hand, is not given back yet
                final WriteClaim toEnd = producer.tryClaim(56); // 192..256
                assertNotNull(toEnd, "a commit gives the space back while the read goes on");
                assertZeroes(toEnd.buffer(), "the bytes given back before the wrap");
                toEnd.put(payload(98, 56)).commit();
                final WriteClaim wrapped = producer.tryClaim(8); // 0..16
                assertNotNull(wrapped, "the space after the wrap was given back too");
                assertZeroes(wrapped.buffer(), "the bytes given back after the wrap");
                wrapped.put(payload(99, 8)).commit();
                assertNull(producer.tryClaim(1), "and no more than that: the record in hand holds its bytes");
            }
            return i == 3 ? COMMIT : CONTINUE;
        }, 100);
        // the read's lap bound moved with the commit, so it also handed out the two records sent during it
        assertEquals(17, count);
        for (int i = 0; i < 15; i++) {
            assertArrayEquals(payload(i, 8), seen.get(i), "record " + i);
        }
        assertArrayEquals(payload(98, 56), seen.get(15));
        assertArrayEquals(payload(99, 8), seen.get(16));
        expectEmpty(consumer);
        assertEquals(17, consumedSinceFixture());
    }

    @Test
    @DisplayName("a read that commits as it goes runs past one lap, handing out the records sent during the read")
    void shouldRunPastALapWhenItCommits() {
        final int sent = fill(8);
        final long[] next = {sent};
        final List<byte[]> seen = new ArrayList<>();
        final int count = consumer.controlledRead(payload -> {
            seen.add(copy(payload));
            if (next[0] < 4L * sent) {
                // room once the previous record was committed
                final WriteClaim claim = producer.tryClaim(8);
                if (claim != null) {
                    claim.put(payload(next[0]++, 8)).commit();
                }
            }
            return COMMIT;
        }, 100 * sent);
        assertTrue(count > 2 * sent, "one read ran past two laps of records: " + count + " of " + sent + " a lap");
        assertEquals(next[0], count, "every record sent was read");
        for (int i = 0; i < seen.size(); i++) {
            assertArrayEquals(payload(i, 8), seen.get(i), "record " + i);
        }
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a handler that throws leaves the record in hand in the ring and gives back the ones before it")
    void shouldLeaveTheRecordInHandWhenTheHandlerThrows() {
        sendSequence(0, 5);
        final RuntimeException boom = new RuntimeException("boom");
        final int[] index = {0};
        assertSame(boom, assertThrows(RuntimeException.class, () -> consumer.controlledRead(payload -> {
            if (index[0]++ == 2) {
                throw boom;
            }
            return CONTINUE;
        }, 100)));
        assertEquals(2, consumedSinceFixture(), "records 0 and 1 were consumed");
        final Recorder rest = new Recorder(CONTINUE);
        assertEquals(3, consumer.controlledRead(rest, 100));
        rest.expectSequence(2, 3);
        expectEmpty(consumer);
        sendSequence(10, 16);
        assertNull(producer.tryClaim(1), "everything consumed gave its space back: exactly full again");
    }

    @Test
    @DisplayName("a handler that returns null: a NullPointerException, and the record stays")
    void shouldTreatANullActionAsAThrow() {
        sendSequence(0, 3);
        final Recorder script = new Recorder(CONTINUE, null);
        final NullPointerException e =
                assertThrows(NullPointerException.class, () -> consumer.controlledRead(script, 100));
        assertTrue(e.getMessage().contains("stays in the ring"), e.getMessage());
        expect(consumer, payload(1, 8));
        expect(consumer, payload(2, 8));
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("skips before an aborted record are given back; the record is not")
    void shouldGiveBackSkipsBeforeAnAbortedRecord() {
        send(producer, payload(0, 8));                      // 200..216
        abortClaim(24, false);                                     // 216..248
        abortClaim(8, false);                                      // padding 248..256, then 0..16
        send(producer, payload(1, 8));                      // 16..32
        // record 1 at 16 holds the head; the free run from the tail (32) reaches the head at 200
        assertNull(producer.tryClaim(216), "224 bytes from 32 do not fit before the read");
        final Recorder script = new Recorder(CONTINUE, ABORT);
        assertEquals(1, consumer.controlledRead(script, 100));
        // given back: record 0 and the skips, 200..256 and 0..16; record 1 at 16..32 stays
        final WriteClaim toEnd = producer.tryClaim(216);
        assertNotNull(toEnd, "the skips and record 0 gave their space back: 32..256 is free");
        toEnd.abort();
        assertNull(producer.tryClaim(9), "the aborted record 1 did not (16 bytes are free, not 32)");
        expect(consumer, payload(1, 8));
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a read stops at a claim still in progress and resumes there")
    void shouldStopAtAClaimInProgress() {
        send(producer, payload(0, 8));
        final WriteClaim open = producer.tryClaim(8);
        assertNotNull(open);
        final Recorder all = new Recorder(CONTINUE);
        assertEquals(1, consumer.controlledRead(all, 10));
        assertEquals(0, consumer.controlledRead(all, 10));
        open.put(payload(1, 8)).commit();
        assertEquals(1, consumer.controlledRead(all, 10));
        all.expectSequence(0, 2);
    }

    @Test
    @DisplayName("misuse: a bad limit, a null handler, an open record, a reentrant call; nothing is consumed")
    void shouldRejectMisuse() {
        sendSequence(0, 2);
        final Recorder all = new Recorder(CONTINUE);
        for (int limit : new int[] {0, -1, Integer.MIN_VALUE}) {
            final IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> consumer.controlledRead(all, limit));
            WriteClaimContract.assertMentions(e.getMessage(), limit);
        }
        assertThrows(NullPointerException.class, () -> consumer.controlledRead(null, 1));
        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record);
            assertThrows(IllegalStateException.class, () -> consumer.controlledRead(all, 1));
            record.putBack();
        }
        final int count = consumer.controlledRead(payload -> {
            assertThrows(IllegalStateException.class, consumer::tryClaim);
            assertThrows(IllegalStateException.class, () -> consumer.controlledRead(all, 1));
            assertThrows(IllegalStateException.class, () -> consumer.read(p -> { }, 1));
            return CONTINUE;
        }, 10);
        assertEquals(2, count, "the records were all still there");
        assertTrue(all.seen.isEmpty());
        consumer.close();
        assertThrows(IllegalStateException.class, () -> consumer.controlledRead(all, 1));
    }

    // ------------------------------------------------------------------ helpers

    /** Plays a script of actions (the last one repeats) and keeps a copy of each payload offered. */
    private static final class Recorder implements ControlledRecordHandler {
        final List<byte[]> seen = new ArrayList<>();
        private final Action[] script;

        Recorder(Action... script) {
            this.script = script;
        }

        @Override
        public Action onRecord(Payload payload) {
            seen.add(copy(payload));
            return script[Math.min(seen.size(), script.length) - 1];
        }

        void expectSequence(long first, int count) {
            assertEquals(count, seen.size(), "records offered");
            for (int i = 0; i < count; i++) {
                assertArrayEquals(payload(first + i, 8), seen.get(i), "record " + (first + i));
            }
        }
    }

    private static void assertZeroes(ByteBuffer claimed, String what) {
        for (int i = claimed.position(); i < claimed.limit(); i++) {
            assertEquals(0, claimed.get(i), what + ": byte " + (i - claimed.position()));
        }
    }
}
