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
 * <p>Its getters, inherited from {@link Payload}, count from the payload's
 * first byte; multi-byte values are little-endian. Memory consistency
 * effects: everything the producer did before committing this record
 * happens-before the reads made through this claim.
 *
 * <p>Threading: used by the thread that owns the consumer.
 */
public final class ReadClaim extends Payload implements AutoCloseable {

    private final Consumer consumer;

    ReadClaim(Consumer consumer, ByteBuffer view) {
        super(view);
        this.consumer = consumer;
    }

    ReadClaim open(long position, int offset, int length) {
        frame(position, offset, length);
        this.open = true;
        return this;
    }

    boolean isOpen() {
        return open;
    }

    /**
     * Copies {@code len} payload bytes from {@code index} into {@code dst}
     * at {@code off}.
     *
     * @param index the payload index of the first byte
     * @param dst the destination array
     * @param off the first index of {@code dst} to write
     * @param len the number of bytes
     * @return this claim
     * @throws IndexOutOfBoundsException if the bytes are not all inside the
     *         payload, or {@code off}/{@code len} are outside {@code dst}
     * @throws IllegalStateException if the claim has been closed
     */
    @Override
    public ReadClaim get(int index, byte[] dst, int off, int len) {
        super.get(index, dst, off, len);
        return this;
    }

    /**
     * Copies the whole payload into {@code dst}, from its index 0.
     *
     * @param dst the destination, at least {@link #length()} bytes long
     * @return this claim
     * @throws IndexOutOfBoundsException if {@code dst} is shorter than the payload
     * @throws IllegalStateException if the claim has been closed
     */
    @Override
    public ReadClaim get(byte[] dst) {
        super.get(dst);
        return this;
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
    @Override
    IllegalStateException ended() {
        return new IllegalStateException("the record has been released (closed) or put back");
    }
}
