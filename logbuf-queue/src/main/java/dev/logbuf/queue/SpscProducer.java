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
     * monitoring, and on a shared ring in the ring's tail slot, where a
     * producer process that takes over from this one starts looking for it.
     */

    private long tail;
    private long cachedHead;

    SpscProducer(Ring ring, Handles handles) {
        super(ring, handles);
        if (file != null) {
            this.tail = findTail(ring);
            this.cachedHead = ring.headAcquire();
            mirror(tail);
        }
    }

    /**
     * Shared ring: where the producer that held this ring before stopped. From
     * its mirrored tail (or the head, if the consumer has passed it) step over
     * every header it wrote — records, skips, a claim it left in progress —
     * to the first zero. A zero the consumer wrote while releasing is not the
     * tail: the consumer announces each release before zeroing, so look again
     * from where that release ends.
     */
    private static long findTail(Ring ring) {
        // acquire: the mirror was stored after every header before it
        long position = Math.max(ring.tailAcquire(), ring.headAcquire());
        for (;;) {
            final long lapEnd = ring.headAcquire() + ring.capacity;
            while (position < lapEnd) {
                // acquire: pairs with the publishRelease of each header
                final long header = ring.headerAcquire(ring.offset(position));
                if (header == RecordDescriptor.UNPUBLISHED) {
                    break;
                }
                position += header > 0 ? RecordDescriptor.recordSize(RecordDescriptor.length(header))
                        : RecordDescriptor.span(header);
            }
            // acquire: pairs with announceRelease; a zero from a release means the release is announced
            final long releasing = ring.releasingAcquire();
            if (releasing <= position) {
                return position;
            }
            position = releasing;
        }
    }

    private void mirror(long tail) {
        claimant.mirrorTail(tail);
        if (file != null) {
            ring.tailMirrorOpaque(tail);
        }
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
                    mirror(tail + padding);
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
        final WriteClaim opened = open(start, length, recordSize);
        // after the mark, so unblock() never finds the tail past a header still reading 0
        mirror(start + recordSize);
        return opened;
    }
}
