package dev.logbuf.queue;

import dev.logbuf.queue.internal.CommitHook;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The bytes a producer claimed in the ring, written in place and then
 * committed or aborted.
 *
 * <p>A {@code WriteClaim} is a flyweight owned by the producer handle that
 * returned it and reused for every claim of that handle: claiming allocates
 * nothing. It is valid from {@code tryClaim} until it ends with
 * {@link #commit()}, {@link #abort()} or {@link #close()}; any use after that
 * throws {@link IllegalStateException}. Keep no reference to it past its end:
 * the next claim of the same handle returns the same object.
 *
 * <pre>{@code
 * try (WriteClaim claim = producer.tryClaim(bytes.length)) {
 *     if (claim == null) {
 *         return false;               // full: try again later
 *     }
 *     claim.put(bytes);
 *     claim.commit();                 // without it, close() aborts the claim
 * }
 * }</pre>
 *
 * <p><b>Always end a claim.</b> Records are consumed in claim order, so a claim
 * that is never committed, aborted or closed holds the consumer at that
 * record. Use try-with-resources (it skips a {@code null} resource), or
 * {@code try}/{@code finally}. A claim whose thread terminates, or whose
 * producer handle is collected, before it ends is dead:
 * {@link Consumer#unblock()} steps over it and it is never committed. A claim
 * held by a live thread is never taken away; the consumer reports it as a
 * stall.
 *
 * <p>A claim belongs to the thread that made it. Another thread may write and
 * end it (say, to complete an asynchronous read into {@link #buffer()}) only
 * while the claiming thread is alive: once that thread has terminated, the
 * consumer may recover the claim at any moment, and a write that lands after
 * that may land in someone else's record. Ending a claim from another thread
 * never takes effect twice: if the claim was recovered first, {@link #commit()}
 * throws and {@link #abort()} does nothing.
 *
 * <p>The payload is {@link #length()} bytes; bytes that are not written read as
 * zero. Multi-byte values are little-endian. Indexed puts count from the
 * payload's first byte and leave the {@link #buffer()}'s position alone. Text
 * is encoded in place from any {@link CharSequence}, allocating nothing:
 * {@link #putUtf8} (an unpaired surrogate becomes {@code '?'}),
 * {@link #putUtf8Prefixed}, {@link #putAscii}; {@link Utf8#utf8Length} sizes
 * the claim. A put that does not fit writes nothing and throws
 * {@link IndexOutOfBoundsException}, naming the claim's length, the index,
 * the bytes needed and the bytes available.
 *
 * <p>Memory consistency effects: everything the producing thread does before
 * {@link #commit()} happens-before the consumer's read of that record.
 *
 * <p>Threading: used by the thread that owns the producer handle.
 */
public final class WriteClaim implements AutoCloseable {

    private final Ring ring;
    /** The handle this claim belongs to: a reachable claim keeps its handle reachable (and in the queue). */
    @SuppressWarnings("unused") // held, never read: it is the reference that matters
    private final ProducerHandle handle;
    /** The handle's claimant: owner thread, id, counters. */
    private final Claimant claimant;
    /** Writable view of the record region; position..limit is the unwritten rest of the payload. */
    private final ByteBuffer view;
    /** Where putUtf8 copies a text's chars, a chunk at a time: cheaper than a charAt per char. */
    private final char[] scratch = new char[Utf8.CHUNK];
    /** Offset of the header of the claimed record. */
    private int offset;
    private int length;
    private boolean open;
    /** What runs after each commit (the channel's wake-up), or null; set before the handle is used. */
    private CommitHook hook;

    WriteClaim(Ring ring, ProducerHandle handle, Claimant claimant) {
        this.ring = ring;
        this.handle = handle;
        this.claimant = claimant;
        this.view = ring.writableView();
    }

    /** Sets what runs after each commit; see {@link dev.logbuf.queue.internal.Hooks}. */
    void hook(CommitHook hook) {
        this.hook = hook;
    }

    /** Starts a claim of {@code length} bytes whose header is at {@code offset}. */
    WriteClaim open(int offset, int length) {
        final int start = offset + RecordDescriptor.HEADER_LENGTH;
        this.offset = offset;
        this.length = length;
        this.open = true;
        view.limit(start + length);
        view.position(start);
        return this;
    }

    /**
     * Throws unless this flyweight is free for a new claim. A claim left open
     * by a thread that has terminated is dead: it is aborted here, so the
     * handle can be used again by another thread.
     *
     * @throws IllegalStateException if a claim is open and its thread is alive
     */
    void checkIdle() {
        if (open) {
            final Thread owner = claimant.owner;
            final Thread current = Thread.currentThread();
            if (owner == current) {
                // most likely this thread's own claim; under two threads at once, the other's, whose
                // owner this thread overwrote: say both
                throw new IllegalStateException("a claim of " + length
                        + " bytes is still open on this producer: commit, abort or close it first (if another"
                        + " thread uses this producer at the same time, it may be that thread's: "
                        + ProducerHandle.ONE_THREAD_AT_A_TIME + ")");
            }
            if (owner.isAlive()) {
                throw new IllegalStateException("two threads use this producer at once: " + current
                        + " tried to claim while " + owner + " holds a claim of " + length + " bytes: "
                        + ProducerHandle.ONE_THREAD_AT_A_TIME);
            }
            abort();
        }
    }

    /**
     * The payload length this claim was made for.
     *
     * @return the number of payload bytes
     * @throws IllegalStateException if the claim has ended
     */
    public int length() {
        checkOpen();
        return length;
    }

    /**
     * A writable view of the payload: its position is the next byte that
     * {@link #put(byte[])} and its siblings write, its limit is the end of the
     * payload. Relative writes through it cannot pass the payload's end, so
     * {@code channel.read(claim.buffer())} fills the claim in place.
     *
     * <p><b>WARNING: the view's absolute indexes are ring coordinates, not
     * payload indexes.</b> {@code buffer().putShort(12, v)} writes into
     * whatever lies at ring byte 12: another record, unread, or a header.
     * Write fields with this claim's own puts ({@link #putLong(int, long)}
     * and its siblings), which count from the payload's first byte, as a
     * reader's {@link Payload} getters do; use the view only relative to
     * its position, within {@code [position(), limit())}. It is reused for
     * every claim, valid only until the claim ends, little-endian; do not
     * change its limit.
     *
     * @return the view, shared with this claim's own methods
     * @throws IllegalStateException if the claim has ended
     */
    public ByteBuffer buffer() {
        checkOpen();
        return view;
    }

    /**
     * Appends all of {@code src} at the current write position.
     *
     * @param src the bytes to copy
     * @return this claim
     * @throws IndexOutOfBoundsException if fewer than {@code src.length} bytes remain
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim put(byte[] src) {
        return put(src, 0, src.length);
    }

    /**
     * Appends {@code len} bytes of {@code src} from {@code off} at the current
     * write position.
     *
     * @param src the source array
     * @param off the first byte of {@code src} to copy
     * @param len the number of bytes to copy
     * @return this claim
     * @throws IndexOutOfBoundsException if {@code off}/{@code len} are outside
     *         {@code src}, or fewer than {@code len} bytes remain in the claim
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim put(byte[] src, int off, int len) {
        checkOpen();
        Objects.checkFromIndexSize(off, len, src.length);
        checkRemaining(len);
        view.put(src, off, len);
        return this;
    }

    /**
     * Appends the remaining bytes of {@code src} at the current write position,
     * advancing {@code src}'s position past them.
     *
     * @param src the bytes to copy
     * @return this claim
     * @throws IndexOutOfBoundsException if fewer than {@code src.remaining()} bytes remain
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim put(ByteBuffer src) {
        checkOpen();
        checkRemaining(src.remaining());
        view.put(src);
        return this;
    }

    /**
     * Writes one byte at {@code index} from the start of the payload.
     *
     * @param index the payload index
     * @param value the byte
     * @return this claim
     * @throws IndexOutOfBoundsException if {@code index} is outside the payload
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim putByte(int index, byte value) {
        checkOpen();
        view.put(at(index, Byte.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian {@code short} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @param value the value
     * @return this claim
     * @throws IndexOutOfBoundsException if the two bytes are not all inside the payload
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim putShort(int index, short value) {
        checkOpen();
        view.putShort(at(index, Short.BYTES), value);
        return this;
    }

    /**
     * Writes a {@code char} as a little-endian UTF-16 code unit at {@code index}
     * from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @param value the value
     * @return this claim
     * @throws IndexOutOfBoundsException if the two bytes are not all inside the payload
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim putChar(int index, char value) {
        checkOpen();
        view.putChar(at(index, Character.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian {@code int} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @param value the value
     * @return this claim
     * @throws IndexOutOfBoundsException if the four bytes are not all inside the payload
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim putInt(int index, int value) {
        checkOpen();
        view.putInt(at(index, Integer.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian {@code long} at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @param value the value
     * @return this claim
     * @throws IndexOutOfBoundsException if the eight bytes are not all inside the payload
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim putLong(int index, long value) {
        checkOpen();
        view.putLong(at(index, Long.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian {@code float} (its {@link Float#floatToRawIntBits
     * raw bits}) at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @param value the value
     * @return this claim
     * @throws IndexOutOfBoundsException if the four bytes are not all inside the payload
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim putFloat(int index, float value) {
        checkOpen();
        view.putFloat(at(index, Float.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian {@code double} (its {@link Double#doubleToRawLongBits
     * raw bits}) at {@code index} from the start of the payload.
     *
     * @param index the payload index of the first byte
     * @param value the value
     * @return this claim
     * @throws IndexOutOfBoundsException if the eight bytes are not all inside the payload
     * @throws IllegalStateException if the claim has ended
     */
    public WriteClaim putDouble(int index, double value) {
        checkOpen();
        view.putDouble(at(index, Double.BYTES), value);
        return this;
    }

    /**
     * Writes {@code text} as ASCII, one byte per char, at {@code index} from
     * the start of the payload. Reads {@code text} without copying it and
     * allocates nothing.
     *
     * <p>Every char must be ASCII (below U+0080). A char that is not is a bug
     * in the caller, not data to mend: the write is refused, naming the char's
     * index, rather than turned into {@code '?'} that nobody would notice in
     * an archive. For text that may hold anything, {@link #putUtf8} costs the
     * same on ASCII.
     *
     * <p>Nothing is written unless all of it can be: the bounds and every
     * char are checked first.
     *
     * @param index the payload index of the first byte
     * @param text the text
     * @return the number of bytes written, {@code text.length()}
     * @throws IndexOutOfBoundsException if the text does not fit in the payload
     *         from {@code index}; the message names the claim's length, the
     *         index, the bytes needed and the bytes available
     * @throws IllegalArgumentException if a char of {@code text} is not ASCII;
     *         the message names its index in {@code text}
     * @throws IllegalStateException if the claim has ended
     */
    public int putAscii(int index, CharSequence text) {
        checkOpen();
        final int n = text.length();
        final int at = at(index, n);
        for (int i = 0; i < n; i++) {
            final char c = text.charAt(i);
            if (c >= 0x80) {
                throw new IllegalArgumentException("putAscii: char " + i + " of the text is "
                        + String.format("U+%04X", (int) c) + ", not ASCII: nothing was written (putUtf8 writes any text)");
            }
        }
        for (int i = 0; i < n; i++) {
            view.put(at + i, (byte) text.charAt(i));
        }
        return n;
    }

    /**
     * Writes {@code text} in UTF-8 at {@code index} from the start of the
     * payload, encoding straight from the {@link CharSequence}: no copy, no
     * allocation. The bytes are exactly those of
     * {@code String.getBytes(StandardCharsets.UTF_8)}: a surrogate pair
     * becomes one 4-byte sequence and an <b>unpaired surrogate becomes
     * {@code '?'}</b> (0x3F), as the JDK's encoder writes it.
     * {@link Utf8#utf8Length} says how many bytes that is, to size a claim.
     *
     * <p>Nothing is written unless all of it fits: when three bytes per char
     * might not fit, the text is measured before the first byte is written.
     *
     * @param index the payload index of the first byte
     * @param text the text
     * @return the number of bytes written
     * @throws IndexOutOfBoundsException if the text does not fit in the payload
     *         from {@code index}; the message names the claim's length, the
     *         index, the bytes needed and the bytes available
     * @throws java.util.ConcurrentModificationException if another thread
     *         changes {@code text} while it is written so that it no longer
     *         fits; the write stops at the end of the claim
     * @throws IllegalStateException if the claim has ended
     */
    public int putUtf8(int index, CharSequence text) {
        checkOpen();
        final int available = available(index);
        if (available < 0 || 3L * text.length() > available && Utf8.measure(text, scratch) > available) {
            throw outOfBounds(index, Utf8.measure(text));
        }
        final int start = offset + RecordDescriptor.HEADER_LENGTH;
        return Utf8.encode(text, scratch, view, start + index, start + length);
    }

    /**
     * Writes {@code text} in UTF-8 after a 4-byte little-endian {@code int}
     * holding its length in bytes, at {@code index} from the start of the
     * payload: a text the reader can find the end of,
     * {@link ReadClaim#getUtf8Prefixed} and {@link Utf8#decodePrefixed}. The
     * bytes after the prefix are those of {@link #putUtf8} (an unpaired
     * surrogate becomes {@code '?'}). The prefix is an {@code int}, as
     * {@link #putInt} writes it, because a record may hold up to 2<sup>30</sup>
     * bytes and a 2-byte prefix would cap a text (a stack trace, say) at 64 KiB.
     *
     * <p>Nothing is written unless all of it fits.
     *
     * @param index the payload index of the prefix's first byte
     * @param text the text
     * @return the number of bytes written, 4 plus the text's UTF-8 length
     * @throws IndexOutOfBoundsException if the prefix and the text do not fit
     *         in the payload from {@code index}; the message names the claim's
     *         length, the index, the bytes needed and the bytes available
     * @throws java.util.ConcurrentModificationException if another thread
     *         changes {@code text} while it is written so that it no longer
     *         fits; the write stops at the end of the claim
     * @throws IllegalStateException if the claim has ended
     */
    public int putUtf8Prefixed(int index, CharSequence text) {
        checkOpen();
        final int available = available(index) - Integer.BYTES;
        if (available < 0 || 3L * text.length() > available && Utf8.measure(text, scratch) > available) {
            throw outOfBounds(index, Integer.BYTES + Utf8.measure(text));
        }
        final int at = offset + RecordDescriptor.HEADER_LENGTH + index;
        final int written = Utf8.encode(text, scratch, view, at + Integer.BYTES, at + Integer.BYTES + available);
        view.putInt(at, written);
        return Integer.BYTES + written;
    }

    /**
     * Publishes the record to the consumer and ends the claim.
     *
     * @throws IllegalStateException if the claim has already ended
     */
    public void commit() {
        checkOpen();
        end(length);
    }

    /**
     * Publishes the first {@code length} bytes of the claim as the record and
     * gives the rest back, ending the claim: for a record whose size is known
     * only once it is written, such as text.
     *
     * <pre>{@code
     * try (WriteClaim claim = sender.send(8 + 3 * message.length())) {  // the most UTF-8 can take
     *     int n = claim.putLong(0, stamp).putUtf8(8, message);        // one pass over the text
     *     claim.commit(8 + n);
     * }
     * }</pre>
     *
     * <p>The consumer sees a record of {@code length} bytes; the bytes after
     * it are stepped over like an aborted claim's, zeroed with the record,
     * and count nowhere. The ring is reserved for the whole claim until the
     * consumer has passed it, so claim what the record can take at most, not
     * more. {@code commit(length())} is {@link #commit()}.
     *
     * @param length the record's payload length, from 1 to {@link #length()}
     * @throws IllegalArgumentException if {@code length} is below 1 or above
     *         the claim's length; the claim stays open, unchanged
     * @throws IllegalStateException if the claim has already ended
     */
    public void commit(int length) {
        checkOpen();
        if (length < 1 || length > this.length) {
            throw new IllegalArgumentException("commit(" + length + ") on a claim of " + this.length
                    + " bytes: a record keeps 1 to " + this.length + " of them; the claim is still open");
        }
        end(length);
    }

    /** Commits the first {@code kept} payload bytes; a shorter record is followed by a skip over the rest. */
    private void end(int kept) {
        open = false;
        final int span = RecordDescriptor.recordSize(length);
        final int recordSize = RecordDescriptor.recordSize(kept);
        final long committed = RecordDescriptor.committed(kept);
        if (claimant.owner == Thread.currentThread()) {
            if (recordSize < span) {
                // the rest of the claim, past the shorter record, is stepped over. Release, though
                // the commit's release store below would publish it too: a consumer that sees the
                // record sees this skip after it. Written first: the owner is alive and using the
                // handle, so nothing recovers the claim under it
                ring.publishRelease(offset + recordSize, RecordDescriptor.skip(span - recordSize));
            }
            // release: pairs with the consumer's headerAcquire; the payload is visible with the header.
            // A plain release store: the consumer recovers a claim only once its owner thread has
            // terminated or its handle is gone, and this thread is the owner, alive, using the handle
            ring.publishRelease(offset, committed);
        } else if (endElsewhere(committed)) {
            if (recordSize < span) {
                // only once the CAS won: had the consumer recovered the claim, these bytes might be
                // reused already. Release: pairs with the consumer's headerAcquire; until it lands
                // the consumer waits at this position as at a reservation not yet marked
                ring.publishRelease(offset + recordSize, RecordDescriptor.skip(span - recordSize));
            }
        } else {
            claimant.claimEnded(); // release: as below
            throw new IllegalStateException("the record was not committed: the claim was ended elsewhere, recovered"
                    + " by the consumer after its thread " + claimant.owner.getName() + " terminated, or ended by"
                    + " another thread using this producer at the same time (" + ProducerHandle.ONE_THREAD_AT_A_TIME
                    + ")");
        }
        // release, after the header: a consumer that reads the claim ended sees how (see Handles.owner)
        claimant.claimEnded();
        claimant.countCommit(kept);
        final CommitHook hook = this.hook;
        if (hook != null) {
            hook.committed(); // after the header: the channel wakes a parked receiver to read it
        }
        // the handle must stay reachable (and in the queue) until the header is written
        Reference.reachabilityFence(this);
    }

    /**
     * Gives the claimed bytes back unpublished and ends the claim: the
     * consumer steps over them and never sees them.
     *
     * @throws IllegalStateException if the claim has already ended
     */
    public void abort() {
        checkOpen();
        open = false;
        final long skip = RecordDescriptor.skip(RecordDescriptor.recordSize(length));
        if (claimant.owner == Thread.currentThread()) {
            // release: pairs with the consumer's headerAcquire, as a commit does
            ring.publishRelease(offset, skip);
            claimant.countAbort();
        } else if (endElsewhere(skip)) {
            claimant.countAbort();
        } // else the consumer recovered the claim first: that recovery was the abort, counted as one
        // release, after the header: a consumer that reads the claim ended sees how (see Handles.owner)
        claimant.claimEnded();
        Reference.reachabilityFence(this);
    }

    /**
     * Ends the claim from a thread that did not make it: the owner may have
     * terminated, so the consumer may be recovering the claim right now. The
     * CAS (volatile, paired with the consumer's in Consumer.unblock) lets
     * exactly one of the two end it.
     *
     * @return false if the consumer recovered it first
     */
    private boolean endElsewhere(long header) {
        final int span = RecordDescriptor.recordSize(length);
        return ring.casHeader(offset, RecordDescriptor.inProgress(claimant.id, span), header);
    }

    /**
     * Aborts the claim if it was neither committed nor aborted; otherwise does
     * nothing. Closing more than once is harmless.
     */
    @Override
    public void close() {
        if (open) {
            abort();
        }
    }

    /** The view index of payload byte {@code index}, once {@code size} bytes from there are checked to be inside the payload. */
    private int at(int index, int size) {
        if (index < 0 || size > length - index) {
            throw outOfBounds(index, size);
        }
        return offset + RecordDescriptor.HEADER_LENGTH + index;
    }

    /** The payload bytes from {@code index} to the end, or -1 if {@code index} is outside {@code [0, length]}. */
    private int available(int index) {
        return index < 0 || index > length ? -1 : length - index;
    }

    private IndexOutOfBoundsException outOfBounds(int index, long size) {
        return new IndexOutOfBoundsException("cannot write " + size + " bytes at payload index " + index
                + " of a " + length + "-byte claim (" + Math.max(0, available(index)) + " bytes available)");
    }

    /** Checks against the payload's bounds, not the view's, so a moved limit cannot widen a write. */
    private void checkRemaining(int len) {
        final int start = offset + RecordDescriptor.HEADER_LENGTH;
        final int position = view.position();
        final int remaining = start + length - position;
        if (position < start || len > remaining) {
            throw outOfBounds(position - start, len);
        }
    }

    private void checkOpen() {
        if (!open) {
            throw ended();
        }
    }

    /** Cold: the claim has ended; names the thread that made the handle's latest claim if it is another. */
    private IllegalStateException ended() {
        // nothing of this handle can be in progress while its flyweight is closed, unless two threads
        // used it at once and one's claim was opened over the other's: that one can never be ended, so
        // say so to the consumer (release, though no header of this thread precedes it: see Handles.owner)
        claimant.claimEnded();
        final Thread owner = claimant.owner;
        final Thread current = Thread.currentThread();
        if (owner == null || owner == current) {
            return new IllegalStateException("the claim has ended (committed, aborted or closed): a claim is not"
                    + " used after its end. If two threads use this producer at once, one may have ended the"
                    + " other's claim: " + ProducerHandle.ONE_THREAD_AT_A_TIME);
        }
        return new IllegalStateException("the claim has ended (committed, aborted or closed); this producer's"
                + " latest claim was made by " + owner + ", not by " + current + ": if both threads use it, "
                + ProducerHandle.ONE_THREAD_AT_A_TIME);
    }
}
