package dev.logbuf.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One committed record, read in place and then released.
 *
 * <p>A {@code ReadClaim} is a flyweight owned by the {@link Consumer} and
 * reused for every record: reading allocates nothing. It is valid from
 * {@link Consumer#tryClaim()} until {@link #close()}, which zeroes the
 * record's bytes and gives them back to the producers; any use after that
 * throws {@link IllegalStateException}. A record can also be put back:
 * {@link #putBack()} ends the claim and leaves the record in the ring,
 * unchanged, to be handed out again by the next claim or read.
 *
 * <pre>{@code
 * try (ReadClaim record = consumer.tryClaim()) {
 *     if (record != null) {
 *         fileChannel.write(record.buffer());   // archive without a copy
 *     }
 * }
 * }</pre>
 *
 * <p>The producers cannot reuse the record's bytes until it is closed: a
 * claim that is never closed stops the ring once it fills.
 *
 * <p>Multi-byte values are little-endian. Memory consistency effects:
 * everything the producer did before committing this record happens-before
 * the reads made through this claim.
 *
 * <p>Threading: used by the thread that owns the consumer.
 */
public final class ReadClaim implements AutoCloseable {

    private final Consumer consumer;
    /** Read-only view of the record region; position..limit is the payload. */
    private final ByteBuffer view;
    private int offset;
    private int length;
    private boolean open;

    ReadClaim(Consumer consumer, ByteBuffer view) {
        this.consumer = consumer;
        this.view = view;
    }

    ReadClaim open(int offset, int length) {
        this.offset = offset;
        this.length = length;
        this.open = true;
        Consumer.frame(view, offset, length);
        return this;
    }

    boolean isOpen() {
        return open;
    }

    /**
     * The payload length of this record.
     *
     * @return the number of payload bytes, at least 1
     * @throws IllegalStateException if the claim has been closed
     */
    public int length() {
        checkOpen();
        return length;
    }

    /**
     * The ring position of this record (not to be confused with the position
     * of its {@link #buffer()}): free-running, unique for the life of the ring,
     * increasing from record to record. On a ring shared between processes,
     * a consumer process that dies before closing a claim leaves the record in
     * the ring, and the next consumer reads it again; an archiver that must
     * store each record once keeps the position with what it stored and skips
     * positions it already has.
     *
     * @return the record's position
     * @throws IllegalStateException if the claim has been closed
     */
    public long position() {
        checkOpen();
        return consumer.position();
    }

    /**
     * A read-only view of the payload: position..limit is exactly the record's
     * bytes, so {@code channel.write(record.buffer())} writes the record
     * without a copy. The view is reused for every record and valid until
     * {@link #close()}; absolute indexes count from the start of the ring's
     * record region, so read relative to {@code position()}.
     *
     * @return the view
     * @throws IllegalStateException if the claim has been closed
     */
    public ByteBuffer buffer() {
        checkOpen();
        return view;
    }

    /**
     * Reads the byte at {@code index} from the start of the payload.
     *
     * @param index the payload index
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is outside the payload
     * @throws IllegalStateException if the claim has been closed
     */
    public byte getByte(int index) {
        checkOpen();
        return view.get(at(index, Byte.BYTES));
    }

    /**
     * Reads the little-endian {@code short} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the two bytes are not all inside the payload
     * @throws IllegalStateException if the claim has been closed
     */
    public short getShort(int index) {
        checkOpen();
        return view.getShort(at(index, Short.BYTES));
    }

    /**
     * Reads the little-endian UTF-16 code unit at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the two bytes are not all inside the payload
     * @throws IllegalStateException if the claim has been closed
     */
    public char getChar(int index) {
        checkOpen();
        return view.getChar(at(index, Character.BYTES));
    }

    /**
     * Reads the little-endian {@code int} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the four bytes are not all inside the payload
     * @throws IllegalStateException if the claim has been closed
     */
    public int getInt(int index) {
        checkOpen();
        return view.getInt(at(index, Integer.BYTES));
    }

    /**
     * Reads the little-endian {@code long} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the eight bytes are not all inside the payload
     * @throws IllegalStateException if the claim has been closed
     */
    public long getLong(int index) {
        checkOpen();
        return view.getLong(at(index, Long.BYTES));
    }

    /**
     * Reads the little-endian {@code float} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the four bytes are not all inside the payload
     * @throws IllegalStateException if the claim has been closed
     */
    public float getFloat(int index) {
        checkOpen();
        return view.getFloat(at(index, Float.BYTES));
    }

    /**
     * Reads the little-endian {@code double} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @return the value
     * @throws IndexOutOfBoundsException if the eight bytes are not all inside the payload
     * @throws IllegalStateException if the claim has been closed
     */
    public double getDouble(int index) {
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
     * @throws IllegalStateException if the claim has been closed
     */
    public StringBuilder getUtf8(int index, int length, StringBuilder dst) {
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
     * @throws IllegalStateException if the claim has been closed
     * @throws IOException if {@code dst} throws it; the chars decoded before are appended
     */
    public Appendable getUtf8(int index, int length, Appendable dst) throws IOException {
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
     * @throws IllegalStateException if the claim has been closed
     */
    public int getUtf8Prefixed(int index, StringBuilder dst) {
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
     * @throws IllegalStateException if the claim has been closed
     * @throws IOException if {@code dst} throws it; the chars decoded before are appended
     */
    public int getUtf8Prefixed(int index, Appendable dst) throws IOException {
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
     * @throws IllegalStateException if the claim has been closed
     */
    public StringBuilder getAscii(int index, int length, StringBuilder dst) {
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
     * @return this claim
     * @throws IndexOutOfBoundsException if the range is outside the payload or {@code dst}
     * @throws IllegalStateException if the claim has been closed
     */
    public ReadClaim get(int index, byte[] dst, int off, int len) {
        checkOpen();
        Objects.checkFromIndexSize(off, len, dst.length);
        view.get(at(index, len), dst, off, len);
        return this;
    }

    /**
     * Copies the whole payload into the start of {@code dst}.
     *
     * @param dst the destination, at least {@link #length()} bytes long
     * @return this claim
     * @throws IndexOutOfBoundsException if {@code dst} is shorter than the payload
     * @throws IllegalStateException if the claim has been closed
     */
    public ReadClaim get(byte[] dst) {
        return get(0, dst, 0, length());
    }

    /**
     * Zeroes the record, gives its bytes back to the producers and ends the
     * claim: the record is consumed. Closing more than once, or after
     * {@link #putBack()}, is harmless (so a try-with-resources block may put the
     * record back inside and close it on the way out).
     */
    @Override
    public void close() {
        if (open) {
            open = false;
            consumer.release(offset, length);
        }
    }

    /**
     * Puts the record back: ends the claim without consuming it. The record
     * stays in the ring, its bytes untouched, and is the first one the next
     * {@link Consumer#tryClaim()} or batch read hands out; the producers
     * cannot reuse its bytes meanwhile. Use it when the record cannot be
     * handled now (its destination failed, say) and must not be lost.
     *
     * <pre>{@code
     * try (ReadClaim record = consumer.tryClaim()) {
     *     if (record != null && !sink.offer(record.buffer())) {
     *         record.putBack();   // handed out again next time; close() then does nothing
     *     }
     * }
     * }</pre>
     *
     * <p>Named apart from {@link WriteClaim#abort()}, which discards a record
     * being written: this keeps a record being read.
     *
     * @throws IllegalStateException if the claim has already ended (closed or put back)
     */
    public void putBack() {
        checkOpen();
        open = false;
    }

    /** The view index of payload byte {@code index}, once {@code size} bytes from there are checked to be inside the payload. */
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

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("the record has been released (closed) or put back");
        }
    }
}
