package dev.logbuf.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The layout of a ring that processes share, and every access to its header
 * area: the identity written once by {@code create}, the consumer's role
 * word, and the producer slots.
 *
 * <pre>
 *   offset                       (all words native byte order: a ring file belongs to one machine)
 *   0       +----------------------------------------------+
 *           | magic "LOGBUFRG" (8)                         |  written last by create (release)
 *   8       | layout version (4)      | kind (4) 1 SPSC, 2 MPSC
 *   16      | capacity (4)            | producer slots (4)  |
 *   24      | creation id (8), random, never 0             |
 *   32      | records offset (4)      | 0 (4)              |
 *   40      | total size (8)                               |
 *   128     +----------------------------------------------+
 *           | consumer role (8)                            |  0, or held: process id + start
 *   256     +----------------------------------------------+
 *           | slot 0: state (8) | generation (8) | intent start (8) | intent size (8) |
 *   384     | slot 1 ... (one 128-byte line pair each: a producer writes only its own)
 *   ...     +----------------------------------------------+
 *   R       | records (capacity bytes)                     |  R = 256 + 128 * slots, rounded up to 4096
 *   R+cap   | isolation (128) | tail (128) | head, release end (128) |   (Ring's trailer)
 *           +----------------------------------------------+
 * </pre>
 *
 * <p>A role word (the consumer's, or a slot's state) is 0 when free; held, it
 * is {@code HELD | fingerprint << 32 | pid}: the holder's process id and its
 * start time in seconds (31 bits), so a process id the OS has reused is not
 * taken for the holder (see {@link SharedHandles#START_TOLERANCE}). Roles are
 * taken with a CAS.
 *
 * <p>Versioning rule: the layout version changes whenever the meaning or the
 * place of any byte changes; attach accepts exactly its own version. Fields
 * are only ever added in bytes that read as zero in older files, and then the
 * version still changes.
 */
final class RingFile {

    /** "LOGBUFRG" in ASCII, most significant byte first. */
    static final long MAGIC = 0x4C4F_4742_5546_5247L;
    /** The layout this code reads and writes. */
    static final int VERSION = 1;
    static final int KIND_SPSC = 1;
    static final int KIND_MPSC = 2;
    /** Producer slots of an MPSC ring: at most this many producer handles at once, over all processes. */
    static final int MPSC_SLOTS = 256;
    /** Slots are indexed by the low bits of a claimant id; the rest is the slot's generation. */
    static final int SLOT_BITS = 8;
    static final int GENERATION_MASK = RecordDescriptor.CLAIMANT_MASK >>> SLOT_BITS;

    private static final int MAGIC_AT = 0;
    private static final int VERSION_AT = 8;
    private static final int KIND_AT = 12;
    private static final int CAPACITY_AT = 16;
    private static final int SLOTS_AT = 20;
    private static final int CREATION_ID_AT = 24;
    private static final int RECORDS_AT = 32;
    private static final int SIZE_AT = 40;
    private static final int CONSUMER_AT = 128;
    private static final int SLOTS_START = 256;
    private static final int SLOT_SIZE = Ring.CACHE_LINE_PAIR;
    private static final int STATE = 0;
    private static final int GENERATION = 8;
    private static final int INTENT_START = 16;
    private static final int INTENT_SIZE = 24;
    private static final int PAGE = 4096;

    /** The held bit of a role word. */
    static final long HELD = Long.MIN_VALUE;
    /** An intent that covers no position (written after a lost CAS). */
    static final long NO_INTENT = Long.MIN_VALUE;

    private static final VarHandle LONGS =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** The whole shared memory, native order. */
    private final ByteBuffer memory;
    final int kind;
    final int capacity;
    final int slots;
    final long creationId;
    final Ring ring;

    private RingFile(ByteBuffer memory, int kind, int capacity, int slots, long creationId) {
        this.memory = memory;
        this.kind = kind;
        this.capacity = capacity;
        this.slots = slots;
        this.creationId = creationId;
        final int records = recordsOffset(slots);
        this.ring = new Ring(memory.slice(records, capacity + Ring.TRAILER), capacity);
    }

    static String kindName(int kind) {
        return kind == KIND_SPSC ? "SPSC" : kind == KIND_MPSC ? "MPSC" : "unknown kind " + kind;
    }

    static int slotsFor(int kind) {
        return kind == KIND_SPSC ? 1 : MPSC_SLOTS;
    }

    private static int recordsOffset(int slots) {
        return (SLOTS_START + slots * SLOT_SIZE + PAGE - 1) & -PAGE;
    }

    /**
     * The bytes a shared ring of {@code capacity} needs.
     *
     * @throws IllegalArgumentException if the capacity is not a power of two in 16..2^30
     */
    static long sizeFor(int kind, int capacity) {
        checkCapacity(capacity, "capacity");
        return (long) recordsOffset(slotsFor(kind)) + capacity + Ring.TRAILER;
    }

    private static void checkCapacity(int capacity, String what) {
        if (capacity < Ring.MIN_CAPACITY || capacity > Ring.MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException(what + " " + capacity + " is not a power of two in "
                    + Ring.MIN_CAPACITY + ".." + Ring.MAX_CAPACITY
                    + " (a shared ring's layout follows from its capacity, so it is not rounded)");
        }
    }

    /** Checks what any shared memory must be, before a byte of it is read or written. */
    private static ByteBuffer checkMemory(ByteBuffer memory, long needed) {
        if (memory == null) {
            throw new NullPointerException("memory");
        }
        if (!memory.isDirect()) {
            throw new IllegalArgumentException("a shared ring needs direct memory (a MappedByteBuffer or "
                    + "ByteBuffer.allocateDirect), not a heap buffer");
        }
        if (memory.isReadOnly()) {
            throw new IllegalArgumentException("a shared ring needs writable memory; the buffer is read-only "
                    + "(map the file READ_WRITE)");
        }
        final int misalignment = memory.alignmentOffset(0, Ring.CACHE_LINE_PAIR);
        if (misalignment != 0) {
            throw new IllegalArgumentException("the buffer's address is " + misalignment + " bytes past a "
                    + Ring.CACHE_LINE_PAIR + "-byte boundary; a shared ring starts on one (map from file position 0, "
                    + "or use alignedSlice(" + Ring.CACHE_LINE_PAIR + "))");
        }
        if (memory.capacity() < needed) {
            throw new IllegalArgumentException("the memory holds " + memory.capacity() + " bytes; the ring needs "
                    + needed);
        }
        return memory.duplicate().clear().order(ByteOrder.nativeOrder());
    }

    /** Lays a new ring out in {@code memory}, zeroing all of it. Nothing may be using it. */
    static RingFile create(ByteBuffer memory, int kind, int capacity) {
        final long size = sizeFor(kind, capacity);
        final ByteBuffer view = checkMemory(memory, size);
        final int slots = slotsFor(kind);
        final byte[] zeroes = new byte[64 * 1024];
        for (int at = 0; at < size; at += zeroes.length) {
            view.put(at, zeroes, 0, (int) Math.min(zeroes.length, size - at));
        }
        long creationId;
        do {
            creationId = ThreadLocalRandom.current().nextLong();
        } while (creationId == 0);
        view.putInt(VERSION_AT, VERSION);
        view.putInt(KIND_AT, kind);
        view.putInt(CAPACITY_AT, capacity);
        view.putInt(SLOTS_AT, slots);
        view.putLong(CREATION_ID_AT, creationId);
        view.putInt(RECORDS_AT, recordsOffset(slots));
        view.putLong(SIZE_AT, size);
        for (int slot = 0; slot < slots; slot++) {
            // no intent yet: a slot whose start read 0 would cover position 0 for a first claim's instant
            view.putLong(SLOTS_START + slot * SLOT_SIZE + INTENT_START, NO_INTENT);
        }
        // release: pairs with attach's magic acquire; whoever sees the magic sees the zeroes and the fields
        LONGS.setRelease(view, MAGIC_AT, MAGIC);
        return new RingFile(view, kind, capacity, slots, creationId);
    }

    /** Validates the ring laid out in {@code memory}; writes nothing. */
    static RingFile attach(ByteBuffer memory, int kind) {
        final ByteBuffer view = checkMemory(memory, SLOTS_START);
        // acquire: pairs with create's release of the magic
        final long magic = (long) LONGS.getAcquire(view, MAGIC_AT);
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format("not a logbuf ring: the first 8 bytes are 0x%016x, "
                    + "not the magic 0x%016x (\"LOGBUFRG\")%s", magic, MAGIC,
                    magic == 0 ? "; the file may still be being created, or was never created" : ""));
        }
        final int version = view.getInt(VERSION_AT);
        if (version != VERSION) {
            throw new IllegalArgumentException("the ring's layout version is " + version + "; this logbuf reads "
                    + "version " + VERSION + " only");
        }
        final int found = view.getInt(KIND_AT);
        if (found != kind) {
            throw new IllegalArgumentException("the ring was created as " + kindName(found) + ", not "
                    + kindName(kind));
        }
        final int capacity = view.getInt(CAPACITY_AT);
        try {
            checkCapacity(capacity, "the header's capacity");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt ring header: " + e.getMessage());
        }
        final int slots = view.getInt(SLOTS_AT);
        final int records = view.getInt(RECORDS_AT);
        final long size = view.getLong(SIZE_AT);
        if (slots != slotsFor(kind) || records != recordsOffset(slots) || size != sizeFor(kind, capacity)) {
            throw new IllegalArgumentException("corrupt ring header: " + slots + " producer slots, records at "
                    + records + ", size " + size + " do not fit a " + kindName(kind) + " ring of capacity " + capacity);
        }
        if (memory.capacity() < size) {
            throw new IllegalArgumentException("the ring's header says capacity " + capacity + " (" + size
                    + " bytes) but the memory holds only " + memory.capacity() + " bytes: the file was truncated");
        }
        return new RingFile(view, kind, capacity, slots, view.getLong(CREATION_ID_AT));
    }

    // ---------------------------------------------------------------- role words

    /** A role word for process {@code pid} started at {@code fingerprint}. */
    static long held(long pid, int fingerprint) {
        return HELD | ((long) fingerprint << 32) | (pid & 0xFFFF_FFFFL);
    }

    static boolean isHeld(long word) {
        return word < 0;
    }

    static long pid(long word) {
        return word & 0xFFFF_FFFFL;
    }

    static int fingerprint(long word) {
        return (int) (word >>> 32) & Integer.MAX_VALUE;
    }

    /** The consumer's role word; acquire: pairs with the CAS that took it. */
    long consumerAcquire() {
        return (long) LONGS.getAcquire(memory, CONSUMER_AT);
    }

    /** Takes or gives back the consumer role; a volatile CAS, so two takers cannot both win. */
    boolean casConsumer(long expected, long update) {
        return LONGS.compareAndSet(memory, CONSUMER_AT, expected, update);
    }

    private int slotAt(int slot) {
        return SLOTS_START + slot * SLOT_SIZE;
    }

    /** A slot's state word; acquire: pairs with the CAS that took it and the release that freed it. */
    long stateAcquire(int slot) {
        return (long) LONGS.getAcquire(memory, slotAt(slot) + STATE);
    }

    /** Takes a slot; a volatile CAS, so two takers cannot both win it. */
    boolean casState(int slot, long expected, long update) {
        return LONGS.compareAndSet(memory, slotAt(slot) + STATE, expected, update);
    }

    /**
     * Frees a slot, after its handle ended its claim; release: the claim's end
     * is visible to whoever sees the slot free.
     */
    void freeRelease(int slot) {
        LONGS.setRelease(memory, slotAt(slot) + STATE, 0L);
    }

    /**
     * The slot's generation, which its claimant ids carry. Written by the
     * slot's new holder before its first claim, whose mark is a release
     * store: a consumer that acquired a mark reads the generation it carries
     * or a later one.
     */
    int generation(int slot) {
        return (int) (long) LONGS.getOpaque(memory, slotAt(slot) + GENERATION);
    }

    void generationOpaque(int slot, int generation) {
        LONGS.setOpaque(memory, slotAt(slot) + GENERATION, (long) generation);
    }

    /**
     * MPSC producer, before its CAS on the tail: the reservation it is about to
     * make. The size first, then the start with a release store, so a reader
     * that sees the start sees its size; the CAS that follows is volatile, so
     * a consumer that sees the tail past {@code start} sees both.
     */
    void intend(int slot, long start, long size) {
        final int at = slotAt(slot);
        LONGS.setOpaque(memory, at + INTENT_SIZE, size);
        LONGS.setRelease(memory, at + INTENT_START, start);
    }

    /** MPSC producer, after a lost CAS: it reserved nothing. */
    void forgetIntent(int slot) {
        LONGS.setOpaque(memory, slotAt(slot) + INTENT_START, NO_INTENT);
    }

    /** The start of a slot's last intent; acquire: pairs with {@link #intend}. */
    long intentStartAcquire(int slot) {
        return (long) LONGS.getAcquire(memory, slotAt(slot) + INTENT_START);
    }

    /** The size of a slot's last intent; read after {@link #intentStartAcquire}. */
    long intentSize(int slot) {
        return (long) LONGS.getOpaque(memory, slotAt(slot) + INTENT_SIZE);
    }

    /** Whether a slot's last intent is over: no position at or after {@code head} is in it. */
    boolean intentBefore(int slot, long head) {
        final long start = intentStartAcquire(slot);
        return start == NO_INTENT || start + intentSize(slot) <= head;
    }

    /** This ring's role word for the calling process. */
    static long self(SharedHandles.Liveness liveness) {
        return held(liveness.pid(), liveness.fingerprint());
    }
}
