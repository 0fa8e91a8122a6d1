package dev.logbuf.queue;

/**
 * The one producer of an {@link SpscQueue}.
 *
 * <p>Threading: used by one thread at a time; there is exactly one per queue.
 * It cannot be duplicated: use an {@link MpscQueue} for several producers.
 */
public final class SpscProducer extends ProducerHandle implements Producer {

    /*
     * The producer owns tail and keeps it here as a plain field: in SPSC no
     * other thread reads it (the consumer follows the headers). cachedHead is
     * the last head this handle acquired; it is refreshed only when it says
     * the ring is full, so the consumer's line is read once per lap at best.
     * The tail is also mirrored (opaque) in this handle's claimant, for
     * monitoring.
     */

    private long tail;
    private long cachedHead;

    SpscProducer(Ring ring, Handles handles) {
        super(ring, handles);
    }

    @Override
    public WriteClaim tryClaim(int length) {
        final Ring ring = this.ring;
        final int recordSize = ring.recordSizeFor(length);
        begin();
        final long tail = this.tail;
        final int offset = ring.offset(tail);
        final int padding = ring.paddingFor(offset, recordSize);
        // the record fits once head has reached `needed`
        final long needed = tail + padding + recordSize - ring.capacity;
        long head = cachedHead;
        if (head < needed) {
            // acquire: pairs with the consumer's headRelease; the bytes it freed read as zero
            head = cachedHead = ring.headAcquire();
            if (head < needed) {
                if (padding != 0 && head >= tail + padding - ring.capacity) {
                    // the bytes up to the end are free: pad now so the next attempt starts at offset 0
                    // release: pairs with the consumer's headerAcquire
                    ring.publishRelease(offset, RecordDescriptor.skip(padding));
                    this.tail = tail + padding;
                    claimant.mirrorTail(tail + padding);
                }
                return refused();
            }
        }
        if (padding != 0) {
            // release: pairs with the consumer's headerAcquire
            ring.publishRelease(offset, RecordDescriptor.skip(padding));
        }
        final long start = tail + padding;
        this.tail = start + recordSize;
        final WriteClaim opened = open(ring.offset(start), length, recordSize);
        // after the mark, so unblock() never finds the tail past a header still reading 0
        claimant.mirrorTail(start + recordSize);
        return opened;
    }
}
