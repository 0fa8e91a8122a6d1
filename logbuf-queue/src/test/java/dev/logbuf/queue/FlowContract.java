package dev.logbuf.queue;

import static dev.logbuf.queue.Records.bytesOf;
import static dev.logbuf.queue.Records.claimDrained;
import static dev.logbuf.queue.Records.copy;
import static dev.logbuf.queue.Records.drain;
import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How records flow through a ring of either variant: round trips, full and
 * drained, wrap padding, aborts, many laps, every length at every position,
 * and zeroing. The fixture starts at offset 40 of a 64-byte ring.
 */
abstract class FlowContract extends QueueContract {

    /**
     * A ring whose every byte from the head is a skip (one aborted claim
     * filling a 16-byte ring): each way of reading steps over it once, finds
     * nothing, gives its bytes back, and returns; none loops round the lap.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tryClaim", "read", "controlledRead"})
    @DisplayName("a lap of skips from the head is stepped over once and given back by every way of reading")
    void shouldStepOverALapOfSkipsOnce(String how) {
        final Variant.TestQueue tiny = variant().create(16);
        final WriteClaim whole = tiny.producer.tryClaim(8);
        assertNotNull(whole);
        whole.abort(); // the skip covers all 16 bytes
        final int found = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> switch (how) {
            case "tryClaim" -> tiny.consumer.tryClaim() == null ? 0 : 1;
            case "read" -> tiny.consumer.read(payload -> fail("a skip is no record"), 10);
            default -> tiny.consumer.controlledRead(payload -> fail("a skip is no record"), 10);
        }, how + " went round the lap of skips");
        assertEquals(0, found);
        final byte[] next = payload(5, 8);
        send(tiny.producer, next); // fits only if the skip's bytes were given back
        expect(tiny.consumer, next);
        expectEmpty(tiny.consumer);
    }

    @Test
    @DisplayName("one record goes through with its length and every byte, little-endian")
    void shouldCarryOneRecordThroughTheRing() {
        final WriteClaim claim = producer.tryClaim(24);
        assertNotNull(claim);
        assertEquals(24, claim.length());
        claim.put(new byte[] {1, 2, 3})                 // relative: payload bytes 0..2
                .putByte(3, (byte) 0x7f)
                .putInt(4, -42)
                .putLong(8, 0x1122334455667788L)
                .putLong(16, Long.MIN_VALUE);
        claim.commit();

        final ByteBuffer expected = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {1, 2, 3}).put((byte) 0x7f).putInt(-42)
                .putLong(0x1122334455667788L).putLong(Long.MIN_VALUE);
        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record);
            assertEquals(24, record.length());
            assertEquals(2, record.getByte(1));
            assertEquals((byte) 0x7f, record.getByte(3));
            assertEquals(-42, record.getInt(4));
            assertEquals(0x1122334455667788L, record.getLong(8));
            assertEquals(Long.MIN_VALUE, record.getLong(16));
            assertArrayEquals(expected.array(), bytesOf(record));
        }
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("an empty ring reports nothing waiting, however often it is asked")
    void shouldReportNothingWaitingOnAnEmptyRing() {
        for (int i = 0; i < 3; i++) {
            expectEmpty(consumer);
            assertEquals(0, consumer.read(payload -> fail("no record is waiting"), 10));
        }
        final byte[] record = payload(1, 5);
        send(producer, record);
        expect(consumer, record);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("fill until tryClaim returns null, drain in order, then fill again")
    void shouldFillUntilFullThenDrainThenFillAgain() {
        // 8-byte records take 16 bytes. From offset 40: 40..56, then 8 bytes of padding and 0..16,
        // then 16..32; the 8 bytes left at 32..40 cannot hold another.
        assertEquals(3, fill(8, 0));
        for (int i = 0; i < 3; i++) {
            assertNull(producer.tryClaim(8), "still full");
            assertNull(producer.tryClaim(1), "a 1-byte record takes 16 bytes too");
        }
        expectSequence(0, 3);
        expectEmpty(consumer);

        // drained at offset 32: 32..48, 48..64 (ends exactly at the end), 0..16, 16..32: the whole ring
        assertEquals(4, fill(8, 3));
        expectSequence(3, 4);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a record that does not fit before the end is preceded by padding the consumer never sees")
    void shouldWrapWithPaddingTheConsumerNeverSees() {
        // 24 + 8 = 32 bytes do not fit in the 24 left at offset 40: padding 40..64, record 0..32
        final byte[] wrapped = payload(1, 24);
        send(producer, wrapped);

        final List<byte[]> seen = new ArrayList<>();
        assertEquals(1, consumer.read(payload -> seen.add(copy(payload)), 10), "the padding is not a record");
        assertEquals(1, seen.size());
        assertArrayEquals(wrapped, seen.get(0));
        expectEmpty(consumer);

        // the ring now stands at offset 32: 32..64 and 0..32 fill it exactly
        final byte[] toEnd = payload(2, 24);
        final byte[] fromStart = payload(3, 24);
        send(producer, toEnd);
        send(producer, fromStart);
        assertNull(producer.tryClaim(1), "exactly full");
        expect(consumer, toEnd);
        expect(consumer, fromStart);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a record that ends exactly at the end of the ring needs no padding")
    void shouldEndARecordExactlyAtTheEndOfTheRing() {
        // 16 + 8 = 24 bytes fill 40..64; then 32 + 8 = 40 bytes fill 0..40: no byte is left for padding
        final byte[] atEnd = payload(1, 16);
        final byte[] atStart = payload(2, 32);
        send(producer, atEnd);
        send(producer, atStart);
        assertNull(producer.tryClaim(1), "the ring is exactly full");
        expect(consumer, atEnd);
        expect(consumer, atStart);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("padding is written at once when the record fits only after the consumer moves; the next attempt starts at 0")
    void shouldPadAndReportFullWhenTheRecordFitsOnlyAfterTheConsumerMoves() {
        final byte[] first = payload(1, 8);               // 40..56
        send(producer, first);
        // 48 + 8 = 56 bytes: not before the end (8 left), not at 0 either while 40..56 is unread
        assertNull(producer.tryClaim(48), "full: pads 56..64");
        assertNull(producer.tryClaim(48), "still full, at offset 0 now");
        expect(consumer, first);
        expectEmpty(consumer);                              // steps over the padding
        final byte[] big = payload(2, 48);
        send(producer, big);                                // 0..56
        expect(consumer, big);
        expectEmpty(consumer);

        // drained at offset 56: 8 bytes of padding and a 64-byte record exceed the 64-byte ring,
        // so even an empty ring reports full once, having padded; the next attempt starts at 0
        final byte[] max = payload(3, queue.maxRecordLength);
        assertNull(producer.tryClaim(max.length), "pads 56..64 and reports full");
        expectEmpty(consumer);                              // steps over the padding
        send(producer, max);
        expect(consumer, max);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("an aborted claim in the middle of a stream is never seen; the rest arrive in order")
    void shouldNeverShowAnAbortedClaim() {
        final byte[] r0 = payload(0, 12);
        final byte[] r1 = payload(1, 3);
        final byte[] r3 = payload(3, 9);
        send(producer, r0);                              // 40..64
        send(producer, r1);                              // 0..16
        expect(consumer, r0);
        final WriteClaim aborted = producer.tryClaim(7); // 16..32
        assertNotNull(aborted);
        aborted.put(payload(2, 7)).abort();
        send(producer, r3);                              // 32..56
        expect(consumer, r1);
        expect(consumer, r3);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("closing a claim without commit aborts it")
    void shouldAbortWhenClosedWithoutCommit() {
        try (WriteClaim claim = producer.tryClaim(10)) {
            assertNotNull(claim);
            claim.put(payload(1, 10));
        }
        expectEmpty(consumer);
        final byte[] next = payload(2, 10);
        send(producer, next);
        expect(consumer, next);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("an aborted claim that needed wrap padding leaves neither padding nor record behind")
    void shouldSkipAnAbortedClaimThatFollowedWrapPadding() {
        final byte[] first = payload(1, 8);               // 40..56
        send(producer, first);
        expect(consumer, first);
        final WriteClaim aborted = producer.tryClaim(8);  // pads 56..64, claims 0..16
        assertNotNull(aborted);
        aborted.put(payload(2, 8)).abort();
        final byte[] after = payload(3, 8);
        send(producer, after);
        expect(consumer, after);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("aborted claims give their space back: many laps of aborts, then records still flow")
    void shouldReclaimTheSpaceOfAbortedClaims() {
        for (int i = 0; i < 1_000; i++) {
            final int length = 1 + i % queue.maxRecordLength;
            final WriteClaim claim = claimDrained(producer, consumer, length);
            claim.put(payload(i, length));
            if (i % 2 == 0) {
                claim.abort();
            } else {
                claim.close();
            }
            expectEmpty(consumer);
        }
        final byte[] record = payload(-5, queue.maxRecordLength);
        claimDrained(producer, consumer, record.length).put(record).commit();
        expect(consumer, record);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("100k records of mixed lengths keep their order and bytes over tens of thousands of laps")
    void shouldKeepOrderOverManyLaps() {
        final int total = 100_000;
        final Random random = new Random(7);
        final SequenceChecker checker = new SequenceChecker();
        long bytes = 0;
        for (long seq = 0; seq < total; seq++) {
            final int length = 1 + random.nextInt(queue.maxRecordLength);
            WriteClaim claim;
            while ((claim = producer.tryClaim(length)) == null) {
                // full: read a few records, through a batch or single claims
                final int limit = 1 + random.nextInt(3);
                final int read = random.nextBoolean() ? consumer.read(checker, limit) : checker.readSingly(limit);
                if (read == 0) {
                    // nothing but padding was left, and the consumer stepped over it
                    claim = producer.tryClaim(length);
                    assertNotNull(claim, "a drained ring accepts every length");
                    break;
                }
            }
            claim.put(payload(seq, length)).commit();
            bytes += RingModel.recordSize(length);
        }
        consumer.read(checker, Integer.MAX_VALUE);
        assertEquals(total, checker.next, "every record arrived once");
        expectEmpty(consumer);
        assertTrue(bytes > 10_000L * CAPACITY, "the positions went far beyond the capacity");
    }

    @ParameterizedTest(name = "{0}-byte ring")
    @ValueSource(ints = {16, 32, 64, 128})
    @DisplayName("every length 1..64 and maxRecordLength works at every wrap position, next to a neighbour")
    void shouldCarryEveryLengthAtEveryWrapPosition(int capacity) {
        final ModelledQueue modelled = modelled(capacity);
        final int max = modelled.queue.maxRecordLength;
        final List<Integer> lengths = new ArrayList<>();
        for (int length = 1; length <= Math.min(64, max); length++) {
            lengths.add(length);
        }
        if (max > 64) {
            lengths.add(max);
        }
        for (int offset : reachableOffsets(capacity)) {
            for (int length : lengths) {
                modelled.moveTo(offset);
                assertEquals(offset, modelled.model.tailOffset());
                ModelledQueue.Pending record = modelled.claim(producer(modelled), length);
                if (record == null) {
                    assertNull(modelled.poll());
                    record = modelled.claim(producer(modelled), length);
                    assertNotNull(record, "a drained ring accepts " + length + " bytes at offset " + offset);
                }
                modelled.commit(record);
                final ModelledQueue.Pending neighbour = modelled.claim(producer(modelled), 1 + length % 8);
                if (neighbour != null) {
                    modelled.commit(neighbour);
                }
                assertNotNull(modelled.poll(), "the record");
                if (neighbour != null) {
                    assertNotNull(modelled.poll(), "its neighbour");
                }
                assertNull(modelled.poll());
            }
        }
    }

    @ParameterizedTest(name = "{0}-byte ring")
    @ValueSource(ints = {32, 64, 128})
    @DisplayName("from every wrap position, a record ending at the end and one starting at 0 fill the ring exactly")
    void shouldFillExactlyFromEveryWrapPosition(int capacity) {
        final ModelledQueue modelled = modelled(capacity);
        final Producer producer = producer(modelled);
        for (int offset = 16; offset <= capacity - 16; offset += 8) {
            modelled.moveTo(offset);
            final ModelledQueue.Pending toEnd = modelled.claim(producer, capacity - offset - 8);
            assertNotNull(toEnd, "a record from offset " + offset + " that ends exactly at the end");
            modelled.commit(toEnd);
            final ModelledQueue.Pending fromStart = modelled.claim(producer, offset - 8);
            assertNotNull(fromStart, "a record from 0 up to offset " + offset);
            modelled.commit(fromStart);
            assertNull(modelled.claim(producer, 1), "exactly full: no byte went to padding");
            assertNotNull(modelled.poll());
            assertNotNull(modelled.poll());
            assertNull(modelled.poll());
        }
    }

    @Test
    @DisplayName("a 16-byte ring carries 8-byte records (maxRecordLength 8), one at a time")
    void shouldCarryEightByteRecordsThroughASixteenByteRing() {
        final Variant.TestQueue tiny = variant().create(16);
        assertEquals(16, tiny.capacity);
        assertEquals(8, tiny.maxRecordLength);
        for (int i = 0; i < 1_000; i++) {
            final byte[] record = payload(i, 1 + i % 8);
            send(tiny.producer, record);                 // never needs padding: every record is the whole ring
            assertNull(tiny.producer.tryClaim(1), "one record fills a 16-byte ring");
            expect(tiny.consumer, record);
        }
        expectEmpty(tiny.consumer);
        assertThrows(IllegalArgumentException.class, () -> tiny.producer.tryClaim(9));
    }

    @Test
    @DisplayName("after many laps of dirty records, aborts and padding, unwritten bytes of a claim read as zero")
    void shouldZeroEveryByteBeforeTheProducersReuseIt() {
        final byte[] ones = new byte[queue.maxRecordLength];
        java.util.Arrays.fill(ones, (byte) 0xff);
        final Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {                      // dirty every byte of the ring
            final int length = 1 + random.nextInt(queue.maxRecordLength);
            final WriteClaim claim = claimDrained(producer, consumer, length).put(ones, 0, length);
            if (i % 3 == 0) {
                claim.abort();
            } else {
                claim.commit();
            }
            if (i % 2 == 0) {
                consumer.read(payload -> { }, 10);
            } else {
                drain(consumer);
            }
        }
        for (int round = 0; round < 3; round++) {
            for (int length = 1; length <= queue.maxRecordLength; length++) {
                final WriteClaim claim = claimDrained(producer, consumer, length);
                final ByteBuffer view = claim.buffer();
                for (int i = view.position(); i < view.limit(); i++) {
                    assertEquals(0, view.get(i), "claimed byte " + (i - view.position()) + " of " + length);
                }
                claim.putByte(length / 2, (byte) 0x5a).commit();
                try (ReadClaim record = consumer.tryClaim()) {
                    assertNotNull(record);
                    for (int i = 0; i < length; i++) {
                        assertEquals(i == length / 2 ? (byte) 0x5a : 0, record.getByte(i),
                                "byte " + i + " of a " + length + "-byte record");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}-byte ring, seed {1}")
    @CsvSource({"16, 1", "64, 2", "64, 3", "256, 4", "1024, 5"})
    @DisplayName("random claims, commits, aborts and reads match the sequential model of the ring exactly")
    void shouldMatchTheModelOnRandomOperations(int capacity, long seed) {
        final ModelledQueue modelled = modelled(capacity);
        final List<Producer> handles = modelled.queue.producers(variant().multiProducer() ? 3 : 1);
        final ModelledQueue.Pending[] open = new ModelledQueue.Pending[handles.size()];
        final Random random = new Random(seed);
        int claims = 0;
        int fulls = 0;
        for (int step = 0; step < 20_000; step++) {
            final int op = random.nextInt(10);
            if (op < 5) {
                final int h = random.nextInt(handles.size());
                final ModelledQueue.Pending pending = open[h];
                if (pending == null) {
                    open[h] = modelled.claim(handles.get(h), pickLength(random, modelled));
                    if (open[h] == null) {
                        fulls++;
                    } else {
                        claims++;
                    }
                } else {
                    final int ending = random.nextInt(10);
                    if (ending < 7) {
                        modelled.commit(pending, random.nextInt(pending.slot().length + 1));
                    } else {
                        modelled.abort(pending, ending == 9);
                    }
                    open[h] = null;
                }
            } else if (op < 8) {
                modelled.poll();
            } else {
                modelled.pollBatch(1 + random.nextInt(4));
            }
        }
        for (ModelledQueue.Pending pending : open) {
            if (pending != null) {
                modelled.commit(pending);
            }
        }
        while (modelled.poll() != null) {
            // drain, each record checked against the model
        }
        assertTrue(modelled.model.isDrained());
        assertTrue(claims > 1_000 && fulls > 100, "the run exercised both outcomes: " + claims + "/" + fulls);
    }

    // ------------------------------------------------------------------ helpers

    /** Offsets a claim can start from: 0, and 16 to capacity - 8 (a record takes at least 16 bytes). */
    static List<Integer> reachableOffsets(int capacity) {
        final List<Integer> offsets = new ArrayList<>();
        offsets.add(0);
        for (int offset = 16; offset < capacity; offset += 8) {
            offsets.add(offset);
        }
        return offsets;
    }

    private static Producer producer(ModelledQueue modelled) {
        return modelled.queue.producer;
    }

    /** Lengths biased to the edges: 1, 7, 8, 9, exactly to the end of the ring, the maximum, or any. */
    private static int pickLength(Random random, ModelledQueue modelled) {
        final int max = modelled.queue.maxRecordLength;
        final int toEnd = modelled.queue.capacity - modelled.model.tailOffset() - 8;
        switch (random.nextInt(7)) {
            case 0: return 1;
            case 1: return Math.min(7, max);
            case 2: return Math.min(8, max);
            case 3: return Math.min(9, max);
            case 4: return toEnd >= 1 ? toEnd : 1;
            case 5: return max;
            default: return 1 + random.nextInt(max);
        }
    }

    /** Claims records of {@code length} bytes until full; their payloads are payload(firstSeq + i). */
    private int fill(int length, long firstSeq) {
        int count = 0;
        for (WriteClaim claim; (claim = producer.tryClaim(length)) != null; count++) {
            claim.put(payload(firstSeq + count, length)).commit();
            if (count > CAPACITY) {
                fail("a " + CAPACITY + "-byte ring accepted more than " + CAPACITY + " records");
            }
        }
        return count;
    }

    private void expectSequence(long firstSeq, int count) {
        for (int i = 0; i < count; i++) {
            try (ReadClaim record = consumer.tryClaim()) {
                assertNotNull(record, "record " + i + " of " + count);
                assertArrayEquals(payload(firstSeq + i, record.length()), bytesOf(record), "record " + i);
            }
        }
    }

    /** Checks that records arrive as payload(0), payload(1), ... whatever their lengths. */
    private final class SequenceChecker implements RecordHandler {
        long next;

        @Override
        public void onRecord(Payload payload) {
            assertArrayEquals(payload(next, payload.length()), copy(payload), "record " + next);
            next++;
        }

        int readSingly(int limit) {
            int read = 0;
            while (read < limit) {
                try (ReadClaim record = consumer.tryClaim()) {
                    if (record == null) {
                        break;
                    }
                    onRecord(record);
                    read++;
                }
            }
            return read;
        }
    }
}
