package dev.logbuf.queue;

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
 * <p>Threading: the producer is used by one thread at a time and the consumer
 * by one thread at a time; the two may run concurrently.
 */
public final class SpscQueue {

    private final Ring ring;
    private final SpscProducer producer;
    private final Consumer consumer;

    private SpscQueue(Ring ring) {
        final Handles handles = new Handles();
        this.ring = ring;
        this.producer = new SpscProducer(ring, handles);
        handles.tailFrom(producer.claimant);
        this.consumer = new Consumer(ring, handles);
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
     * @return the producer
     */
    public SpscProducer producer() {
        return producer;
    }

    /**
     * The queue's one consumer; every call returns the same handle.
     *
     * @return the consumer
     */
    public Consumer consumer() {
        return consumer;
    }

    /**
     * The capacity in bytes (a power of two).
     *
     * @return the capacity
     */
    public int capacity() {
        return ring.capacity;
    }

    /**
     * Bytes in use now: reserved by producers and not yet released by the
     * consumer, headers and padding included (a snapshot, from any thread).
     *
     * @return the bytes in use
     */
    public long size() {
        return consumer.size();
    }

    /**
     * A snapshot of the queue's positions and counters, from any thread; the
     * same as {@link Consumer#stats()}.
     *
     * @return the snapshot
     */
    public QueueStats stats() {
        return consumer.stats();
    }

    /**
     * The longest payload a claim accepts: {@code capacity() - 8}.
     *
     * @return the bound
     */
    public int maxRecordLength() {
        return ring.maxRecordLength;
    }
}
