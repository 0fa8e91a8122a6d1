package dev.logbuf.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The bytes of one committed record, read in place: what a {@link ReadClaim}
 * holds, and what a batch read hands its handler
 * ({@link RecordHandler#onRecord(Payload)},
 * {@link ControlledRecordHandler#onRecord(Payload)}).
 *
 * <p><b>One index system.</b> Every getter counts from the payload's first
 * byte: {@code getLong(0)} is the record's first eight bytes, whatever the
 * record's place in the ring, and an index outside {@code [0, length())}
 * throws {@link IndexOutOfBoundsException} naming the record's length. The
 * write side counts the same way ({@link WriteClaim#putLong(int, long)}).
 * Only the NIO view, {@link #buffer()}, is in ring coordinates, for
 * transfers ({@code fileChannel.write(payload.buffer())}): its position and
 * limit frame the payload.
 *
 * <p>Text decodes without allocating: {@link #getUtf8}, {@link #getUtf8Prefixed},
 * {@link #getAscii}. Multi-byte values are little-endian.
 *
 * <p>A {@code Payload} is a flyweight, reused for every record: keep no
 * reference to it past the record it was handed for. Any use after it is no
 * longer valid throws {@link IllegalStateException}.
 *
 * <p>Memory consistency effects: everything the producer did before
 * committing the record happens-before the reads made through this payload.
 *
 * <p>Threading: used by the thread that owns the consumer.
 */
public abstract sealed class Payload permits ReadClaim, Payload.Handed {

    /** Read-only view of the record region; position..limit is the payload. */
    final ByteBuffer view;
    /** The record's ring position. */
    long position;
    /** Offset of the record's header. */
    int offset;
    int length;
    boolean open;

    Payload(ByteBuffer view) {
        this.view = view;
    }

    /** Points this payload at the record at ring {@code position}, its header at {@code offset}. */
    final void frame(long position, int offset, int length) {
        this.position = position;
        this.offset = offset;
        this.length = length;
        final int start = offset + RecordDescriptor.HEADER_LENGTH;
        view.limit(start + length);
        view.position(start);
    }

    /**
     * The payload length of this record.
     *
     * @return the number of payload bytes, at least 1
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final int length() {
        checkOpen();
        return length;
    }

    /**
     * The ring position of this record (not to be confused with the position
     * of its {@link #buffer()}): free-running, unique for the life of the ring,
     * increasing from record to record. On a ring shared between processes,
     * a consumer process that dies before giving a record back leaves it in
     * the ring, and the next consumer reads it again; an archiver that must
     * store each record once keeps the position with what it stored and skips
     * positions it already has.
     *
     * @return the record's position
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final long position() {
        checkOpen();
        return position;
    }

    /**
     * A read-only NIO view of the payload, for transfers: its position..limit
     * is exactly the record's bytes, so {@code channel.write(payload.buffer())}
     * writes the record without a copy, and {@code dst.put(payload.buffer())}
     * copies it.
     *
     * <p><b>WARNING: the view's absolute indexes are ring coordinates, not
     * payload indexes.</b> {@code buffer().getLong(0)} reads the first bytes of
     * the ring, which belong to another record or to a header. Read fields
     * with this payload's own getters ({@link #getLong(int)} and its
     * siblings), which count from the payload's first byte; use the view only
     * relative to its position. It is reused for every record, valid while
     * this payload is, and its byte order is little-endian.
     *
     * @return the view
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final ByteBuffer buffer() {
        checkOpen();
        return view;
    }

    /**
     * Reads the byte at {@code index} from the start of the payload.
     *
     * @param index the payload index
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is outside the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final byte getByte(int index) {
        checkOpen();
        return view.get(at(index, Byte.BYTES));
    }

    /**
     * Reads the little-endian {@code short} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the two bytes are not all inside the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final short getShort(int index) {
        checkOpen();
        return view.getShort(at(index, Short.BYTES));
    }

    /**
     * Reads the little-endian UTF-16 code unit at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the two bytes are not all inside the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final char getChar(int index) {
        checkOpen();
        return view.getChar(at(index, Character.BYTES));
    }

    /**
     * Reads the little-endian {@code int} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the four bytes are not all inside the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final int getInt(int index) {
        checkOpen();
        return view.getInt(at(index, Integer.BYTES));
    }

    /**
     * Reads the little-endian {@code long} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the eight bytes are not all inside the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final long getLong(int index) {
        checkOpen();
        return view.getLong(at(index, Long.BYTES));
    }

    /**
     * Reads the little-endian {@code float} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the four bytes are not all inside the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final float getFloat(int index) {
        checkOpen();
        return view.getFloat(at(index, Float.BYTES));
    }

    /**
     * Reads the little-endian {@code double} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the eight bytes are not all inside the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final double getDouble(int index) {
        checkOpen();
        return view.getDouble(at(index, Double.BYTES));
    }

    /**
     * Decodes {@code length} payload bytes of UTF-8 from {@code index} and
     * appends them to {@code dst}, allocating nothing while {@code dst} has
     * room. Malformed input becomes U+FFFD, exactly as
     * {@code new String(bytes, UTF_8)} decodes it (see {@link Utf8}).
     *
     * @param index the payload index of the first byte
     * @param length the number of bytes
     * @param dst where the chars are appended
     * @return {@code dst}
     * @throws IndexOutOfBoundsException if the bytes are not all inside the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final StringBuilder getUtf8(int index, int length, StringBuilder dst) {
        checkOpen();
        final int at = at(index, length);
        try {
            Utf8.decodeRange(view, at, at + length, dst);
        } catch (IOException e) {
            throw new AssertionError("a StringBuilder does not throw IOException", e);
        }
        return dst;
    }

    /**
     * Decodes {@code length} payload bytes of UTF-8 from {@code index} and
     * appends them to {@code dst}, one {@code append(char)} per char.
     * Malformed input becomes U+FFFD, exactly as
     * {@code new String(bytes, UTF_8)} decodes it (see {@link Utf8}).
     *
     * @param index the payload index of the first byte
     * @param length the number of bytes
     * @param dst where the chars are appended
     * @return {@code dst}
     * @throws IndexOutOfBoundsException if the bytes are not all inside the payload
     * @throws IllegalStateException if the payload is no longer valid
     * @throws IOException if {@code dst} throws it; the chars decoded before are appended
     */
    public final Appendable getUtf8(int index, int length, Appendable dst) throws IOException {
        checkOpen();
        final int at = at(index, length);
        Utf8.decodeRange(view, at, at + length, dst);
        return dst;
    }

    /**
     * Decodes a text written by {@link WriteClaim#putUtf8Prefixed}: a
     * little-endian {@code int} length at {@code index}, then that many bytes
     * of UTF-8, appended to {@code dst}.
     *
     * @param index the payload index of the prefix's first byte
     * @param dst where the chars are appended
     * @return the number of bytes consumed, 4 plus the prefix's length
     * @throws IndexOutOfBoundsException if the prefix, or the bytes it counts,
     *         are not all inside the payload, or the prefix is negative
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final int getUtf8Prefixed(int index, StringBuilder dst) {
        try {
            return getUtf8Prefixed(index, (Appendable) dst);
        } catch (IOException e) {
            throw new AssertionError("a StringBuilder does not throw IOException", e);
        }
    }

    /**
     * Decodes a text written by {@link WriteClaim#putUtf8Prefixed}: a
     * little-endian {@code int} length at {@code index}, then that many bytes
     * of UTF-8, appended to {@code dst}.
     *
     * @param index the payload index of the prefix's first byte
     * @param dst where the chars are appended
     * @return the number of bytes consumed, 4 plus the prefix's length
     * @throws IndexOutOfBoundsException if the prefix, or the bytes it counts,
     *         are not all inside the payload, or the prefix is negative
     * @throws IllegalStateException if the payload is no longer valid
     * @throws IOException if {@code dst} throws it; the chars decoded before are appended
     */
    public final int getUtf8Prefixed(int index, Appendable dst) throws IOException {
        checkOpen();
        final int at = at(index, Integer.BYTES);
        final int textLength = view.getInt(at);
        final int available = this.length - index - Integer.BYTES;
        if (textLength < 0 || textLength > available) {
            throw new IndexOutOfBoundsException("a length prefix of " + textLength + " at payload index " + index
                    + " of a " + this.length + "-byte record does not fit: " + available + " bytes follow it");
        }
        Utf8.decodeRange(view, at + Integer.BYTES, at + Integer.BYTES + textLength, dst);
        return Integer.BYTES + textLength;
    }

    /**
     * Appends {@code length} payload bytes from {@code index} to {@code dst}
     * as ASCII, one char per byte; a byte above 0x7F becomes U+FFFD, as in
     * {@code new String(bytes, US_ASCII)}. Allocates nothing while
     * {@code dst} has room.
     *
     * @param index the payload index of the first byte
     * @param length the number of bytes
     * @param dst where the chars are appended
     * @return {@code dst}
     * @throws IndexOutOfBoundsException if the bytes are not all inside the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public final StringBuilder getAscii(int index, int length, StringBuilder dst) {
        checkOpen();
        final int at = at(index, length);
        Utf8.decodeAsciiRange(view, at, at + length, dst);
        return dst;
    }

    /**
     * Copies {@code len} payload bytes from {@code index} into {@code dst} at {@code off}.
     *
     * @param index the payload index of the first byte
     * @param dst the destination
     * @param off where in {@code dst} to start
     * @param len how many bytes
     * @return this payload
     * @throws IndexOutOfBoundsException if the range is outside the payload or {@code dst}
     * @throws IllegalStateException if the payload is no longer valid
     */
    public Payload get(int index, byte[] dst, int off, int len) {
        checkOpen();
        Objects.checkFromIndexSize(off, len, dst.length);
        view.get(at(index, len), dst, off, len);
        return this;
    }

    /**
     * Copies the whole payload into the start of {@code dst}.
     *
     * @param dst the destination, at least {@link #length()} bytes long
     * @return this payload
     * @throws IndexOutOfBoundsException if {@code dst} is shorter than the payload
     * @throws IllegalStateException if the payload is no longer valid
     */
    public Payload get(byte[] dst) {
        return get(0, dst, 0, length());
    }

    /** The ring offset of payload index {@code index}, once {@code size} bytes there are inside the payload. */
    private int at(int index, int size) {
        if (index < 0 || size < 0 || size > length - index) {
            throw outOfBounds(index, size);
        }
        return offset + RecordDescriptor.HEADER_LENGTH + index;
    }

    private IndexOutOfBoundsException outOfBounds(int index, int size) {
        return new IndexOutOfBoundsException("cannot read " + size + " bytes at payload index " + index
                + " of a " + length + "-byte record (" + (index < 0 || index > length ? 0 : length - index)
                + " bytes available)");
    }

    final void checkOpen() {
        if (!open) {
            throw ended();
        }
    }

    /** The error for a use after the payload stopped being valid, saying why. */
    abstract IllegalStateException ended();

    /**
     * The payload a batch read hands its handler, reused for every record:
     * valid from the first record until the read ends.
     */
    static final class Handed extends Payload {

        Handed(ByteBuffer view) {
            super(view);
        }

        /** Points this payload at the next record of the read under way. */
        Payload at(long position, int offset, int length) {
            frame(position, offset, length);
            return this;
        }

        @Override
        IllegalStateException ended() {
            return new IllegalStateException("the read that handed this payload has ended: a handler's payload is"
                    + " valid during the read (until onBatchEnd returns), and is reused for every record");
        }
    }
}
