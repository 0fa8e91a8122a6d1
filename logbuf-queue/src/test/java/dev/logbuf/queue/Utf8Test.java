package dev.logbuf.queue;

import static dev.logbuf.queue.Records.expectEmpty;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ConcurrentModificationException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Text in records, checked against the JDK's own coders on thousands of
 * seeded random inputs: {@code putUtf8} and {@code utf8Length} against
 * {@code String.getBytes(UTF_8)}, the decoders against
 * {@code new String(bytes, UTF_8)} on arbitrary (mostly malformed) bytes,
 * every text going through a real queue: claim, put, commit, read, decode.
 * A failure names the seed and the input, so it can be replayed.
 */
@DisplayName("text in records")
class Utf8Test {

    /** Each property's seed: a failure names the case's index, and the same seed replays it. */
    private static final long SEED = 0x7E57_0F_07F8L;
    private static final int CASES = 5_000;
    /** Marks the bytes around a text: a write or read that strays past the text's range shows. */
    private static final byte GUARD = (byte) 0xF0;

    private SpscQueue queue;
    private SpscProducer producer;
    private Consumer consumer;

    @BeforeEach
    void newQueue() {
        queue = SpscQueue.create(1 << 20);
        producer = queue.producer();
        consumer = queue.consumer();
    }

    // ------------------------------------------------------------------ encoding

    @Test
    @DisplayName("putUtf8 writes String.getBytes(UTF_8) byte for byte, from any CharSequence, and utf8Length agrees")
    void shouldEncodeExactlyAsTheJdkDoes() {
        final Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            final String text = randomText(random);
            final CharSequence source = asSomeCharSequence(text, random);
            final byte[] expected = text.getBytes(StandardCharsets.UTF_8);
            final String what = "case " + i + ": " + escape(text);
            assertEquals(expected.length, Utf8.utf8Length(source), what);

            final WriteClaim claim = producer.tryClaim(expected.length + 2);
            assertNotNull(claim, what);
            claim.putByte(0, GUARD).putByte(expected.length + 1, GUARD);
            assertEquals(expected.length, claim.putUtf8(1, source), what);
            claim.commit();

            try (ReadClaim record = consumer.tryClaim()) {
                assertNotNull(record, what);
                final byte[] bytes = Records.bytesOf(record);
                assertEquals(GUARD, bytes[0], what + ": the byte before the text");
                assertEquals(GUARD, bytes[bytes.length - 1], what + ": the byte after the text");
                final byte[] written = new byte[expected.length];
                System.arraycopy(bytes, 1, written, 0, written.length);
                assertArrayEquals(expected, written, what);
                // the round trip: what comes back is the JDK's own round trip (unpaired surrogates as '?')
                final StringBuilder decoded = new StringBuilder();
                assertSame(decoded, record.getUtf8(1, expected.length, decoded));
                assertEquals(new String(expected, StandardCharsets.UTF_8), decoded.toString(), what);
            }
        }
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("an unpaired surrogate becomes '?' (0x3F), a pair one 4-byte sequence, as String.getBytes(UTF_8) writes them")
    void shouldWriteUnpairedSurrogatesAsQuestionMarks() {
        assertEncodes("61 3f 62", "a\uD800b");                        // high, then no low
        assertEncodes("3f", "\uDC00");                                // a low on its own
        assertEncodes("3f", "\uD83D");                                // a high at the end
        assertEncodes("3f f0 9f 98 80", "\uD83D\uD83D\uDE00");        // high, then a whole pair
        assertEncodes("3f 3f", "\uDE00\uD83D");                       // low before high: two unpaired
        assertEncodes("f4 8f bf bf", "\uDBFF\uDFFF");                 // U+10FFFF
        assertEncodes("7f c2 80 df bf e0 a0 80 ed 9f bf ee 80 80 ef bf bf",
                "\u007F\u0080\u07FF\u0800\uD7FF\uE000\uFFFF");       // the 1/2/3-byte edges
    }

    @Test
    @DisplayName("utf8Length refuses a text whose UTF-8 form is longer than Integer.MAX_VALUE, naming both lengths")
    void shouldRefuseToMeasureBeyondAnInt() {
        final int chars = Integer.MAX_VALUE / 3 + 1;                  // 3 bytes each: just past the bound
        final CharSequence euros = new Repeated('\u20AC', chars);
        final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Utf8.utf8Length(euros));
        WriteClaimContract.assertMentions(e.getMessage(), chars);
        WriteClaimContract.assertMentions(e.getMessage(), 3L * chars);
        assertEquals(Integer.MAX_VALUE - 1, Utf8.utf8Length(new Repeated('\u20AC', chars - 1)));
    }

    @Test
    @DisplayName("putUtf8Prefixed writes a little-endian int length, then the text; both readers find its end")
    void shouldRoundTripPrefixedTexts() {
        final Random random = new Random(SEED + 1);
        final StringBuilder viaClaim = new StringBuilder();
        final StringBuilder viaHandler = new StringBuilder();
        for (int i = 0; i < CASES / 5; i++) {
            final String first = randomText(random);
            final String second = randomText(random);
            final byte[] firstBytes = first.getBytes(StandardCharsets.UTF_8);
            final byte[] secondBytes = second.getBytes(StandardCharsets.UTF_8);
            final String what = "case " + i + ": " + escape(first) + " then " + escape(second);
            final int length = 8 + firstBytes.length + secondBytes.length;
            final WriteClaim claim = producer.tryClaim(length);
            assertNotNull(claim, what);
            final int firstTotal = claim.putUtf8Prefixed(0, asSomeCharSequence(first, random));
            assertEquals(4 + firstBytes.length, firstTotal, what);
            assertEquals(4 + secondBytes.length, claim.putUtf8Prefixed(firstTotal, second), what);
            claim.commit();

            try (ReadClaim record = consumer.tryClaim()) {
                assertNotNull(record, what);
                assertEquals(firstBytes.length, record.getInt(0), what + ": the prefix is a little-endian int");
                viaClaim.setLength(0);
                assertEquals(firstTotal, record.getUtf8Prefixed(0, viaClaim), what);
                assertEquals(new String(firstBytes, StandardCharsets.UTF_8), viaClaim.toString(), what);
                viaClaim.setLength(0);
                assertEquals(4 + secondBytes.length, record.getUtf8Prefixed(firstTotal, viaClaim), what);
                assertEquals(new String(secondBytes, StandardCharsets.UTF_8), viaClaim.toString(), what);
                record.putBack();                                       // and again, through a batch handler
            }
            viaHandler.setLength(0);
            assertEquals(1, consumer.read(payload -> {
                final int consumed = payload.getUtf8Prefixed(0, viaHandler);
                payload.getUtf8Prefixed(consumed, viaHandler);
            }, 1), what);
            assertEquals(new String(firstBytes, StandardCharsets.UTF_8) + new String(secondBytes, StandardCharsets.UTF_8),
                    viaHandler.toString(), what);
        }
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a text that another thread changes between measuring and writing stops at the claim's end")
    void shouldNeverWritePastTheClaimWhenTheTextChangesUnderfoot() {
        final SpscQueue small = SpscQueue.create(64);
        final WriteClaim claim = small.producer().tryClaim(8);      // header 0..8, payload 8..16
        assertNotNull(claim);
        claim.buffer().limit(claim.buffer().capacity());             // misuse: the view reaches the whole ring
        // 6 chars might take 18 bytes, more than 8: putUtf8 measures 'a' x 6 (6 bytes), then reads 6 euros
        final CharSequence shifty = new CharSequence() {
            private int reads;

            @Override
            public int length() {
                return 6;
            }

            @Override
            public char charAt(int index) {
                return reads++ < 6 ? 'a' : '\u20AC';
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                throw new UnsupportedOperationException();
            }
        };
        assertThrows(ConcurrentModificationException.class, () -> claim.putUtf8(0, shifty));
        claim.commit();
        final WriteClaim next = small.producer().tryClaim(8);        // payload 24..32, where 18 bytes would reach
        assertNotNull(next);
        next.commit();
        final Consumer reader = small.consumer();
        try (ReadClaim first = reader.tryClaim()) {
            assertNotNull(first);
            assertEquals(8, first.length());
        }
        Records.expect(reader, new byte[8]);                         // nothing strayed into the next record
        expectEmpty(reader);
    }

    // ------------------------------------------------------------------ decoding

    @Test
    @DisplayName("getUtf8 and Utf8.decode read arbitrary bytes, malformed ones too, exactly as new String(bytes, UTF_8)")
    void shouldDecodeExactlyAsTheJdkDoes() throws IOException {
        final Random random = new Random(SEED + 2);
        final StringBuilder viaClaim = new StringBuilder();
        final StringBuilder viaHandler = new StringBuilder();
        final StringWriter viaAppendable = new StringWriter();
        for (int i = 0; i < CASES; i++) {
            final byte[] bytes = randomBytes(random);
            final String expected = new String(bytes, StandardCharsets.UTF_8);
            final String what = "case " + i + ": " + HexFormat.ofDelimiter(" ").formatHex(bytes);
            // guards before and after: a lead byte that would swallow what follows, a stray continuation
            final byte[] record = new byte[bytes.length + 2];
            record[0] = GUARD;
            System.arraycopy(bytes, 0, record, 1, bytes.length);
            record[record.length - 1] = (byte) 0x80;
            Records.send(producer, record);

            try (ReadClaim claim = consumer.tryClaim()) {
                assertNotNull(claim, what);
                viaClaim.setLength(0);
                assertEquals(expected, claim.getUtf8(1, bytes.length, viaClaim).toString(), what);
                viaAppendable.getBuffer().setLength(0);
                assertSame(viaAppendable, claim.getUtf8(1, bytes.length, (Appendable) viaAppendable));
                assertEquals(expected, viaAppendable.toString(), what + " (Appendable)");
                claim.putBack();
            }
            viaHandler.setLength(0);
            assertEquals(1, consumer.read(payload -> {
                // the static decoder, on the view's ring coordinates (for views kept past a record)
                final ByteBuffer view = payload.buffer();
                assertSame(viaHandler, Utf8.decode(view, view.position() + 1, bytes.length, viaHandler));
            }, 1));
            assertEquals(expected, viaHandler.toString(), what + " (batch handler)");
        }
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("malformed input becomes U+FFFD as the JDK decides: per bad byte, per cut-short sequence, per surrogate form")
    void shouldReplaceMalformedInputAsTheJdkDoes() {
        assertDecodes("\uFFFD\uFFFD", "c0 80");                      // overlong NUL: two bad bytes
        assertDecodes("\uFFFD", "ed a0 80");                         // a surrogate's 3-byte form: one
        assertDecodes("\uFFFD", "e2 82");                            // a 3-byte sequence cut short: one
        assertDecodes("\uFFFD", "f0 9f 98");                         // a 4-byte sequence cut short: one
        assertDecodes("\uFFFDA", "e2 82 41");                        // cut short by an ASCII byte
        assertDecodes("\uFFFD\uFFFD\uFFFD\uFFFD", "f4 90 80 80");    // above U+10FFFF
        assertDecodes("\uFFFD\uFFFD", "80 bf");                      // continuations on their own
        assertDecodes("\uD83D\uDE00", "f0 9f 98 80");                // and a valid pair still decodes
    }

    @Test
    @DisplayName("Utf8.decode checks the range against the buffer's limit, naming index, length and limit")
    void shouldCheckTheStaticDecodersRange() {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(16);
        buffer.limit(10);
        final StringBuilder dst = new StringBuilder();
        final IndexOutOfBoundsException e =
                assertThrows(IndexOutOfBoundsException.class, () -> Utf8.decode(buffer, 4, 7, dst));
        assertTrue(e.getMessage().contains("cannot read 7 bytes at index 4 of a buffer whose limit is 10 (6 bytes available)"),
                e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Utf8.decode(buffer, -1, 2, dst));
        assertThrows(IndexOutOfBoundsException.class, () -> Utf8.decode(buffer, 2, -1, dst));
        assertThrows(IndexOutOfBoundsException.class, () -> Utf8.decodeAscii(buffer, 8, 3, dst));
        assertThrows(IndexOutOfBoundsException.class, () -> Utf8.decodePrefixed(buffer, 7, dst));
        buffer.putInt(0, 7);                                          // 4 + 7 = 11 > 10
        assertThrows(IndexOutOfBoundsException.class, () -> Utf8.decodePrefixed(buffer, 0, dst));
        buffer.putInt(0, -1);
        assertThrows(IndexOutOfBoundsException.class, () -> Utf8.decodePrefixed(buffer, 0, dst));
        assertEquals(0, dst.length(), "a refused read appends nothing");
        assertEquals(0, Utf8.decode(buffer, 10, 0, dst).length(), "an empty range at the limit is fine");
    }

    // ------------------------------------------------------------------ ASCII

    @Test
    @DisplayName("putAscii writes one byte per char, getAscii and Utf8.decodeAscii read bytes as new String(bytes, US_ASCII)")
    void shouldRoundTripAscii() {
        final Random random = new Random(SEED + 3);
        final StringBuilder text = new StringBuilder();
        final StringBuilder decoded = new StringBuilder();
        for (int i = 0; i < CASES / 5; i++) {
            text.setLength(0);
            for (int n = random.nextInt(100); n > 0; n--) {
                text.append((char) random.nextInt(0x80));
            }
            final byte[] expected = text.toString().getBytes(StandardCharsets.US_ASCII);
            final WriteClaim claim = producer.tryClaim(expected.length + 1);
            assertNotNull(claim);
            assertEquals(expected.length, claim.putAscii(1, text));
            claim.putByte(0, GUARD).commit();
            try (ReadClaim record = consumer.tryClaim()) {
                assertNotNull(record);
                final byte[] bytes = Records.bytesOf(record);
                final byte[] written = new byte[expected.length];
                System.arraycopy(bytes, 1, written, 0, written.length);
                assertArrayEquals(expected, written, "case " + i);
                decoded.setLength(0);
                assertEquals(text.toString(), record.getAscii(1, expected.length, decoded).toString());
            }
        }
        for (int i = 0; i < CASES / 5; i++) {                         // arbitrary bytes, above 0x7F too
            final byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);
            Records.send(producer, bytes);
            final String expected = new String(bytes, StandardCharsets.US_ASCII);
            try (ReadClaim record = consumer.tryClaim()) {
                assertNotNull(record);
                decoded.setLength(0);
                assertEquals(expected, record.getAscii(0, bytes.length, decoded).toString(), "bytes case " + i);
                record.putBack();
            }
            decoded.setLength(0);
            consumer.read(payload -> payload.getAscii(0, payload.length(), decoded), 1);
            assertEquals(expected, decoded.toString(), "bytes case " + i + " (batch handler)");
        }
        expectEmpty(consumer);
    }

    // ------------------------------------------------------------------ generators and helpers

    /** A text of 0..300 chars mixing 1-, 2-, 3- and 4-byte chars, their edges, and unpaired surrogates. */
    static String randomText(Random random) {
        final int length = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(12);
        final StringBuilder text = new StringBuilder(length + 1);
        final int mix = random.nextInt(4);                            // some texts mostly ASCII, some not
        while (text.length() < length) {
            final int kind = mix == 0 && random.nextInt(8) != 0 ? 0 : random.nextInt(8);
            switch (kind) {
                case 0 -> text.append((char) random.nextInt(0x80));
                case 1 -> text.append((char) (0x80 + random.nextInt(0x800 - 0x80)));
                case 2 -> {
                    final char c = (char) (0x800 + random.nextInt(0x10000 - 0x800));
                    text.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                }
                case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0x110000 - 0x10000));
                case 4 -> text.append((char) (Character.MIN_HIGH_SURROGATE + random.nextInt(0x400)));
                case 5 -> text.append((char) (Character.MIN_LOW_SURROGATE + random.nextInt(0x400)));
                case 6 -> text.append(EDGES[random.nextInt(EDGES.length)]);
                default -> text.appendCodePoint(random.nextBoolean() ? 0x10000 : 0x10FFFF);
            }
        }
        return text.toString();
    }

    private static final char[] EDGES = {
        0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF,
    };

    /** The text as a String, a StringBuilder or a CharBuffer: putUtf8 takes any CharSequence. */
    private static CharSequence asSomeCharSequence(String text, Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> text;
            case 1 -> new StringBuilder(text);
            default -> CharBuffer.wrap(text.toCharArray());
        };
    }

    private static final int[] INTERESTING = {
        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
        0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFE, 0xFF,
    };

    /** 0..40 bytes: valid UTF-8 cut and corrupted at random places, or bytes drawn from the edges of the encoding. */
    static byte[] randomBytes(Random random) {
        if (random.nextBoolean()) {
            final byte[] valid = randomText(random).getBytes(StandardCharsets.UTF_8);
            final byte[] bytes = new byte[Math.min(valid.length, random.nextInt(41))];
            System.arraycopy(valid, 0, bytes, 0, bytes.length);
            for (int k = random.nextInt(3); k > 0 && bytes.length > 0; k--) {
                bytes[random.nextInt(bytes.length)] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
            }
            return bytes;
        }
        final byte[] bytes = new byte[random.nextInt(41)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256)
                    : INTERESTING[random.nextInt(INTERESTING.length)]);
        }
        return bytes;
    }

    private void assertEncodes(String hex, String text) {
        final byte[] expected = HexFormat.ofDelimiter(" ").parseHex(hex);
        assertArrayEquals(expected, text.getBytes(StandardCharsets.UTF_8), "the JDK writes " + escape(text) + " so");
        assertEquals(expected.length, Utf8.utf8Length(text));
        final WriteClaim claim = producer.tryClaim(expected.length);
        assertNotNull(claim);
        assertEquals(expected.length, claim.putUtf8(0, text));
        claim.commit();
        Records.expect(consumer, expected);
    }

    private void assertDecodes(String expected, String hex) {
        final byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(hex);
        assertEquals(expected, new String(bytes, StandardCharsets.UTF_8), "the JDK decodes " + hex + " so");
        assertEquals(expected, decode(bytes), hex);
    }

    /** The bytes through a queue and back through getUtf8. */
    private String decode(byte[] bytes) {
        Records.send(producer, bytes);
        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record);
            return record.getUtf8(0, bytes.length, new StringBuilder()).toString();
        }
    }

    static String escape(CharSequence text) {
        final StringBuilder escaped = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                escaped.append(c);
            } else {
                escaped.append(String.format("\\u%04X", (int) c));
            }
        }
        return escaped.append('"').toString();
    }

    /** {@code count} copies of one char, stored as nothing: a text longer than any array. */
    private record Repeated(char c, int count) implements CharSequence {
        @Override
        public int length() {
            return count;
        }

        @Override
        public char charAt(int index) {
            return c;
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Repeated(c, end - start);
        }
    }
}
