package dev.logbuf.queue;

/**
 * One producer handle of an {@link MpscQueue}. Each producing thread takes its
 * own handle ({@link #duplicate()} or {@link MpscQueue#newProducer()}); the
 * handles claim concurrently.
 *
 * <p>Threading: a handle is used by one thread at a time. Handles of the same
 * queue may be used by different threads at the same time.
 *
 * <p>Records are consumed in the order their claims were made, so a handle
 * that claims and then stalls before committing holds up the records claimed
 * after it (by any handle) until it commits or aborts.
 */
public final class MpscProducer implements Producer {

    /*
     * Producers reserve space with a CAS on the shared tail. Each handle
     * caches the last head it acquired and refreshes it only when the cached
     * value says the ring is full. After the CAS the reserved bytes belong to
     * this handle alone; they read as zero because the consumer zeroed them
     * before the head release this handle acquired.
     */

    private final MpscQueue queue;
    private final Ring ring;
    private final WriteClaim claim;
    private long cachedHead;

    MpscProducer(MpscQueue queue, Ring ring) {
        this.queue = queue;
        this.ring = ring;
        this.claim = new WriteClaim(ring);
    }

    @Override
    public WriteClaim tryClaim(int length) {
        final Ring ring = this.ring;
        final int recordSize = ring.recordSizeFor(length);
        final WriteClaim claim = this.claim;
        claim.checkIdle();
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
                        return null;
                    }
                    // the bytes up to the end are free: pad now so the next attempt starts at offset 0
                    padOnly = true;
                }
            }
            final long reserve = padOnly ? padding : padding + recordSize;
            // volatile CAS: orders this reservation against every other producer's
            if (!ring.casTail(tail, tail + reserve)) {
                continue;
            }
            if (padding != 0) {
                // release: pairs with the consumer's headerAcquire
                ring.publishRelease(offset, RecordDescriptor.skip(padding));
            }
            if (padOnly) {
                return null;
            }
            return claim.open(ring.offset(tail + padding), length);
        }
    }

    /**
     * A new handle on the same queue, for another producing thread.
     *
     * @return a new producer handle
     */
    public MpscProducer duplicate() {
        return queue.newProducer();
    }

    @Override
    public int capacity() {
        return ring.capacity;
    }

    @Override
    public int maxRecordLength() {
        return ring.maxRecordLength;
    }
}
