package dev.logbuf.queue;

import static dev.logbuf.queue.Records.bytesOf;
import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The consuming side's claim, for either variant: misuse of the consumer and
 * of a closed record, bounds of every read, and the read-only buffer view.
 */
abstract class ReadClaimContract extends QueueContract {

    @Test
    @DisplayName("every use of a closed record is an IllegalStateException; closing again releases nothing more")
    void shouldRejectEveryUseOfAClosedRecord() {
        final byte[] first = payload(1, 12);
        final byte[] second = payload(2, 12);
        send(producer, first);
        send(producer, second);
        final ReadClaim record = consumer.tryClaim();
        assertNotNull(record);
        record.close();
        assertAll(
                closed("length()", record::length),
                closed("buffer()", record::buffer),
                closed("getByte(int)", () -> record.getByte(0)),
                closed("getInt(int)", () -> record.getInt(0)),
                closed("getLong(int)", () -> record.getLong(0)),
                closed("getShort(int)", () -> record.getShort(0)),
                closed("getChar(int)", () -> record.getChar(0)),
                closed("getFloat(int)", () -> record.getFloat(0)),
                closed("getDouble(int)", () -> record.getDouble(0)),
                closed("getUtf8(int, int, StringBuilder)", () -> record.getUtf8(0, 1, new StringBuilder())),
                closed("getUtf8(int, int, Appendable)", () -> record.getUtf8(0, 1, (Appendable) new StringBuilder())),
                closed("getUtf8Prefixed(int, StringBuilder)", () -> record.getUtf8Prefixed(0, new StringBuilder())),
                closed("getAscii(int, int, StringBuilder)", () -> record.getAscii(0, 1, new StringBuilder())),
                closed("get(byte[])", () -> record.get(new byte[12])),
                closed("get(int, byte[], int, int)", () -> record.get(0, new byte[1], 0, 1)));
        record.close();
        record.close();
        // a second release would have moved head past the next record
        expect(consumer, second);
        expectEmpty(consumer);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("a record put back (abort) stays in place, unzeroed, holds its space, and is handed out again")
    void shouldHandOutARecordPutBackAgain() {
        final byte[] first = payload(1, 12);              // 40..64 of the fixture's 64-byte ring
        final byte[] second = payload(2, 9);              // 0..24
        send(producer, first);
        send(producer, second);
        final long reserved = consumer.stats().size();
        final ReadClaim record = consumer.tryClaim();
        assertNotNull(record);
        final ByteBuffer view = record.buffer();
        view.position(view.limit()); // a reader that consumed the view; the next claim frames it afresh
        record.putBack();
        assertEquals(0, consumedSinceFixture(), "putting back consumes nothing");
        assertEquals(reserved, consumer.stats().size(), "and gives no bytes back");
        assertThrows(IllegalStateException.class, record::putBack, "putBack() twice");
        record.close(); // after abort: does nothing
        assertEquals(0, consumedSinceFixture(), "close after abort consumes nothing either");
        assertAll(
                closed("length()", record::length),
                closed("buffer()", record::buffer),
                closed("getByte(int)", () -> record.getByte(0)));
        // handed out again by each way of reading, intact
        try (ReadClaim again = consumer.tryClaim()) {
            assertNotNull(again);
            assertArrayEquals(first, bytesOf(again), "tryClaim after the put-back");
            again.putBack();
        }
        final byte[][] batch = new byte[1][];
        assertEquals(1, consumer.read(payload -> {
            batch[0] = new byte[payload.length()];
            payload.get(batch[0]);
        }, 1));
        assertArrayEquals(first, batch[0], "a batch read after the put-back");
        expect(consumer, second);
        expectEmpty(consumer);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("abort after close is an IllegalStateException: a released record cannot be put back")
    void shouldRefuseToPutBackAReleasedRecord() {
        final byte[] first = payload(1, 8);
        final byte[] second = payload(2, 8);
        send(producer, first);
        send(producer, second);
        final ReadClaim record = consumer.tryClaim();
        assertNotNull(record);
        record.close();
        final IllegalStateException e = assertThrows(IllegalStateException.class, record::putBack);
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        expect(consumer, second);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("wrap padding stepped over before a record put back is given back; the record is not")
    void shouldGiveBackThePaddingBeforeARecordPutBack() {
        // the fixture stands at 40 of 64: a 24-byte record (32 bytes) pads 40..64 and sits at 0..32
        final byte[] record = payload(3, 24);
        send(producer, record);
        try (ReadClaim claim = consumer.tryClaim()) {
            assertNotNull(claim);
            claim.putBack();
        }
        // head moved past the padding to 0: 32 bytes (32..64) are free again; had the record been
        // consumed too, all 64 would be
        final WriteClaim rest = producer.tryClaim(24);
        assertNotNull(rest, "the padding's bytes were given back");
        rest.abort();
        assertNull(producer.tryClaim(1), "the record put back still holds its 32 bytes");
        expect(consumer, record);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("claiming or batch-reading while a record is open is an IllegalStateException; the open record stays valid")
    void shouldRejectASecondClaimWhileARecordIsOpen() {
        final byte[] first = payload(1, 7);
        final byte[] second = payload(2, 7);
        send(producer, first);
        send(producer, second);
        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record);
            assertThrows(IllegalStateException.class, consumer::tryClaim);
            assertThrows(IllegalStateException.class,
                    () -> consumer.read(payload -> fail("no record may be handed out"), 10));
            assertArrayEquals(first, bytesOf(record), "the open record is untouched");
        }
        expect(consumer, second);
        expectEmpty(consumer);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("reads outside the record throw IndexOutOfBoundsException; the record and its neighbours stay intact")
    void shouldKeepEveryReadInsideTheRecord() {
        final byte[] record = payload(1, 13);
        final byte[] after = payload(2, 16);
        send(producer, record);
        send(producer, after);
        try (ReadClaim claim = consumer.tryClaim()) {
            assertNotNull(claim);
            assertEquals(13, claim.length());
            assertAll(
                    outOfBounds("getByte(-1)", () -> claim.getByte(-1)),
                    outOfBounds("getByte(length)", () -> claim.getByte(13)),
                    outOfBounds("getInt(length - 3)", () -> claim.getInt(10)),
                    outOfBounds("getInt(-1)", () -> claim.getInt(-1)),
                    outOfBounds("getLong(length - 7)", () -> claim.getLong(6)),
                    outOfBounds("getLong(-1)", () -> claim.getLong(-1)),
                    outOfBounds("getLong(MAX_VALUE)", () -> claim.getLong(Integer.MAX_VALUE)),
                    outOfBounds("get(byte[]) shorter than the record", () -> claim.get(new byte[12])),
                    outOfBounds("get(index, ...) past the record", () -> claim.get(5, new byte[20], 0, 9)),
                    outOfBounds("get(index, ...) longer than the record", () -> claim.get(0, new byte[20], 0, 14)),
                    outOfBounds("get(..., off, len) past the destination", () -> claim.get(0, new byte[4], 2, 3)),
                    outOfBounds("get(..., off, len) with a negative length", () -> claim.get(0, new byte[4], 0, -1)),
                    outOfBounds("getShort(length - 1)", () -> claim.getShort(12)),
                    outOfBounds("getChar(-1)", () -> claim.getChar(-1)),
                    outOfBounds("getFloat(length - 3)", () -> claim.getFloat(10)),
                    outOfBounds("getDouble(length - 7)", () -> claim.getDouble(6)),
                    outOfBounds("getUtf8 past the record", () -> claim.getUtf8(5, 9, new StringBuilder())),
                    outOfBounds("getUtf8 with a negative length", () -> claim.getUtf8(5, -1, new StringBuilder())),
                    outOfBounds("getAscii past the record", () -> claim.getAscii(12, 2, new StringBuilder())),
                    outOfBounds("getUtf8Prefixed(length - 3)", () -> claim.getUtf8Prefixed(10, new StringBuilder())));
            final IndexOutOfBoundsException e =
                    assertThrows(IndexOutOfBoundsException.class, () -> claim.getUtf8(5, 9, new StringBuilder()));
            assertEquals("cannot read 9 bytes at payload index 5 of a 13-byte record (8 bytes available)",
                    e.getMessage());
            final ByteBuffer le = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(record[12], claim.getByte(12), "the last byte");
            assertEquals(le.getInt(9), claim.getInt(9), "the last int");
            assertEquals(le.getLong(5), claim.getLong(5), "the last long");
            final byte[] middle = new byte[6];
            claim.get(4, middle, 1, 5);
            assertArrayEquals(new byte[] {0, record[4], record[5], record[6], record[7], record[8]}, middle);
            assertArrayEquals(record, bytesOf(claim), "the record is unchanged");
        }
        expect(consumer, after);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("the record's own reads stay inside the payload even when buffer()'s limit was moved out")
    void shouldKeepReadsInsideTheRecordWhenTheViewWasMoved() {
        final byte[] record = payload(1, 13);
        send(producer, record);
        send(producer, payload(2, 16));
        try (ReadClaim claim = consumer.tryClaim()) {
            assertNotNull(claim);
            final ByteBuffer view = claim.buffer();
            view.limit(view.capacity());                     // misuse: the view now reaches the whole ring
            assertAll(
                    outOfBounds("getByte(length)", () -> claim.getByte(13)),
                    outOfBounds("getInt(length - 3)", () -> claim.getInt(10)),
                    outOfBounds("getLong(length - 7)", () -> claim.getLong(6)),
                    outOfBounds("get(index, ...) past the record", () -> claim.get(5, new byte[20], 0, 9)));
            assertArrayEquals(record, bytesOf(claim));
        }
        expect(consumer, payload(2, 16));
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("buffer() is a read-only view of exactly the payload that a WritableByteChannel writes whole")
    void shouldExposeTheRecordAsAReadOnlyBuffer() throws IOException {
        final byte[] record = payload(1, 37);
        // 48 bytes with 24 of padding do not fit at once: pads 40..64, reports full, then takes 0..48
        Records.claimDrained(producer, consumer, record.length).put(record).commit();
        try (ReadClaim claim = consumer.tryClaim()) {
            assertNotNull(claim);
            final ByteBuffer view = claim.buffer();
            assertTrue(view.isReadOnly());
            assertEquals(37, view.remaining());
            assertEquals(ByteOrder.LITTLE_ENDIAN, view.order());
            assertThrows(ReadOnlyBufferException.class, () -> view.put(view.position(), (byte) 0));
            final ByteArrayOutputStream sink = new ByteArrayOutputStream();
            final WritableByteChannel channel = Channels.newChannel(sink);
            for (int writes = 0; view.hasRemaining(); writes++) {
                assertTrue(writes < 100, "the channel keeps taking bytes");
                channel.write(view);
            }
            assertArrayEquals(record, sink.toByteArray(), "exactly the payload, nothing around it");
            // the indexed reads count from the payload, wherever the view's position went
            assertEquals(record[0], claim.getByte(0));
            assertEquals(ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).getLong(29), claim.getLong(29));
        }
        expectEmpty(consumer);
        expectRingUnharmed();
    }

    // ------------------------------------------------------------------ helpers

    private static Executable closed(String operation, Executable use) {
        return () -> assertThrows(IllegalStateException.class, use, operation + " on a closed record");
    }

    @Test
    @DisplayName("the bulk gets copy the payload and return the claim itself, for chaining")
    void shouldReturnTheClaimFromTheBulkGets() {
        final byte[] record = payload(7, 12);
        send(producer, record);
        try (ReadClaim claim = consumer.tryClaim()) {
            assertNotNull(claim);
            final byte[] whole = new byte[12];
            assertSame(claim, claim.get(whole), "get(byte[])");
            assertArrayEquals(record, whole);
            final byte[] part = new byte[6];
            assertSame(claim, claim.get(4, part, 1, 5), "get(int, byte[], int, int)");
            for (int i = 0; i < 5; i++) {
                assertEquals(record[4 + i], part[1 + i], "byte " + i + " of the partial copy");
            }
            assertEquals(0, part[0], "nothing is copied before off");
        }
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("releasing a record longer than the 4 KiB zeroing block zeroes exactly its bytes: the next record survives")
    void shouldZeroOnlyTheReleasedRecordWhenItSpansSeveralZeroingBlocks() {
        final Variant.TestQueue big = variant().create(16 * 1024);
        for (int round = 0; round < 3; round++) { // laps, so the zeroed bytes are reused
            final byte[] longRecord = payload(round, 5000 + 1000 * round);
            final byte[] next = payload(100 + round, 100);
            send(big.producer, longRecord);
            send(big.producer, next);
            expect(big.consumer, longRecord);
            expect(big.consumer, next);
            expectEmpty(big.consumer);
        }
    }

    @Test
    @DisplayName("shorts, chars, floats and doubles written at payload indexes read back little-endian, across the wrap")
    void shouldReadBackEveryPrimitiveWritten() {
        final WriteClaim claim = Records.claimDrained(producer, consumer, 30);   // pads 40..64, the record at 0..40
        claim.putShort(0, (short) -2).putChar(2, '\u20AC').putFloat(4, -1.5f).putDouble(8, Math.PI)
                .putFloat(16, Float.intBitsToFloat(0x7FC0_0001)).putDouble(20, -0.0).putShort(28, Short.MIN_VALUE);
        claim.commit();
        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record);
            final ByteBuffer le = ByteBuffer.wrap(bytesOf(record)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals((short) -2, record.getShort(0));
            assertEquals((short) -2, le.getShort(0), "little-endian");
            assertEquals('\u20AC', record.getChar(2));
            assertEquals(0x20AC, le.getShort(2), "little-endian UTF-16");
            assertEquals(-1.5f, record.getFloat(4));
            assertEquals(Float.floatToRawIntBits(-1.5f), le.getInt(4), "little-endian");
            assertEquals(Math.PI, record.getDouble(8));
            assertEquals(Double.doubleToRawLongBits(Math.PI), le.getLong(8), "little-endian");
            assertEquals(0x7FC0_0001, Float.floatToRawIntBits(record.getFloat(16)), "a NaN's payload survives");
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(record.getDouble(20)));
            assertEquals(Short.MIN_VALUE, record.getShort(28));
        }
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a length prefix that is negative or runs past the record is refused, naming it, and nothing is appended")
    void shouldRefuseABadLengthPrefix() {
        final WriteClaim claim = producer.tryClaim(12);
        assertNotNull(claim);
        claim.putInt(0, 9).putInt(4, -1).putAscii(8, "abcd");
        claim.commit();
        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record);
            final StringBuilder dst = new StringBuilder();
            final IndexOutOfBoundsException tooLong =
                    assertThrows(IndexOutOfBoundsException.class, () -> record.getUtf8Prefixed(0, dst));
            assertEquals("a length prefix of 9 at payload index 0 of a 12-byte record does not fit: 8 bytes follow it",
                    tooLong.getMessage());
            final IndexOutOfBoundsException negative =
                    assertThrows(IndexOutOfBoundsException.class, () -> record.getUtf8Prefixed(4, dst));
            WriteClaimContract.assertMentions(negative.getMessage(), -1);
            assertEquals(0, dst.length(), "a refused read appends nothing");
        }
        expectEmpty(consumer);
    }
}
