package dev.logbuf.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A single-producer, single-consumer byte ring: one thread claims, writes and
 * commits variable-length records; another claims, reads and releases them.
 *
 * <pre>{@code
 * SpscQueue queue = SpscQueue.create(1 << 20);
 * SpscProducer producer = queue.producer();   // hand to the producing thread
 * Consumer consumer = queue.consumer();       // hand to the consuming thread
 * }</pre>
 *
 * <p>The ring is one direct buffer of {@link #capacity()} bytes (the requested
 * capacity rounded up to a power of two). A record takes its payload length
 * plus an 8-byte header, rounded up to a multiple of 8. Claims allocate
 * nothing, take no lock and make no system call.
 *
 * <p>The ring can also live in memory that two processes map — a file
 * ({@link #createFile(Path, int)}, {@link #attachFile(Path)}) or any direct
 * buffer ({@link #create(ByteBuffer, int)}, {@link #attach(ByteBuffer)}): the
 * producer in one process, the consumer in another (or the same).
 *
 * <p>Threading: the producer is used by one thread at a time and the consumer
 * by one thread at a time; the two may run concurrently.
 */
public final class SpscQueue extends RingQueue {

    /** Made at once in one process; a shared ring's when this process takes the producer role. */
    private volatile SpscProducer producer;

    private SpscQueue(Ring ring) {
        super(ring, new Handles());
        this.producer = new SpscProducer(ring, handles);
        handles.tailFrom(producer.claimant);
        makeConsumer();
    }

    private SpscQueue(RingFile file, SharedHandles.Liveness liveness) {
        super(file, liveness);
    }

    /** Tests: a shared ring whose processes are told alive or gone by {@code liveness}. */
    static SpscQueue attach(ByteBuffer memory, SharedHandles.Liveness liveness) {
        return new SpscQueue(RingFile.attach(memory, RingFile.KIND_SPSC), liveness);
    }

    /**
     * Creates a queue of at least {@code capacity} bytes.
     *
     * @param capacity the requested capacity in bytes, 16 to 2^30; rounded up
     *        to a power of two
     * @return the queue
     * @throws IllegalArgumentException if {@code capacity} is below 16 or above 2^30
     */
    public static SpscQueue create(int capacity) {
        return new SpscQueue(new Ring(capacity));
    }

    /**
     * The queue's one producer; every call returns the same handle.
     *
     * <p>On a shared ring the first call takes the ring's producer role for
     * this process. If the process that held it is gone, this producer takes
     * over where it stopped: after every record it committed; a claim it left
     * in progress is recovered by the consumer's {@link Consumer#unblock()}.
     * {@link SpscProducer#close()} gives the role back.
     *
     * @return the producer
     * @throws IllegalStateException on a shared ring, if a live process (this
     *         one, through another attachment, included) holds the producer role
     */
    public SpscProducer producer() {
        final SpscProducer producer = this.producer;
        return producer != null ? producer : takeProducer();
    }

    private synchronized SpscProducer takeProducer() {
        if (producer == null) {
            producer = new SpscProducer(ring, handles);
        }
        return producer;
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
        return RingFile.sizeFor(RingFile.KIND_SPSC, capacity);
    }

    /**
     * Lays a new ring out in memory that other processes can map too,
     * typically a {@link java.nio.MappedByteBuffer} of a file: zeroes
     * {@link #sharedSize(int)} bytes of it and writes the header (magic,
     * layout version, kind, capacity, a random creation id). Nothing may be
     * using that memory: to join a ring that exists, {@link #attach(ByteBuffer)}.
     *
     * <p>Each process then takes its role: the consumer side is held by one
     * process at a time, the producer side by one process at a time, recorded in the header with the process
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
    public static SpscQueue create(ByteBuffer memory, int capacity) {
        return new SpscQueue(RingFile.create(memory, RingFile.KIND_SPSC, capacity), SharedHandles.Liveness.OS);
    }

    /**
     * Joins a ring that {@link #create(ByteBuffer, int)} laid out, in this or
     * another process, after checking its header; writes nothing until a role
     * is taken, and never zeroes it.
     *
     * @param memory the ring's memory, mapped from its start
     * @return the queue
     * @throws IllegalArgumentException if the memory is a heap buffer,
     *         read-only or misaligned, or holds no SPSC ring of this layout
     *         version (the message says what it found: another magic, version
     *         or kind, a corrupt header, a truncated file)
     */
    public static SpscQueue attach(ByteBuffer memory) {
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
    public static SpscQueue createFile(Path file, int capacity) throws IOException {
        return Mapping.create(file, sharedSize(capacity), memory -> create(memory, capacity));
    }

    /**
     * Maps {@code file} and joins the ring in it ({@link #attach(ByteBuffer)}).
     *
     * @param file the ring file
     * @return the queue
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException if the file cannot be opened or mapped
     * @throws IllegalArgumentException if the file holds no SPSC ring of this layout version
     */
    public static SpscQueue attachFile(Path file) throws IOException {
        return Mapping.attach(file, memory -> attach(memory));
    }
}
