package dev.logbuf.queue;

import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * The fixture every contract suite starts from, in the style of the JSR-166
 * TCK's {@code populatedQueue}: a ring that has already gone once round and
 * stands part-way round the next lap (by default a 64-byte ring at offset 40,
 * so a test that writes more than 24 bytes crosses the wrap). Each concrete
 * suite names its {@link Variant}.
 */
abstract class QueueContract {

    /** The default fixture's capacity. */
    static final int CAPACITY = 64;

    /** Where the default fixture's next claim starts. */
    static final int START_OFFSET = 40;

    Variant.TestQueue queue;
    Producer producer;
    Consumer consumer;
    /** The consumer's counters once the fixture stands ready (it consumed two records to get there). */
    private long fixtureConsumed;
    private long fixtureConsumedBytes;

    /** The variant under test. */
    abstract Variant variant();

    /** The fixture's capacity; a suite that needs room for more records overrides it. */
    int fixtureCapacity() {
        return CAPACITY;
    }

    /** Where the fixture's next claim starts: at least 16, a multiple of 8, below the capacity. */
    int fixtureStartOffset() {
        return START_OFFSET;
    }

    @BeforeEach
    void startPartWayRoundTheRing() {
        queue = variant().create(fixtureCapacity());
        producer = queue.producer;
        consumer = queue.consumer;
        // one record fills the whole ring (a lap), a second one leaves the next claim at the start offset
        final byte[] lap = payload(-1, queue.maxRecordLength);
        send(producer, lap);
        expect(consumer, lap);
        final byte[] partWay = payload(-2, fixtureStartOffset() - 8);
        send(producer, partWay);
        expect(consumer, partWay);
        fixtureConsumed = consumer.stats().consumed();
        fixtureConsumedBytes = consumer.stats().consumedBytes();
    }

    /** Records consumed since the fixture stood ready. */
    long consumedSinceFixture() {
        return consumer.stats().consumed() - fixtureConsumed;
    }

    /** Payload bytes consumed since the fixture stood ready. */
    long consumedBytesSinceFixture() {
        return consumer.stats().consumedBytes() - fixtureConsumedBytes;
    }

    /** A fresh queue of {@code capacity} bytes with a model that tracks it. */
    ModelledQueue modelled(int capacity) {
        return new ModelledQueue(variant().create(capacity));
    }

    /** On a drained ring: no claim is left open, no hole was left, and the next records arrive in order. */
    void expectRingUnharmed() {
        final byte[] first = payload(100, 9);
        final byte[] second = payload(101, 1);
        Records.claimDrained(producer, consumer, first.length).put(first).commit();
        send(producer, second);
        expect(consumer, first);
        expect(consumer, second);
        expectEmpty(consumer);
    }

    /** Sends {@code count} 8-byte records, payload(first) onwards. */
    void sendSequence(long first, int count) {
        for (int i = 0; i < count; i++) {
            send(producer, payload(first + i, 8));
        }
    }

    /** Claims {@code length}-byte records until the ring is full; returns how many fitted. */
    int fill(int length) {
        int count = 0;
        for (WriteClaim claim; (claim = producer.tryClaim(length)) != null; count++) {
            claim.put(payload(count, length)).commit();
        }
        return count;
    }

    /** Claims {@code length} bytes, writes them, and aborts the claim (with close() if {@code byClose}). */
    void abortClaim(int length, boolean byClose) {
        final WriteClaim claim = producer.tryClaim(length);
        assertNotNull(claim);
        claim.put(payload(-length, length));
        if (byClose) {
            claim.close();
        } else {
            claim.abort();
        }
    }

    /** An assertion that {@code use} throws {@link IndexOutOfBoundsException}. */
    static Executable outOfBounds(String operation, Executable use) {
        return () -> assertThrows(IndexOutOfBoundsException.class, use, operation);
    }
}
