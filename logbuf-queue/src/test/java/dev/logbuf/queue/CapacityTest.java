package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Capacities: rounding up to a power of two, the bounds 16..2^30, and maxRecordLength. */
class CapacityTest {

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {15, 0, -1, -16, Integer.MIN_VALUE, (1 << 30) + 1, Integer.MAX_VALUE})
    @DisplayName("a capacity outside 16..2^30 is an IllegalArgumentException naming it, for both variants")
    void shouldRejectCapacitiesOutsideTheBounds(int capacity) {
        for (Variant variant : Variant.values()) {
            final IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> variant.create(capacity), variant.name());
            WriteClaimContract.assertMentions(e.getMessage(), capacity);
        }
        assertThrows(IllegalArgumentException.class, () -> SpscQueue.create(capacity));
        assertThrows(IllegalArgumentException.class, () -> MpscQueue.create(capacity));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"16, 16", "17, 32", "31, 32", "32, 32", "33, 64", "1000, 1024", "1024, 1024", "65537, 131072"})
    @DisplayName("a capacity rounds up to a power of two; maxRecordLength is capacity - 8, on every handle")
    void shouldRoundUpToAPowerOfTwo(int requested, int expected) {
        final SpscQueue spsc = SpscQueue.create(requested);
        assertEquals(expected, spsc.capacity());
        assertEquals(expected - 8, spsc.maxRecordLength());
        assertEquals(expected, spsc.producer().capacity());
        assertEquals(expected - 8, spsc.producer().maxRecordLength());
        assertEquals(expected, spsc.consumer().capacity());
        final MpscQueue mpsc = MpscQueue.create(requested);
        assertEquals(expected, mpsc.capacity());
        assertEquals(expected - 8, mpsc.maxRecordLength());
        assertEquals(expected, mpsc.newProducer().capacity());
        assertEquals(expected - 8, mpsc.newProducer().duplicate().maxRecordLength());
        assertEquals(expected, mpsc.consumer().capacity());
    }

    @Test
    @DisplayName("the largest capacity, 2^30, is accepted (checked on the rounding, without allocating 1 GiB)")
    void shouldAcceptTheLargestCapacity() {
        assertEquals(1 << 30, Ring.capacityFor(1 << 30));
        assertEquals(1 << 30, Ring.capacityFor((1 << 29) + 1));
        assertEquals(1 << 29, Ring.capacityFor(1 << 29));
        assertThrows(IllegalArgumentException.class, () -> Ring.capacityFor((1 << 30) + 1));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Variant.class)
    @DisplayName("a large ring (16 MiB) carries its largest record")
    void shouldCarryTheLargestRecordOfALargeRing(Variant variant) {
        final Variant.TestQueue queue = variant.create(1 << 24);
        assertEquals((1 << 24) - 8, queue.maxRecordLength);
        final WriteClaim claim = queue.producer.tryClaim(queue.maxRecordLength);
        assertNotNull(claim, "a fresh ring takes its largest record at once");
        claim.putByte(0, (byte) 1).putLong(queue.maxRecordLength - 8, -2L).commit();
        try (ReadClaim record = queue.consumer.tryClaim()) {
            assertNotNull(record);
            assertEquals(queue.maxRecordLength, record.length());
            assertEquals(1, record.getByte(0));
            assertEquals(0, record.getByte(1), "unwritten bytes read as zero");
            assertEquals(-2L, record.getLong(queue.maxRecordLength - 8));
        }
        assertNull(queue.consumer.tryClaim());
    }
}
