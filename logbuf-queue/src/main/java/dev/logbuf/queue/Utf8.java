package dev.logbuf.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ConcurrentModificationException;

/**
 * Text in records without allocating: the measure of a text's UTF-8 form, and
 * decoders for the {@link ByteBuffer} views that batch-read handlers receive.
 *
 * <p>The claims write and read text themselves ({@link WriteClaim#putUtf8},
 * {@link ReadClaim#getUtf8}); this class serves the rest. A handler of
 * {@link Consumer#read(RecordHandler, int)} gets a view whose indexes count
 * from the start of the ring's record region, so its decoders take absolute
 * indexes and check them against the view's limit (the record's end):
 *
 * <pre>{@code
 * final StringBuilder text = new StringBuilder(256);       // made once, reused
 * consumer.read(payload -> {
 *     text.setLength(0);
 *     Utf8.decode(payload, payload.position(), payload.remaining(), text);
 *     log.append(text);
 * }, 64);
 * }</pre>
 *
 * <p>The encoding is exactly the JDK's: {@link #utf8Length} and the claims'
 * {@code putUtf8} agree byte for byte with {@code String.getBytes(UTF_8)},
 * which writes a surrogate pair as one 4-byte sequence and an unpaired
 * surrogate as {@code '?'} (0x3F). The decoders agree char for char with
 * {@code new String(bytes, UTF_8)}, which replaces each malformed sequence
 * with U+FFFD: an invalid byte, an overlong form, a surrogate's 3-byte form, a
 * sequence cut short by the end of the range (one U+FFFD for the whole
 * truncated sequence). Appending to a {@link StringBuilder} whose capacity
 * suffices allocates nothing.
 *
 * <p>Threading: every method is stateless and safe from any thread.
 */
public final class Utf8 {

    /** What an unpaired surrogate is written as: {@code '?'}, as {@code String.getBytes(UTF_8)} writes it. */
    static final byte UNPAIRED_SURROGATE = (byte) '?';

    /** What a malformed sequence is read as, as {@code new String(bytes, UTF_8)} reads it. */
    private static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    /**
     * The number of bytes {@code text} takes in UTF-8, as
     * {@code WriteClaim.putUtf8} writes it (and {@code String.getBytes(UTF_8)}):
     * 1 to 3 bytes per char, 4 per surrogate pair, 1 per unpaired surrogate.
     * Reads every char once; allocates nothing.
     *
     * @param text the text
     * @return its length in UTF-8
     * @throws IllegalArgumentException if the length exceeds
     *         {@code Integer.MAX_VALUE} (a text of more than about 715 million chars)
     */
    public static int utf8Length(CharSequence text) {
        final long bytes = measure(text);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the UTF-8 form of a text of " + text.length()
                    + " chars takes " + bytes + " bytes, more than Integer.MAX_VALUE");
        }
        return (int) bytes;
    }

    /**
     * Decodes {@code length} bytes of UTF-8 from {@code src} at the absolute
     * {@code index} and appends them to {@code dst}; malformed input becomes
     * U+FFFD as in {@code new String(bytes, UTF_8)}. Neither {@code src}'s
     * position nor its limit moves. Allocates nothing while {@code dst} has room.
     *
     * @param src the bytes, such as a batch-read handler's payload view
     * @param index the absolute index of the first byte in {@code src}
     * @param length the number of bytes
     * @param dst where the chars are appended
     * @return {@code dst}
     * @throws IndexOutOfBoundsException if the bytes are not all below {@code src.limit()}
     */
    public static StringBuilder decode(ByteBuffer src, int index, int length, StringBuilder dst) {
        checkRange(src, index, length);
        try {
            decodeRange(src, index, index + length, dst);
        } catch (IOException e) {
            throw new AssertionError("a StringBuilder does not throw IOException", e);
        }
        return dst;
    }

    /**
     * Decodes {@code length} bytes of UTF-8 from {@code src} at the absolute
     * {@code index} and appends them to {@code dst}, one {@code append(char)}
     * per char; malformed input becomes U+FFFD as in
     * {@code new String(bytes, UTF_8)}. Neither {@code src}'s position nor its
     * limit moves.
     *
     * @param src the bytes, such as a batch-read handler's payload view
     * @param index the absolute index of the first byte in {@code src}
     * @param length the number of bytes
     * @param dst where the chars are appended
     * @return {@code dst}
     * @throws IndexOutOfBoundsException if the bytes are not all below {@code src.limit()}
     * @throws IOException if {@code dst} throws it; the chars decoded before are appended
     */
    public static Appendable decode(ByteBuffer src, int index, int length, Appendable dst) throws IOException {
        checkRange(src, index, length);
        decodeRange(src, index, index + length, dst);
        return dst;
    }

    /**
     * Decodes a text written by {@link WriteClaim#putUtf8Prefixed}: a
     * little-endian {@code int} length at the absolute {@code index}, then that
     * many bytes of UTF-8, appended to {@code dst}.
     *
     * @param src the bytes, such as a batch-read handler's payload view
     * @param index the absolute index of the length prefix in {@code src}
     * @param dst where the chars are appended
     * @return the bytes consumed: 4 plus the prefix's length
     * @throws IndexOutOfBoundsException if the prefix, or the bytes it counts,
     *         are not all below {@code src.limit()}, or the prefix is negative
     */
    public static int decodePrefixed(ByteBuffer src, int index, StringBuilder dst) {
        checkRange(src, index, Integer.BYTES);
        final int length = prefix(src, index);
        final int start = index + Integer.BYTES;
        final int available = src.limit() - start;
        if (length < 0 || length > available) {
            throw new IndexOutOfBoundsException("a length prefix of " + length + " at index " + index
                    + " does not fit a buffer whose limit is " + src.limit() + ": "
                    + available + " bytes follow it");
        }
        decode(src, start, length, dst);
        return Integer.BYTES + length;
    }

    /**
     * Appends {@code length} bytes from {@code src} at the absolute
     * {@code index} as ASCII chars; a byte above 0x7F becomes U+FFFD, as in
     * {@code new String(bytes, US_ASCII)}. Neither {@code src}'s position nor
     * its limit moves. Allocates nothing while {@code dst} has room.
     *
     * @param src the bytes, such as a batch-read handler's payload view
     * @param index the absolute index of the first byte in {@code src}
     * @param length the number of bytes
     * @param dst where the chars are appended
     * @return {@code dst}
     * @throws IndexOutOfBoundsException if the bytes are not all below {@code src.limit()}
     */
    public static StringBuilder decodeAscii(ByteBuffer src, int index, int length, StringBuilder dst) {
        checkRange(src, index, length);
        decodeAsciiRange(src, index, index + length, dst);
        return dst;
    }

    // ------------------------------------------------------------------ package-private mechanics

    /** The UTF-8 length of {@code text}, in a {@code long} so that no text overflows it. */
    static long measure(CharSequence text) {
        final int n = text.length();
        long bytes = n;                                   // every char is at least one byte
        for (int i = 0; i < n; i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 2;                               // two chars, four bytes
                i++;
            } // else an unpaired surrogate: '?', one byte
        }
        return bytes;
    }

    /** The chars a claim copies out of a text at a time, into its own scratch array. */
    static final int CHUNK = 64;

    /**
     * {@link #measure(CharSequence)} through {@code scratch}: a {@code String}
     * or {@code StringBuilder} gives its chars a chunk at a time
     * ({@code getChars}), which costs far less than a {@code charAt} per char.
     */
    static long measure(CharSequence text, char[] scratch) {
        final int n = text.length();
        long bytes = n;
        for (int from = 0; from < n; ) {
            final int k = chunk(text, from, n, scratch);
            for (int i = 0; i < k; i++) {
                final char c = scratch[i];
                if (c < 0x80) {
                    continue;
                }
                if (c < 0x800) {
                    bytes += 1;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < k && Character.isLowSurrogate(scratch[i + 1])) {
                    bytes += 2;
                    i++;
                }
            }
            from += k;
        }
        return bytes;
    }

    /**
     * Writes {@code text} in UTF-8 into {@code dst} from the absolute index
     * {@code at}, copying its chars a chunk at a time through {@code scratch};
     * {@code dst} is little-endian, as the ring's views are. The caller has
     * checked that it fits before {@code end}; a text that another thread
     * changes meanwhile may no longer fit, and is stopped at {@code end}
     * rather than written past it.
     *
     * @return the number of bytes written
     */
    static int encode(CharSequence text, char[] scratch, ByteBuffer dst, int at, int end) {
        final int n = text.length();
        int p = at;
        for (int from = 0; from < n; ) {
            final int k = chunk(text, from, n, scratch);
            p = encode(scratch, k, dst, p, end, text);
            from += k;
        }
        return p - at;
    }

    /**
     * Copies the next chunk of {@code text} from {@code from} into
     * {@code scratch} and returns its length; a chunk never ends between the
     * two chars of a surrogate pair (it ends before the high one instead).
     */
    private static int chunk(CharSequence text, int from, int n, char[] scratch) {
        final int to = Math.min(n, from + scratch.length);
        if (text instanceof String) {
            ((String) text).getChars(from, to, scratch, 0);
        } else if (text instanceof StringBuilder) {
            ((StringBuilder) text).getChars(from, to, scratch, 0);
        } else {
            for (int i = from; i < to; i++) {
                scratch[i - from] = text.charAt(i);
            }
        }
        final int k = to - from;
        return to < n && k > 1 && Character.isHighSurrogate(scratch[k - 1]) ? k - 1 : k;
    }

    /** Writes {@code chars[0..k)} from {@code p}; returns the index after the last byte written. */
    private static int encode(char[] chars, int k, ByteBuffer dst, int p, int end, CharSequence text) {
        int i = 0;
        // ASCII eight chars at a time, one little-endian long store each
        for (; i + Long.BYTES <= k && p + Long.BYTES <= end; i += Long.BYTES, p += Long.BYTES) {
            final long c0 = chars[i];
            final long c1 = chars[i + 1];
            final long c2 = chars[i + 2];
            final long c3 = chars[i + 3];
            final long c4 = chars[i + 4];
            final long c5 = chars[i + 5];
            final long c6 = chars[i + 6];
            final long c7 = chars[i + 7];
            if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) >= 0x80) {
                break;
            }
            dst.putLong(p, c0 | c1 << 8 | c2 << 16 | c3 << 24 | c4 << 32 | c5 << 40 | c6 << 48 | c7 << 56);
        }
        for (; i < k; i++) {
            final char c = chars[i];
            if (c < 0x80) {
                if (p >= end) {
                    throw changed(text);
                }
                dst.put(p++, (byte) c);
            } else if (c < 0x800) {
                if (p > end - 2) {
                    throw changed(text);
                }
                dst.put(p++, (byte) (0xC0 | c >> 6));
                dst.put(p++, (byte) (0x80 | c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                if (p > end - 3) {
                    throw changed(text);
                }
                dst.put(p++, (byte) (0xE0 | c >> 12));
                dst.put(p++, (byte) (0x80 | c >> 6 & 0x3F));
                dst.put(p++, (byte) (0x80 | c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < k && Character.isLowSurrogate(chars[i + 1])) {
                if (p > end - 4) {
                    throw changed(text);
                }
                final int cp = Character.toCodePoint(c, chars[++i]);
                dst.put(p++, (byte) (0xF0 | cp >> 18));
                dst.put(p++, (byte) (0x80 | cp >> 12 & 0x3F));
                dst.put(p++, (byte) (0x80 | cp >> 6 & 0x3F));
                dst.put(p++, (byte) (0x80 | cp & 0x3F));
            } else {
                if (p >= end) {
                    throw changed(text);
                }
                dst.put(p++, UNPAIRED_SURROGATE);
            }
        }
        return p;
    }

    /**
     * Decodes the UTF-8 in {@code src[sp..sl)}, replacing malformed input as
     * the JDK's {@code String} decoder does (its {@code decodeUTF8_UTF16}):
     * the sequence lengths it rejects, and how far it steps after each, are
     * reproduced here; the tests compare the two on arbitrary bytes.
     */
    static void decodeRange(ByteBuffer src, int sp, int sl, Appendable dst) throws IOException {
        while (sp < sl) {
            final int b1 = src.get(sp++);
            if (b1 >= 0) {
                dst.append((char) b1);
            } else if ((b1 >> 5) == -2 && (b1 & 0x1E) != 0) {                // C2..DF: two bytes
                if (sp < sl) {
                    final int b2 = src.get(sp);
                    if (isNotContinuation(b2)) {
                        dst.append(REPLACEMENT);                              // b2 is read again on its own
                    } else {
                        sp++;
                        dst.append((char) ((b1 & 0x1F) << 6 | b2 & 0x3F));
                    }
                    continue;
                }
                dst.append(REPLACEMENT);                                      // cut short by the end
                break;
            } else if ((b1 >> 4) == -2) {                                     // E0..EF: three bytes
                if (sp + 1 < sl) {
                    final int b2 = src.get(sp);
                    final int b3 = src.get(sp + 1);
                    if (isMalformed3(b1, b2, b3)) {
                        dst.append(REPLACEMENT);
                        sp += isMalformed3Second(b1, b2) ? 0 : 1;             // skip b2 only if it belonged
                    } else {
                        sp += 2;
                        final char c = (char) ((b1 & 0x0F) << 12 | (b2 & 0x3F) << 6 | b3 & 0x3F);
                        dst.append(Character.isSurrogate(c) ? REPLACEMENT : c);
                    }
                    continue;
                }
                if (sp < sl && isMalformed3Second(b1, src.get(sp))) {
                    dst.append(REPLACEMENT);                                  // b2 is read again on its own
                    continue;
                }
                dst.append(REPLACEMENT);                                      // a valid start, cut short
                break;
            } else if ((b1 >> 3) == -2) {                                     // F0..F7: four bytes
                final int lead = b1 & 0xFF;
                if (sp + 2 < sl) {
                    final int b2 = src.get(sp);
                    final int b3 = src.get(sp + 1);
                    final int b4 = src.get(sp + 2);
                    final int cp = (lead & 0x07) << 18 | (b2 & 0x3F) << 12 | (b3 & 0x3F) << 6 | b4 & 0x3F;
                    if (isNotContinuation(b2) || isNotContinuation(b3) || isNotContinuation(b4)
                            || !Character.isSupplementaryCodePoint(cp)) {
                        dst.append(REPLACEMENT);
                        sp += malformed4(lead, b2 & 0xFF, b3) - 1;            // bytes after b1 that belonged
                    } else {
                        sp += 3;
                        dst.append(Character.highSurrogate(cp));
                        dst.append(Character.lowSurrogate(cp));
                    }
                    continue;
                }
                if (lead > 0xF4 || sp < sl && isMalformed4Second(lead, src.get(sp) & 0xFF)) {
                    dst.append(REPLACEMENT);                                  // b2 is read again on its own
                    continue;
                }
                sp++;                                                         // b2 (if any) belonged
                dst.append(REPLACEMENT);
                if (sp < sl && isNotContinuation(src.get(sp))) {
                    continue;                                                 // b3 is read again on its own
                }
                break;                                                        // a valid start, cut short
            } else {                                                          // 80..C1, F8..FF
                dst.append(REPLACEMENT);
            }
        }
    }

    /** Appends {@code src[sp..sl)} as ASCII, U+FFFD for each byte above 0x7F. */
    static void decodeAsciiRange(ByteBuffer src, int sp, int sl, StringBuilder dst) {
        for (int i = sp; i < sl; i++) {
            final byte b = src.get(i);
            dst.append(b >= 0 ? (char) b : REPLACEMENT);
        }
    }

    /** The little-endian {@code int} at {@code index}, whatever {@code src}'s byte order. */
    static int prefix(ByteBuffer src, int index) {
        return src.get(index) & 0xFF | (src.get(index + 1) & 0xFF) << 8
                | (src.get(index + 2) & 0xFF) << 16 | src.get(index + 3) << 24;
    }

    // ------------------------------------------------------------------ helpers

    private static boolean isNotContinuation(int b) {
        return (b & 0xC0) != 0x80;
    }

    /** Whether b2 cannot follow b1 in a three-byte sequence: not a continuation, or an overlong form (E0 80..9F). */
    private static boolean isMalformed3Second(int b1, int b2) {
        return b1 == (byte) 0xE0 && (b2 & 0xE0) == 0x80 || isNotContinuation(b2);
    }

    private static boolean isMalformed3(int b1, int b2, int b3) {
        return isMalformed3Second(b1, b2) || isNotContinuation(b3);
    }

    /** Whether b2 cannot follow lead in a four-byte sequence (lead and b2 unsigned). */
    private static boolean isMalformed4Second(int lead, int b2) {
        return lead == 0xF0 && (b2 < 0x90 || b2 > 0xBF)
                || lead == 0xF4 && (b2 & 0xF0) != 0x80
                || isNotContinuation(b2);
    }

    /** How many bytes of a malformed four-byte sequence one U+FFFD stands for (lead and b2 unsigned). */
    private static int malformed4(int lead, int b2, int b3) {
        if (lead > 0xF4 || isMalformed4Second(lead, b2)) {
            return 1;
        }
        return isNotContinuation(b3) ? 2 : 3;
    }

    private static void checkRange(ByteBuffer src, int index, int length) {
        final int limit = src.limit();
        if (index < 0 || length < 0 || length > limit - index) {
            throw new IndexOutOfBoundsException("cannot read " + length + " bytes at index " + index
                    + " of a buffer whose limit is " + limit + " ("
                    + (index < 0 || index > limit ? 0 : limit - index) + " bytes available)");
        }
    }

    private static ConcurrentModificationException changed(CharSequence text) {
        return new ConcurrentModificationException("the text (now " + text.length()
                + " chars) changed while it was written and no longer fits: the write stopped at the claim's end");
    }
}
