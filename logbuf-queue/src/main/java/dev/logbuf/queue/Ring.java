package dev.logbuf.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The memory of one ring: the record region, the shared positions, and the
 * only code that touches either with an ordering stronger than plain.
 *
 * <pre>
 *   0                 capacity        +128          +256          +384
 *   +-----------------+---------------+-------------+-------------+
 *   | records         | (isolation)   | tail (MPSC) | head        |
 *   +-----------------+---------------+-------------+-------------+
 * </pre>
 *
 * The memory is one direct buffer aligned to 128 bytes. Head and tail sit in
 * it at fixed offsets two cache lines apart (adjacent-line prefetch fetches
 * 128-byte pairs), so padding is a matter of placement and nothing depends on
 * how the JVM lays out fields.
 */
final class Ring {

    /*
     * Overview of the protocol (the producers and the consumer follow it; this
     * class supplies its accesses).
     *
     * Positions are free-running longs; a position's offset in the record
     * region is position & mask. The consumer owns head, the producers own
     * tail (SPSC keeps it in its handle; MPSC producers CAS it here).
     *
     * Producer: read the free space from head (acquire: the consumer zeroed
     * the bytes before releasing head, so the claimed region reads as zero),
     * reserve [tail, tail + recordSize), mark the header "in progress" with
     * the span and the claimant (a release store: the claimant's owner thread,
     * written just before, is visible to a consumer that sees the mark), write
     * the payload with plain stores,
     * then publish the header with a release store: the header is the commit
     * marker, so the payload writes are visible to whoever acquires it.
     * Aborting publishes a skip header instead; a record that does not fit
     * before the end of the region is preceded by a skip header covering the
     * bytes up to the end (wrap padding).
     *
     * Consumer: acquire the header at head. 0 means nothing is published yet;
     * an in-progress header means a producer is writing (the consumer waits,
     * or recovers the claim with a CAS once its owner is known to be gone);
     * a skip header is stepped over; a positive header is a record whose
     * payload the consumer reads in place. Releasing a record zeroes every byte
     * of it with plain stores, then publishes the new head with a release
     * store, which pairs with the producers' acquire of head: the next lap's
     * producer sees zeroes, so 0 keeps meaning "unpublished".
     */

    /** Smallest capacity a ring accepts. */
    static final int MIN_CAPACITY = 16;

    /** Largest capacity a ring accepts. */
    static final int MAX_CAPACITY = 1 << 30;

    /** Cache lines come in prefetched pairs: what two writers share must be this far apart. */
    static final int CACHE_LINE_PAIR = 128;
    /** Bytes after the record region: isolation, tail, head (and the consumer's release intent). */
    static final int TRAILER = 3 * CACHE_LINE_PAIR;

    /** Zeroes for bulk clearing; never written. */
    private static final byte[] ZEROES = new byte[4096];

    final int capacity;
    final int mask;
    final int maxRecordLength;

    /** Records and trailer, native order, aligned; the VarHandle's receiver. */
    private final ByteBuffer memory;
    /** The record region only, little-endian; claims take duplicates of it. */
    private final ByteBuffer records;
    private final int tailIndex;
    private final int headIndex;
    /** On head's line: where the consumer's release in progress ends (shared rings only). */
    private final int releasingIndex;

    /** A ring in memory of its own, for one process. */
    Ring(int requestedCapacity) {
        // alignedSlice trims both ends to the alignment: a line pair of slack at each end
        this(ByteBuffer.allocateDirect(capacityFor(requestedCapacity) + TRAILER + 2 * CACHE_LINE_PAIR - 1)
                .alignedSlice(CACHE_LINE_PAIR), capacityFor(requestedCapacity));
    }

    /**
     * A ring over {@code region}: {@code capacity} bytes of records then the
     * trailer, starting at a 128-byte-aligned address (checked by the caller).
     * Nothing is written: a new region must read as zero.
     */
    Ring(ByteBuffer region, int capacity) {
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxRecordLength = capacity - RecordDescriptor.HEADER_LENGTH;
        this.memory = region.slice(0, capacity + TRAILER).order(ByteOrder.nativeOrder());
        this.records = memory.slice(0, capacity).order(ByteOrder.LITTLE_ENDIAN);
        this.tailIndex = capacity + CACHE_LINE_PAIR;
        this.headIndex = capacity + 2 * CACHE_LINE_PAIR;
        this.releasingIndex = headIndex + 8;
    }

    /**
     * Rounds a requested capacity up to a power of two.
     *
     * @throws IllegalArgumentException if it is below 16 or above 2^30
     */
    static int capacityFor(int requested) {
        if (requested < MIN_CAPACITY || requested > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity " + requested + " is outside "
                    + MIN_CAPACITY + ".." + MAX_CAPACITY + " bytes");
        }
        return Integer.highestOneBit(requested - 1) << 1;
    }

    /**
     * The bytes a record of {@code length} occupies, after checking the length.
     *
     * @throws IllegalArgumentException if length is not in 1..maxRecordLength
     */
    int recordSizeFor(int length) {
        if (length <= 0 || length > maxRecordLength) {
            throw new IllegalArgumentException("record length " + length + " is outside 1.."
                    + maxRecordLength + " (maxRecordLength of a " + capacity + "-byte ring)");
        }
        return RecordDescriptor.recordSize(length);
    }

    /** The offset of a position in the record region. */
    int offset(long position) {
        return (int) position & mask;
    }

    /**
     * The wrap padding a record needs at {@code offset}: 0 when it fits before
     * the end of the region, else every byte up to the end.
     */
    int paddingFor(int offset, int recordSize) {
        final int toEnd = capacity - offset;
        return recordSize <= toEnd ? 0 : toEnd;
    }

    /** A writable little-endian view of the record region, for one claim flyweight. */
    ByteBuffer writableView() {
        return records.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A read-only little-endian view of the record region, for the consumer. */
    ByteBuffer readOnlyView() {
        return records.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    // ---------------------------------------------------------------- mechanics
    // Every access to shared memory with an ordering stronger than plain is here.

    private static final VarHandle LONGS =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Consumer: the header at {@code offset}; pairs with {@link #publishRelease}. */
    long headerAcquire(int offset) {
        return (long) LONGS.getAcquire(memory, offset);
    }

    /**
     * Producer: publishes a header (a commit or a skip); pairs with the
     * consumer's {@link #headerAcquire}, so every payload write before it is
     * visible to the consumer that sees the header.
     */
    void publishRelease(int offset, long header) {
        LONGS.setRelease(memory, offset, header);
    }

    /**
     * Ends an in-progress claim only if its header is still exactly
     * {@code expected}. Used where two parties may end the same claim: the
     * consumer recovering a claim whose owner is gone, and a thread other than
     * the claim's owner ending it (a producer handle closed from another
     * thread). A volatile CAS: of the two, exactly one takes effect, and the
     * loser sees what the winner wrote. The owner's own commit and abort are
     * release stores; recovery never races them, because it waits until the
     * owner can no longer run them.
     */
    boolean casHeader(int offset, long expected, long update) {
        return LONGS.compareAndSet(memory, offset, expected, update);
    }

    /**
     * Producer: the consumer's head; pairs with {@link #headRelease}, so the
     * zeroing of every byte before head is visible before the producer reuses it.
     */
    long headAcquire() {
        return (long) LONGS.getAcquire(memory, headIndex);
    }

    /**
     * Consumer: publishes a new head after zeroing the released bytes; pairs
     * with the producers' {@link #headAcquire}.
     */
    void headRelease(long head) {
        LONGS.setRelease(memory, headIndex, head);
    }

    /**
     * The MPSC tail (producers; the consumer's look for an unmarked
     * reservation; monitoring). Opaque suffices: nothing is published
     * through tail, and {@link #casTail} validates the value read.
     */
    long tailOpaque() {
        return (long) LONGS.getOpaque(memory, tailIndex);
    }

    /**
     * Shared SPSC producer: mirrors its tail where a producer process that
     * takes over after it finds it. Opaque: the new producer reads it only
     * after this process is gone, and then checks the headers beyond it.
     */
    void tailMirrorOpaque(long tail) {
        LONGS.setOpaque(memory, tailIndex, tail);
    }

    /**
     * Shared ring's consumer, before it zeroes {@code [head, to)}: announces
     * the release, so a consumer that takes over after this process died
     * completes it instead of mistaking the zeroed bytes for unpublished ones.
     * The fence keeps the zeroing stores after this one (they are plain);
     * pairs with {@link #releasingAcquire}.
     */
    void announceRelease(long to) {
        LONGS.setOpaque(memory, releasingIndex, to);
        VarHandle.storeStoreFence();
    }

    /**
     * Where the last announced release ends; pairs with {@link #announceRelease}:
     * a reader that has seen a zero written by that release sees the announcement.
     */
    long releasingAcquire() {
        return (long) LONGS.getAcquire(memory, releasingIndex);
    }

    /**
     * The tail with acquire: a consumer looking for the owner of a reservation
     * not yet marked reads the producers' intents after it (each intent is
     * written before the CAS that moved the tail past it).
     */
    long tailAcquire() {
        return (long) LONGS.getAcquire(memory, tailIndex);
    }

    /** Monitoring: the consumer's head as last published. */
    long headOpaque() {
        return (long) LONGS.getOpaque(memory, headIndex);
    }

    /** MPSC producer: reserves {@code [expected, update)}; a volatile CAS, so claims are totally ordered. */
    boolean casTail(long expected, long update) {
        return LONGS.compareAndSet(memory, tailIndex, expected, update);
    }

    /**
     * Consumer: zeroes the bytes of positions {@code [from, to)}, which span
     * at most the whole region and may cross its end, with plain stores that
     * become visible through the {@link #headRelease} that follows. The range
     * must not be empty ({@code to > from}; callers check): {@link #zero}
     * stores at least one word.
     */
    void zeroRange(long from, long to) {
        final int offset = offset(from);
        final int length = (int) (to - from);
        final int first = Math.min(length, capacity - offset);
        zero(offset, first);
        if (length > first) {
            zero(0, length - first);
        }
    }

    /**
     * Consumer: zeroes {@code length} bytes at {@code offset} with plain stores.
     * They become visible to producers through the {@link #headRelease} that
     * follows.
     */
    void zero(int offset, int length) {
        // length is a positive multiple of 8. One or two stores for the smallest records; above
        // that a bulk copy from a zero array beats a store loop (JMH here: 4.4 ns against 11 ns
        // for 64 bytes, 12 ns against 35 ns for 1032)
        final ByteBuffer records = this.records;
        if (length <= 16) {
            records.putLong(offset, 0L);
            if (length == 16) {
                records.putLong(offset + 8, 0L);
            }
            return;
        }
        int done = 0;
        while (done < length) {
            final int n = Math.min(length - done, ZEROES.length);
            records.put(offset + done, ZEROES, 0, n);
            done += n;
        }
    }
}
