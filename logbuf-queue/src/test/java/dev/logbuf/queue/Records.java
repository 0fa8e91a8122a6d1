package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Payloads and one-line sends and reads shared by the suites. */
final class Records {

    private Records() {
    }

    /** A payload of {@code length} bytes that differs from the payload of any other seed. */
    static byte[] payload(long seed, int length) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = byteOf(seed, i);
        }
        return bytes;
    }

    /** Byte {@code index} of the payload of {@code seed}; never 0, so it cannot pass for a zeroed byte. */
    static byte byteOf(long seed, int index) {
        final long mixed = (seed + 1) * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L;
        final byte b = (byte) (mixed >>> 56);
        return b == 0 ? 1 : b;
    }

    /** Claims, fills and commits one record, failing if the ring is full. */
    static void send(Producer producer, byte[] payload) {
        final WriteClaim claim = producer.tryClaim(payload.length);
        assertNotNull(claim, () -> "no room for a " + payload.length + "-byte record");
        claim.put(payload).commit();
    }

    /**
     * Claims {@code length} bytes on a ring the consumer has drained: at most
     * one attempt reports full (the one that pads to the end of the ring), and
     * after the consumer has stepped over that padding the claim must succeed.
     */
    static WriteClaim claimDrained(Producer producer, Consumer consumer, int length) {
        WriteClaim claim = producer.tryClaim(length);
        if (claim == null) {
            assertNull(consumer.tryClaim(), "padding is never shown to the consumer");
            claim = producer.tryClaim(length);
        }
        assertNotNull(claim, () -> "a drained ring must accept a " + length + "-byte record");
        return claim;
    }

    /** Reads the next record and checks it is exactly {@code expected}. */
    static void expect(Consumer consumer, byte[] expected) {
        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record, () -> "expected a " + expected.length + "-byte record, found none");
            assertEquals(expected.length, record.length(), "record length");
            assertArrayEquals(expected, bytesOf(record), "record payload");
        }
    }

    /** Checks that no committed record is waiting. */
    static void expectEmpty(Consumer consumer) {
        assertNull(consumer.tryClaim(), "no record should be waiting");
    }

    /** Copies the remaining bytes of {@code payload} without moving its position. */
    static byte[] copy(ByteBuffer payload) {
        final byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        return bytes;
    }

    /** Reads every waiting record through single claims. */
    static List<byte[]> drain(Consumer consumer) {
        final List<byte[]> records = new ArrayList<>();
        for (;;) {
            try (ReadClaim record = consumer.tryClaim()) {
                if (record == null) {
                    return records;
                }
                records.add(bytesOf(record));
            }
        }
    }

    /** A handed record's payload, copied through its own getters (indexes from the payload's start). */
    static byte[] copy(Payload payload) {
        final byte[] bytes = new byte[payload.length()];
        payload.get(bytes);
        return bytes;
    }

    /** The payload of an open record, copied. */
    static byte[] bytesOf(ReadClaim record) {
        final byte[] bytes = new byte[record.length()];
        record.get(bytes);
        return bytes;
    }
}
