package dev.logbuf.queue;

import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.ArrayList;
import java.util.List;
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

    @ParameterizedTest(name = "commit({0}) of a 40-byte claim")
    @ValueSource(ints = {1, 10, 24, 31, 32, 39})
    @DisplayName("commit(n) publishes the first n bytes; the rest is given back, and the next records flow, by claim and by batch")
    void shouldCommitTheFirstBytesAndGiveTheRestBack(int kept) {
        final WriteClaim claim = Records.claimDrained(producer, consumer, 40);  // a 48-byte span of 64
        final byte[] record = payload(1, kept);
        claim.put(record);
        for (int i = kept; i < 40; i++) {
            claim.putByte(i, (byte) 0x7F);                           // written, then left out of the record
        }
        claim.commit(kept);
        assertThrows(IllegalStateException.class, () -> claim.commit(kept), "the claim has ended");
        final byte[] next = payload(2, 8);
        send(producer, next);
        final List<byte[]> seen = new ArrayList<>();
        assertEquals(2, consumer.read(payload -> seen.add(Records.copy(payload)), 10), "the rest counts as no record");
        assertArrayEquals(record, seen.get(0));
        assertArrayEquals(next, seen.get(1));
        // every byte of the claim came back, zeroed: a claim of the whole ring fits and reads as zero
        final WriteClaim whole = Records.claimDrained(producer, consumer, producer.maxRecordLength());
        for (int i = 0; i < whole.length(); i++) {
            assertEquals(0, whole.buffer().get(whole.buffer().position() + i), "byte " + i + " of a fresh claim");
        }
        whole.abort();
        expectRingUnharmed();
    }

    @Test
    @DisplayName("commit(n) with n outside 1..length() is rejected, the claim stays open and commits after")
    void shouldRejectACommitLengthOutsideTheClaim() {
        final WriteClaim claim = Records.claimDrained(producer, consumer, 16);
        final byte[] record = payload(3, 16);
        claim.put(record);
        for (int bad : new int[] {0, -1, 17, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> claim.commit(bad));
            assertTrue(e.getMessage().contains("commit(" + bad + ")") && e.getMessage().contains("16"), e.getMessage());
        }
        assertEquals(16, claim.length(), "still open, unchanged");
        claim.commit(16);                                            // the whole claim: commit()
        expect(consumer, record);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("commit(n) from another thread than the claim's (its owner alive) publishes the shorter record")
    void shouldCommitAShorterRecordFromAnotherThread() throws InterruptedException {
        final WriteClaim claim = Records.claimDrained(producer, consumer, 40);
        final byte[] record = payload(4, 12);
        claim.put(record);
        final Thread other = new Thread(() -> claim.commit(12), "committer");
        other.start();
        other.join(30_000);
        expect(consumer, record);
        final byte[] next = payload(5, 40);
        // fits only once the whole span came back
        Records.claimDrained(producer, consumer, next.length).put(next).commit();
        expect(consumer, next);
        expectRingUnharmed();
    }

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
                ended("putShort", () -> claim.putShort(0, (short) 1)),
                ended("putChar", () -> claim.putChar(0, 'a')),
                ended("putFloat", () -> claim.putFloat(0, 1f)),
                ended("putDouble", () -> claim.putDouble(0, 1d)),
                ended("putAscii", () -> claim.putAscii(0, "a")),
                ended("putUtf8", () -> claim.putUtf8(0, "a")),
                ended("putUtf8Prefixed", () -> claim.putUtf8Prefixed(0, "a")),
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
                outOfBounds("putLong(MAX_VALUE)", () -> claim.putLong(Integer.MAX_VALUE, -1L)),
                outOfBounds("putShort(length - 1)", () -> claim.putShort(12, (short) -1)),
                outOfBounds("putChar(-1)", () -> claim.putChar(-1, '\uFFFF')),
                outOfBounds("putFloat(length - 3)", () -> claim.putFloat(10, -1f)),
                outOfBounds("putDouble(length - 7)", () -> claim.putDouble(6, -1d)),
                outOfBounds("putAscii one char too long", () -> claim.putAscii(9, "abcde")),
                outOfBounds("putAscii(-1)", () -> claim.putAscii(-1, "")),
                outOfBounds("putUtf8(length + 1)", () -> claim.putUtf8(14, "")),
                outOfBounds("putUtf8 one byte too long", () -> claim.putUtf8(9, "ab\u20AC")),
                outOfBounds("putUtf8Prefixed(length - 3)", () -> claim.putUtf8Prefixed(10, "")));
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

    @Test
    @DisplayName("a text that does not fit writes nothing, not even the part that would, and the message names claim, index, needed and available bytes")
    void shouldWriteNoTextThatDoesNotFit() {
        final byte[] record = payload(3, 20);                 // pads 40..64, the record at 0..32
        final WriteClaim claim = producer.tryClaim(20);
        assertNotNull(claim);
        claim.put(record);
        // 12 ASCII chars then a euro: 15 bytes, one more than the 14 from index 6 (the first 8 would fit)
        final String text = "abcdefghijkl\u20AC";
        assertAll(
                refused(claim, 6, 15, 14, () -> claim.putUtf8(6, text)),
                refused(claim, 6, 15, 14, () -> claim.putUtf8(6, new StringBuilder(text))),
                refused(claim, 3, 19, 17, () -> claim.putUtf8Prefixed(3, text)),
                refused(claim, 18, 4, 2, () -> claim.putUtf8Prefixed(18, "")),
                refused(claim, 21, 0, 0, () -> claim.putUtf8(21, "")),
                refused(claim, -1, 3, 0, () -> claim.putUtf8(-1, "\u20AC")),
                refused(claim, 7, 14, 13, () -> claim.putAscii(7, "abcdefghijklmn")),
                refused(claim, 17, 4, 3, () -> claim.putInt(17, -1)));
        final IllegalArgumentException notAscii =
                assertThrows(IllegalArgumentException.class, () -> claim.putAscii(2, "abc\u00E9f"));
        assertTrue(notAscii.getMessage().contains("char 3 of the text is U+00E9, not ASCII"), notAscii.getMessage());
        // exact fits at the end of the payload are accepted
        assertEquals(3, claim.putUtf8(17, "\u20AC"));
        assertEquals(4, claim.putUtf8Prefixed(16, ""));
        assertEquals(0, claim.putUtf8(20, ""));
        claim.commit();
        final byte[] expected = record.clone();
        expected[16] = 0;                                      // the empty text's prefix, 0, over 16..20
        expected[17] = 0;
        expected[18] = 0;
        expected[19] = 0;
        expect(consumer, expected);
        expectRingUnharmed();
    }

    @Test
    @DisplayName("putUtf8 and putAscii write at the payload index, crossing the wrap, and return the bytes written")
    void shouldWriteTextAtThePayloadIndex() {
        final String text = "h\u00E9llo \u20AC \uD83D\uDE00 \uD800!";   // 1-, 2-, 3-, 4-byte chars, an unpaired surrogate
        final byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final int length = 2 + utf8.length + 4 + utf8.length + 5;
        final WriteClaim claim = Records.claimDrained(producer, consumer, length);   // pads 40..64, then 0..56
        claim.putShort(0, (short) 0x7E7E);
        assertEquals(utf8.length, claim.putUtf8(2, text));
        assertEquals(4 + utf8.length, claim.putUtf8Prefixed(2 + utf8.length, text));
        assertEquals(5, claim.putAscii(length - 5, "tail!"));
        claim.commit();
        final ByteBuffer expected = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        expected.putShort((short) 0x7E7E).put(utf8).putInt(utf8.length).put(utf8)
                .put("tail!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        expect(consumer, expected.array());
        expectRingUnharmed();
    }

    /** An assertion that {@code put} is refused with a message naming the claim's length, index, needed and available bytes. */
    private static Executable refused(WriteClaim claim, int index, int needed, int available, Executable put) {
        return () -> {
            final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, put, "at " + index);
            assertEquals("cannot write " + needed + " bytes at payload index " + index + " of a " + claim.length()
                    + "-byte claim (" + available + " bytes available)", e.getMessage());
        };
    }
}
