package dev.logbuf.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A multi-producer, single-consumer byte ring: any number of threads claim,
 * write and commit variable-length records, each through its own
 * {@link MpscProducer} handle; one thread consumes them.
 *
 * <pre>{@code
 * MpscQueue queue = MpscQueue.create(1 << 20);
 * MpscProducer first = queue.newProducer();   // one handle per producing thread
 * MpscProducer second = first.duplicate();
 * Consumer consumer = queue.consumer();
 * }</pre>
 *
 * <p>Producers reserve space with one compare-and-set on a shared tail; they
 * allocate nothing, take no lock and make no system call. Records are consumed
 * in reservation order: a producer that reserved and has not yet committed
 * holds back the records reserved after it. The consumer and the record format
 * are those of {@link SpscQueue}.
 *
 * <p>The ring can also live in memory that several processes map — a file
 * ({@link #createFile(Path, int)}, {@link #attachFile(Path)}) or any direct
 * buffer ({@link #create(ByteBuffer, int)}, {@link #attach(ByteBuffer)}).
 * Producer handles may then be in any number of processes (256 at once), and
 * the consumer in one of them; see {@link #consumer()} and
 * {@link #newProducer()} for what changes.
 *
 * <p>Threading: each producer handle is used by one thread at a time; the
 * consumer by one thread at a time.
 */
public final class MpscQueue extends RingQueue {

    private MpscQueue(Ring ring) {
        super(ring, new Handles());
        makeConsumer();
    }

    private MpscQueue(RingFile file, SharedHandles.Liveness liveness) {
        super(file, liveness);
    }

    /** Tests: a shared ring whose processes are told alive or gone by {@code liveness}. */
    static MpscQueue attach(ByteBuffer memory, SharedHandles.Liveness liveness) {
        return new MpscQueue(RingFile.attach(memory, RingFile.KIND_MPSC), liveness);
    }

    /**
     * Creates a queue of at least {@code capacity} bytes.
     *
     * @param capacity the requested capacity in bytes, 16 to 2^30; rounded up
     *        to a power of two
     * @return the queue
     * @throws IllegalArgumentException if {@code capacity} is below 16 or above 2^30
     */
    public static MpscQueue create(int capacity) {
        return new MpscQueue(new Ring(capacity));
    }

    /**
     * A new producer handle, for one producing thread. Each call returns a
     * new handle; handles are cheap (a claim flyweight, a cached head, and
     * an entry in the queue's registry until it closes).
     *
     * <p>The consumer's {@link Consumer#isDisconnected()} turns true once
     * every handle made has closed (records they committed stay readable
     * until drained); from then on the queue accepts no new handle. A handle that is
     * no longer reachable counts as closed once it is collected, even if a
     * variable still names it but no code will use it again: close handles
     * explicitly, or keep them in use, where the disconnect must wait.
     *
     * <p>On a shared ring a handle takes one of the ring's 256 producer
     * slots (any process's): a free one, or one whose process is gone. The
     * slot is freed when the handle closes or is collected, or taken over
     * once its process is gone; the consumer recovers a claim that a producer
     * process left in progress. A shared ring never disconnects for good:
     * producers may come and go.
     *
     * @return a new producer handle
     * @throws IllegalStateException if handles were made and have all closed
     *         (the queue has disconnected), or, on a shared ring, if every
     *         producer slot is held by a live process
     */
    public MpscProducer newProducer() {
        return new MpscProducer(this, ring, handles);
    }
    // ---------------------------------------------------------------- shared between processes

    /**
     * The bytes a {@linkplain #create(ByteBuffer, int) shared} ring of
     * {@code capacity} needs: a header, the records and the positions. See
     * {@code docs/IPC.md} for the layout.
     *
     * @param capacity the record region's size, a power of two in 16..2^30
     * @return the bytes to map
     * @throws IllegalArgumentException if the capacity is not a power of two in range
     */
    public static long sharedSize(int capacity) {
        return RingFile.sizeFor(RingFile.KIND_MPSC, capacity);
    }

    /**
     * Lays a new ring out in memory that other processes can map too,
     * typically a {@link java.nio.MappedByteBuffer} of a file: zeroes
     * {@link #sharedSize(int)} bytes of it and writes the header (magic,
     * layout version, kind, capacity, a random creation id). Nothing may be
     * using that memory: to join a ring that exists, {@link #attach(ByteBuffer)}.
     *
     * <p>Each process then takes its role: the consumer side is held by one
     * process at a time, producer handles in any processes (256 at once), recorded in the header with the process
     * id, so a process that is gone is known and its role can be taken over.
     *
     * @param memory direct, writable memory whose address is 128-byte aligned
     *        (a mapping from file position 0 is), at least
     *        {@code sharedSize(capacity)} bytes
     * @param capacity the record region's size, a power of two in 16..2^30
     * @return the queue
     * @throws IllegalArgumentException if the memory is a heap buffer,
     *         read-only, misaligned or too small, or the capacity is not a
     *         power of two in range
     */
    public static MpscQueue create(ByteBuffer memory, int capacity) {
        return new MpscQueue(RingFile.create(memory, RingFile.KIND_MPSC, capacity), SharedHandles.Liveness.OS);
    }

    /**
     * Joins a ring that {@link #create(ByteBuffer, int)} laid out, in this or
     * another process, after checking its header; writes nothing until a role
     * is taken, and never zeroes it.
     *
     * @param memory the ring's memory, mapped from its start
     * @return the queue
     * @throws IllegalArgumentException if the memory is a heap buffer,
     *         read-only or misaligned, or holds no MPSC ring of this layout
     *         version (the message says what it found: another magic, version
     *         or kind, a corrupt header, a truncated file)
     */
    public static MpscQueue attach(ByteBuffer memory) {
        return attach(memory, SharedHandles.Liveness.OS);
    }

    /**
     * Creates {@code file} at {@link #sharedSize(int)} bytes, maps it and
     * lays a new ring out in it ({@link #create(ByteBuffer, int)}). The ring
     * is built under a temporary name in the same directory and then linked
     * to {@code file}, so a process that finds the file finds a whole ring:
     * processes may race to create the file and, when that fails with
     * {@link java.nio.file.FileAlreadyExistsException}, attach to it.
     *
     * @param file the ring file; it must not exist
     * @param capacity the record region's size, a power of two in 16..2^30
     * @return the queue
     * @throws java.nio.file.FileAlreadyExistsException if the file exists
     * @throws IOException if the file cannot be created or mapped
     * @throws IllegalArgumentException if the capacity is not a power of two in range
     */
    public static MpscQueue createFile(Path file, int capacity) throws IOException {
        return Mapping.create(file, sharedSize(capacity), memory -> create(memory, capacity));
    }

    /**
     * Maps {@code file} and joins the ring in it ({@link #attach(ByteBuffer)}).
     *
     * @param file the ring file
     * @return the queue
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException if the file cannot be opened or mapped
     * @throws IllegalArgumentException if the file holds no MPSC ring of this layout version
     */
    public static MpscQueue attachFile(Path file) throws IOException {
        return Mapping.attach(file, memory -> attach(memory));
    }
}
