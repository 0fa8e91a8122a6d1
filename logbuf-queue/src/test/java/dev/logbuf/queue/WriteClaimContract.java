package dev.logbuf.queue;

import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The producing side's claim, for either variant: bad lengths, misuse of
 * handles and ended claims, bounds of every write, and the buffer view. After
 * each misuse the test proves the ring unharmed: the next records flow in order.
 */
abstract class WriteClaimContract extends QueueContract {

    /** The three ways a claim ends. */
    enum Ending { COMMIT, ABORT, CLOSE }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, -1, -8, Integer.MIN_VALUE})
    @DisplayName("a zero or negative length is rejected with a message naming the length and the bound")
    void shouldRejectZeroAndNegativeLengths(int length) {
        assertRejectedLength(length);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("a length above maxRecordLength is rejected with a message naming the length and the bound")
    void shouldRejectLengthsAboveTheMaximum() {
        final int max = producer.maxRecordLength();
        assertEquals(CAPACITY - 8, max);
        for (int length : new int[] {max + 1, max + 8, CAPACITY, Integer.MAX_VALUE}) {
            assertRejectedLength(length);
        }
        expectRingUnharmed();
    }

    @Test
    @DisplayName("maxRecordLength itself is accepted")
    void shouldAcceptMaxRecordLength() {
        final byte[] record = payload(1, producer.maxRecordLength());
        Records.claimDrained(producer, consumer, record.length).put(record).commit();
        expect(consumer, record);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a second tryClaim while a claim is open is an IllegalStateException and reserves nothing")
    void shouldRejectASecondClaimWhileOneIsOpen() {
        final WriteClaim claim = producer.tryClaim(8);
        assertNotNull(claim);
        assertThrows(IllegalStateException.class, () -> producer.tryClaim(8));
        assertThrows(IllegalStateException.class, () -> producer.tryClaim(1));
        final byte[] first = payload(1, 8);
        assertEquals(8, claim.length(), "the open claim is still usable");
        claim.put(first).commit();
        // had the refused claims reserved space, an unpublished hole would stall the consumer here
        expect(consumer, first);
        expectRingUnharmed();
    }

    @ParameterizedTest(name = "after {0}")
    @EnumSource(Ending.class)
    @DisplayName("every use of a claim after it ended is an IllegalStateException; closing again is harmless")
    void shouldRejectEveryUseOfAnEndedClaim(Ending ending) {
        final byte[] record = payload(1, 12);
        final WriteClaim claim = producer.tryClaim(12);
        assertNotNull(claim);
        claim.put(record);
        switch (ending) {
            case COMMIT -> claim.commit();
            case ABORT -> claim.abort();
            case CLOSE -> claim.close();
            default -> throw new AssertionError(ending);
        }
        assertAll(
                ended("length()", claim::length),
                ended("buffer()", claim::buffer),
                ended("put(byte[])", () -> claim.put(new byte[1])),
                ended("put(byte[], int, int)", () -> claim.put(new byte[1], 0, 1)),
                ended("put(ByteBuffer)", () -> claim.put(ByteBuffer.allocate(1))),
                ended("putByte", () -> claim.putByte(0, (byte) 1)),
                ended("putInt", () -> claim.putInt(0, 1)),
                ended("putLong", () -> claim.putLong(0, 1L)),
                ended("commit()", claim::commit),
                ended("abort()", claim::abort));
        claim.close();
        claim.close();
        if (ending == Ending.COMMIT) {
            expect(consumer, record);                    // neither the misuse nor close() undid the commit
        }
        expectRingUnharmed();
    }

    @Test
    @DisplayName("close() after commit leaves the record committed")
    void shouldKeepTheRecordWhenClosedAfterCommit() {
        final byte[] record = payload(1, 20);
        try (WriteClaim claim = producer.tryClaim(20)) {
            assertNotNull(claim);
            claim.put(record).commit();
        }
        expect(consumer, record);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("a second commit is an IllegalStateException and the record arrives once")
    void shouldRejectASecondCommit() {
        final byte[] record = payload(1, 5);
        final WriteClaim claim = producer.tryClaim(5);
        assertNotNull(claim);
        claim.put(record).commit();
        assertThrows(IllegalStateException.class, claim::commit);
        assertThrows(IllegalStateException.class, claim::abort);
        expect(consumer, record);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("writes outside the claimed bytes throw IndexOutOfBoundsException and change nothing, neighbours included")
    void shouldKeepEveryWriteInsideTheClaim() {
        final byte[] before = payload(1, 8);                 // 40..56, unread while the claim is written
        send(producer, before);
        final byte[] record = payload(2, 13);                // padding 56..64, then 13 bytes in the 24 of 0..24
        final WriteClaim claim = producer.tryClaim(13);
        assertNotNull(claim);
        claim.put(record, 0, 5);
        assertAll(
                outOfBounds("put(byte[]) longer than what remains", () -> claim.put(new byte[9])),
                outOfBounds("put(byte[]) longer than the claim", () -> claim.put(new byte[14])),
                outOfBounds("put(byte[], off, len) past the source", () -> claim.put(new byte[4], 2, 3)),
                outOfBounds("put(byte[], off, len) with a negative offset", () -> claim.put(new byte[4], -1, 1)),
                outOfBounds("put(byte[], off, len) with a negative length", () -> claim.put(new byte[4], 0, -1)),
                outOfBounds("put(ByteBuffer) longer than what remains", () -> claim.put(ByteBuffer.allocate(9))),
                outOfBounds("putByte(-1)", () -> claim.putByte(-1, (byte) -1)),
                outOfBounds("putByte(length)", () -> claim.putByte(13, (byte) -1)),
                outOfBounds("putInt(length - 3)", () -> claim.putInt(10, -1)),
                outOfBounds("putInt(-1)", () -> claim.putInt(-1, -1)),
                outOfBounds("putInt(MIN_VALUE)", () -> claim.putInt(Integer.MIN_VALUE, -1)),
                outOfBounds("putLong(length - 7)", () -> claim.putLong(6, -1L)),
                outOfBounds("putLong(-8)", () -> claim.putLong(-8, -1L)),
                outOfBounds("putLong(MAX_VALUE)", () -> claim.putLong(Integer.MAX_VALUE, -1L)));
        assertEquals(8, claim.buffer().remaining(), "a refused write does not move the position");
        final ByteBuffer source = ByteBuffer.allocate(9);
        assertThrows(IndexOutOfBoundsException.class, () -> claim.put(source));
        assertEquals(0, source.position(), "a refused put(ByteBuffer) does not consume its source");
        claim.put(record, 5, 8);
        // the last byte, int and long of the payload are inside it
        final ByteBuffer le = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        claim.putByte(12, record[12]).putInt(9, le.getInt(9)).putLong(5, le.getLong(5));
        claim.commit();
        // the record after it, 24..40, committed unwritten: any stray write into its bytes would show
        final WriteClaim after = producer.tryClaim(8);
        assertNotNull(after);
        after.commit();

        expect(consumer, before);
        expect(consumer, record);
        expect(consumer, new byte[8]);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("the claim's own writes stay inside the payload even when buffer()'s limit or position was moved out")
    void shouldKeepWritesInsideTheClaimWhenTheViewWasMoved() throws Throwable {
        final byte[] before = payload(1, 8);                 // 40..56, unread
        send(producer, before);
        final byte[] record = payload(2, 13);                // padding 56..64, then 0..24
        final WriteClaim claim = producer.tryClaim(13);
        assertNotNull(claim);
        final ByteBuffer view = claim.buffer();
        final int start = view.position();
        view.limit(view.capacity());                         // misuse: the view now reaches the whole ring
        assertAll(
                outOfBounds("put(byte[]) past the payload", () -> claim.put(new byte[14])),
                outOfBounds("put(ByteBuffer) past the payload", () -> claim.put(ByteBuffer.allocate(14))),
                outOfBounds("putByte(length)", () -> claim.putByte(13, (byte) -1)),
                outOfBounds("putInt(length - 3)", () -> claim.putInt(10, -1)),
                outOfBounds("putLong(length - 7)", () -> claim.putLong(6, -1L)));
        view.position(start - 8);                            // misuse: the position now points at the header
        outOfBounds("put(byte[]) before the payload", () -> claim.put(new byte[1])).execute();
        view.position(start);
        claim.put(record).commit();
        final WriteClaim after = producer.tryClaim(8);       // 24..40: unwritten, so stray bytes would show
        assertNotNull(after);
        after.commit();
        expect(consumer, before);
        expect(consumer, record);
        expect(consumer, new byte[8]);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("buffer() is positioned at the payload with its limit at the payload's end, shared with put()")
    void shouldExposeExactlyTheClaimedBytesThroughBuffer() {
        final byte[] record = payload(1, 20);
        final WriteClaim claim = producer.tryClaim(20);       // wraps: padding 40..64, record 0..32
        assertNotNull(claim);
        final ByteBuffer view = claim.buffer();
        assertEquals(20, view.remaining());
        assertEquals(ByteOrder.LITTLE_ENDIAN, view.order());
        assertFalse(view.isReadOnly());
        claim.put(record, 0, 3);
        assertEquals(17, view.remaining(), "put() advances the view's position");
        view.put(record, 3, 17);
        assertFalse(view.hasRemaining());
        assertThrows(BufferOverflowException.class, () -> view.put((byte) -1), "the view ends at the payload");
        assertThrows(IndexOutOfBoundsException.class, () -> claim.put(new byte[1]));
        claim.commit();
        expect(consumer, record);
        // the next record, 32..48, committed unwritten: a write past the view's limit would show in it
        final WriteClaim after = producer.tryClaim(8);
        assertNotNull(after);
        after.commit();
        expect(consumer, new byte[8]);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a ReadableByteChannel fills the claim in place through buffer(), taking exactly length() bytes")
    void shouldFillAClaimFromAReadableByteChannel() throws IOException {
        final byte[] source = payload(7, 50);
        final ByteArrayInputStream stream = new ByteArrayInputStream(source);
        final ReadableByteChannel channel = Channels.newChannel(stream);
        final WriteClaim claim = producer.tryClaim(30);       // wraps: padding 40..64, record 0..40
        assertNotNull(claim);
        final ByteBuffer view = claim.buffer();
        for (int reads = 0; view.hasRemaining(); reads++) {
            assertTrue(reads < 100 && channel.read(view) >= 0, "the channel keeps delivering");
        }
        assertEquals(20, stream.available(), "the channel read no more than the claim holds");
        claim.commit();
        final byte[] expected = new byte[30];
        System.arraycopy(source, 0, expected, 0, 30);
        expect(consumer, expected);
        expectRingUnharmed();
    }

    // ------------------------------------------------------------------ helpers

    private void assertRejectedLength(int length) {
        final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(length), "length " + length);
        assertMentions(e.getMessage(), length);
        assertMentions(e.getMessage(), producer.maxRecordLength());
    }

    /** Whether {@code message} names {@code value} as a number of its own (not as part of a longer one). */
    static void assertMentions(String message, long value) {
        final Pattern number = Pattern.compile("(?<![0-9-])" + Pattern.quote(Long.toString(value)) + "(?![0-9])");
        assertTrue(message != null && number.matcher(message).find(),
                () -> "the message should name " + value + ": " + message);
    }

    private static Executable ended(String operation, Executable use) {
        return () -> assertThrows(IllegalStateException.class, use, operation + " on an ended claim");
    }

    @Test
    @DisplayName("put(ByteBuffer) appends the source's remaining bytes, consumes them and returns the claim itself")
    void shouldAppendAByteBufferAndReturnTheClaim() {
        final byte[] record = payload(9, 8);
        final WriteClaim claim = producer.tryClaim(8);
        assertNotNull(claim);
        final ByteBuffer first = ByteBuffer.wrap(record, 0, 5);
        assertSame(claim, claim.put(first), "put(ByteBuffer)");
        assertFalse(first.hasRemaining(), "the source's position moved past the copied bytes");
        final IndexOutOfBoundsException tooLong =
                assertThrows(IndexOutOfBoundsException.class, () -> claim.put(ByteBuffer.allocate(4)));
        assertTrue(tooLong.getMessage().contains("cannot write 4 bytes at payload index 5 of a 8-byte claim"),
                tooLong.getMessage());
        assertSame(claim, claim.put(ByteBuffer.wrap(record, 5, 3)));
        claim.commit();
        expect(consumer, record);
        expectRingUnharmed();
    }
}
