package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * A real queue driven in step with a {@link RingModel}: every claim and read
 * checks that the queue did exactly what the model predicts (full or not,
 * which record, which bytes). Use only these methods on the queue, or the
 * model loses track.
 */
final class ModelledQueue {

    final Variant.TestQueue queue;
    final RingModel model;
    private long seed;

    ModelledQueue(Variant.TestQueue queue) {
        this.queue = queue;
        this.model = new RingModel(queue.capacity);
    }

    /** An open write claim with its model slot. */
    record Pending(Producer producer, WriteClaim claim, RingModel.Slot slot) {
    }

    /** Claims on {@code producer}, checking full/not-full against the model; null when full. */
    Pending claim(Producer producer, int length) {
        final RingModel.Slot slot = model.claim(length);
        final WriteClaim claim = producer.tryClaim(length);
        if (slot == null) {
            assertNull(claim, () -> "the model says full for length " + length + ": " + model);
            return null;
        }
        assertNotNull(claim, () -> "the model says length " + length + " fits: " + model);
        assertEquals(length, claim.length());
        assertEquals(length, claim.buffer().remaining());
        return new Pending(producer, claim, slot);
    }

    /** Writes the first {@code written} bytes of a fresh payload and commits; the rest must read as zero. */
    byte[] commit(Pending pending, int written) {
        final byte[] full = Records.payload(seed++, pending.slot.length);
        final byte[] expected = new byte[full.length];
        System.arraycopy(full, 0, expected, 0, written);
        pending.claim.put(full, 0, written).commit();
        model.commit(pending.slot, expected);
        return expected;
    }

    byte[] commit(Pending pending) {
        return commit(pending, pending.slot.length);
    }

    /** Writes some bytes, then aborts (by abort() or by close()). */
    void abort(Pending pending, boolean byClose) {
        final int length = pending.slot.length;
        pending.claim.put(Records.payload(~seed, length));
        if (byClose) {
            pending.claim.close();
        } else {
            pending.claim.abort();
        }
        model.abort(pending.slot);
    }

    /** Reads one record through a ReadClaim and checks it is the model's next record, or that none is waiting. */
    byte[] poll() {
        final RingModel.Slot next = model.peek();
        try (ReadClaim record = queue.consumer.tryClaim()) {
            if (next == null) {
                assertNull(record, () -> "the model says nothing is waiting: " + model);
                return null;
            }
            assertNotNull(record, () -> "the model says a record is waiting: " + model);
            assertArrayEquals(next.payload, Records.bytesOf(record), "payload");
            model.release(next);
            return next.payload;
        }
    }

    /** Reads up to {@code limit} records in a batch and checks them against the model. */
    int pollBatch(int limit) {
        final List<byte[]> seen = new ArrayList<>();
        final int count = queue.consumer.read(payload -> seen.add(Records.copy(payload)), limit);
        assertEquals(seen.size(), count, "read() returns the number of records it handed over");
        for (byte[] bytes : seen) {
            final RingModel.Slot next = model.peek();
            assertNotNull(next, "the batch delivered a record the model does not have");
            assertArrayEquals(next.payload, bytes, "batch payload");
            model.release(next);
        }
        if (count < limit) {
            assertNull(model.peek(), () -> "the batch stopped early: " + model);
        }
        return count;
    }

    /**
     * Sends one fully written record on a drained ring and reads it back:
     * claimed at once when the padding and the record fit, else after one
     * attempt that pads and the consumer stepping over the padding.
     */
    byte[] roundTrip(int length) {
        assertTrue(model.isDrained(), "roundTrip needs a drained ring");
        Pending pending = claim(queue.producer, length);
        if (pending == null) {
            assertNull(poll());
            pending = claim(queue.producer, length);
            assertNotNull(pending);
        }
        final byte[] payload = commit(pending);
        assertArrayEquals(payload, poll());
        return payload;
    }

    /**
     * Moves a drained ring so that the next claim starts at {@code offset}
     * (0, or 16 to capacity - 8: a record takes at least 16 bytes, so no
     * record can end at offset 8).
     */
    void moveTo(int offset) {
        final int capacity = queue.capacity;
        if (offset != 0 && (offset < 16 || offset >= capacity || offset % 8 != 0)) {
            throw new IllegalArgumentException("offset " + offset + " is not reachable");
        }
        while (model.tailOffset() != offset) {
            final int current = model.tailOffset();
            final int size;
            if (offset > current && offset - current >= 16) {
                size = offset - current;            // one record ends right at the target
            } else if (capacity - current >= 16) {
                size = capacity - current;          // one record ends exactly at the end of the ring
            } else {
                size = 16;                          // at capacity - 8: pad, land at 16
            }
            roundTrip(size - 8);
        }
    }
}
