package dev.logbuf.queue;

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
 * <p>Threading: each producer handle is used by one thread at a time; the
 * consumer by one thread at a time.
 */
public final class MpscQueue {

    private final Ring ring;
    private final Handles handles = new Handles();
    private final Consumer consumer;

    private MpscQueue(Ring ring) {
        this.ring = ring;
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
    public static MpscQueue create(int capacity) {
        return new MpscQueue(new Ring(capacity));
    }

    /**
     * A new producer handle, for one producing thread. Each call returns a
     * new handle; handles are cheap (a claim flyweight, a cached head, and
     * an entry in the queue's registry until it closes).
     *
     * <p>The consumer reports the disconnect once every handle made has
     * closed; from then on the queue accepts no new handle. A handle that is
     * no longer reachable counts as closed once it is collected, even if a
     * variable still names it but no code will use it again: close handles
     * explicitly, or keep them in use, where the disconnect must wait.
     *
     * @return a new producer handle
     * @throws IllegalStateException if handles were made and have all closed
     *         (the queue has disconnected)
     */
    public MpscProducer newProducer() {
        return new MpscProducer(this, ring, handles);
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
