package dev.logbuf.queue;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A sequential model of one ring: where each claim goes, when the ring is
 * full, when wrap padding is written, and what the consumer sees. Written
 * from the rules in DESIGN.md, not from the implementation, and driven in
 * step with a real queue by {@link ModelledQueue}.
 */
final class RingModel {

    /** What occupies a span of the ring, in position order. */
    enum Kind { PADDING, OPEN, COMMITTED, ABORTED }

    /** One span between head and tail. */
    static final class Slot {
        final long position;
        final int size;
        final int length;
        Kind kind;
        byte[] payload;

        Slot(long position, int size, int length, Kind kind) {
            this.position = position;
            this.size = size;
            this.length = length;
            this.kind = kind;
        }

        @Override
        public String toString() {
            return kind + "@" + position + "+" + size;
        }
    }

    final int capacity;
    private long head;
    private long tail;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();

    RingModel(int capacity) {
        this.capacity = capacity;
    }

    static int recordSize(int length) {
        return (8 + length + 7) & -8;
    }

    /** The offset the next claim starts from, before any wrap padding. */
    int tailOffset() {
        return (int) (tail & (capacity - 1));
    }

    long head() {
        return head;
    }

    long tail() {
        return tail;
    }

    boolean isDrained() {
        skipLeadingMarkers();
        return slots.isEmpty();
    }

    /**
     * A claim of {@code length} bytes: the new open slot, or {@code null} when
     * the ring is full (having written wrap padding first when the bytes up to
     * the end are free but the record does not fit at offset 0 yet).
     */
    Slot claim(int length) {
        final int size = recordSize(length);
        final int offset = tailOffset();
        final int toEnd = capacity - offset;
        final int padding = size <= toEnd ? 0 : toEnd;
        final long free = capacity - (tail - head);
        if (padding + size <= free) {
            if (padding != 0) {
                slots.addLast(new Slot(tail, padding, 0, Kind.PADDING));
                tail += padding;
            }
            final Slot slot = new Slot(tail, size, length, Kind.OPEN);
            slots.addLast(slot);
            tail += size;
            return slot;
        }
        if (padding != 0 && padding <= free) {
            slots.addLast(new Slot(tail, padding, 0, Kind.PADDING));
            tail += padding;
        }
        return null;
    }

    /** Commits an open slot with the bytes the consumer must see. */
    void commit(Slot slot, byte[] payload) {
        check(slot.kind == Kind.OPEN, "commit of " + slot);
        check(payload.length == slot.length, "payload length");
        slot.kind = Kind.COMMITTED;
        slot.payload = payload.clone();
    }

    void abort(Slot slot) {
        check(slot.kind == Kind.OPEN, "abort of " + slot);
        slot.kind = Kind.ABORTED;
    }

    /** The record the consumer would claim now, stepping over skips as it does; or null. */
    Slot peek() {
        skipLeadingMarkers();
        final Slot first = slots.peekFirst();
        return first != null && first.kind == Kind.COMMITTED ? first : null;
    }

    /** Releases the record {@link #peek()} returned. */
    void release(Slot slot) {
        check(slots.peekFirst() == slot, "release out of order: " + slot);
        slots.removeFirst();
        head += slot.size;
    }

    private void skipLeadingMarkers() {
        for (Slot first; (first = slots.peekFirst()) != null
                && (first.kind == Kind.PADDING || first.kind == Kind.ABORTED); ) {
            slots.removeFirst();
            head += first.size;
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("model misuse: " + what);
        }
    }

    @Override
    public String toString() {
        return "head " + head + ", tail " + tail + ", " + Arrays.toString(slots.toArray());
    }
}
