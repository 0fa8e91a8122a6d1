package dev.logbuf.queue;

/**
 * One producer handle of an {@link MpscQueue}. Each producing thread takes its
 * own handle ({@link #duplicate()} or {@link MpscQueue#newProducer()}); the
 * handles claim concurrently.
 *
 * <p>Threading: a handle is used by one thread at a time (it may be handed
 * over between claims). Handles of the same queue may be used by different
 * threads at the same time. Two threads on one handle at once is an error,
 * reported by an {@link IllegalStateException} that names both; see the
 * package documentation.
 *
 * <p>Records are consumed in the order their claims were made, so a handle
 * that claims and then stalls before committing holds up the records claimed
 * after it (by any handle) until it commits or aborts; if its thread
 * terminates or the handle is collected first, {@link Consumer#unblock()}
 * steps over the dead claim.
 */
public final class MpscProducer extends ProducerHandle implements Producer {

    /*
     * Producers reserve space with a CAS on the shared tail. Each handle
     * caches the last head it acquired and refreshes it only when the cached
     * value says the ring is full. After the CAS the reserved bytes belong to
     * this handle alone; they read as zero because the consumer zeroed them
     * before the head release this handle acquired.
     */

    private final MpscQueue queue;
    private long cachedHead;

    MpscProducer(MpscQueue queue, Ring ring, Handles handles) {
        super(ring, handles);
        this.queue = queue;
    }

    @Override
    public WriteClaim tryClaim(int length) {
        final Ring ring = this.ring;
        final int recordSize = ring.recordSizeFor(length);
        begin();
        final int capacity = ring.capacity;
        for (;;) {
            final long tail = ring.tailOpaque();
            final int offset = ring.offset(tail);
            final int padding = ring.paddingFor(offset, recordSize);
            // the record fits once head has reached `needed`
            final long needed = tail + padding + recordSize - capacity;
            boolean padOnly = false;
            long head = cachedHead;
            if (head < needed) {
                // acquire: pairs with the consumer's headRelease; the bytes it freed read as zero
                head = cachedHead = ring.headAcquire();
                if (head < needed) {
                    if (padding == 0 || head < tail + padding - capacity) {
                        return refused();
                    }
                    // the bytes up to the end are free: pad now so the next attempt starts at offset 0
                    padOnly = true;
                }
            }
            final long reserve = padOnly ? padding : padding + recordSize;
            final RingFile file = this.file;
            if (file != null) {
                // shared ring: what this handle is about to reserve, written before the CAS, so the
                // consumer knows whose it is if this process dies before marking it
                file.intend(SharedHandles.slot(claimant.id), tail, reserve);
            }
            // volatile CAS: orders this reservation against every other producer's
            if (!ring.casTail(tail, tail + reserve)) {
                if (file != null) {
                    file.forgetIntent(SharedHandles.slot(claimant.id));
                }
                continue;
            }
            if (padding != 0) {
                // release: pairs with the consumer's headerAcquire
                ring.publishRelease(offset, RecordDescriptor.skip(padding));
            }
            if (padOnly) {
                return refused();
            }
            // from here until the mark, the consumer sees 0 at this record: a producer that died
            // in between cannot be told from one about to mark (see Consumer.unblock)
            return open(tail + padding, length, recordSize);
        }
    }

    /**
     * A new handle on the same queue, for another producing thread. The
     * consumer sees the disconnect only once every handle, this one and
     * every duplicate, is closed.
     *
     * @return a new, open producer handle
     * @throws IllegalStateException if this handle is closed
     */
    public MpscProducer duplicate() {
        checkNotClosed();
        // this handle is open, so the queue cannot have disconnected
        return queue.newProducer();
    }
}
