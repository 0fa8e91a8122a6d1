package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.logbuf.kafka.testing.TestBroker;
import dev.logbuf.queue.Producer;
import dev.logbuf.queue.WriteClaim;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The records the tests ship: a producer id (int), a sequence number (long),
 * then 4 to 52 bytes that depend on both, so a torn or mixed-up record is
 * seen; and the tally that checks what a topic holds.
 */
final class TestRecords {

    static final int HEAD = Integer.BYTES + Long.BYTES;

    private TestRecords() {
    }

    static int lengthOf(long seq) {
        return HEAD + 4 + (int) (seq % 49);
    }

    private static byte fill(int producer, long seq, int index) {
        return (byte) (producer * 31 + seq * 7 + index);
    }

    /** Claims, writes and commits one record, spinning while the ring is full; returns the spins. */
    static long send(Producer handle, int producer, long seq) {
        final int length = lengthOf(seq);
        long spins = 0;
        WriteClaim claim;
        while ((claim = handle.tryClaim(length)) == null) {
            spins++;
            Thread.onSpinWait();
        }
        write(claim, producer, seq);
        claim.commit();
        return spins;
    }

    /** Writes producer {@code producer}'s record {@code seq} into a claim of {@code lengthOf(seq)} bytes. */
    static void write(WriteClaim claim, int producer, long seq) {
        claim.putInt(0, producer).putLong(Integer.BYTES, seq);
        for (int i = HEAD; i < claim.length(); i++) {
            claim.putByte(i, fill(producer, seq, i));
        }
    }

    /** Checks a record's bytes; returns {producer, seq}. */
    static long[] check(byte[] value) {
        final ByteBuffer in = ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final int producer = in.getInt(0);
        final long seq = in.getLong(Integer.BYTES);
        if (seq < 0 || value.length != lengthOf(seq)) {
            fail("record of " + value.length + " bytes is not producer " + producer + "'s seq " + seq);
        }
        for (int i = HEAD; i < value.length; i++) {
            if (value[i] != fill(producer, seq, i)) {
                fail("byte " + i + " of producer " + producer + "'s seq " + seq + " is wrong");
            }
        }
        return new long[] {producer, seq};
    }

    /**
     * A shipper that ran without a failure shipped {@code producers} times
     * {@code perProducer} records and drained the ring, and the topic holds
     * each of them exactly once, each producer's in order, with the ring's id
     * in its header.
     *
     * @return the records read back
     */
    static List<ConsumerRecord<byte[], byte[]>> assertShippedOnceInOrder(KafkaShipper shipper, String topic,
            int producers, long perProducer, long ringId) {
        final long total = producers * perProducer;
        final ShipperStats stats = shipper.stats();
        assertEquals(total, stats.shipped(), "records shipped: " + stats);
        assertEquals(0, stats.lagBytes(), "the ring was drained: " + stats);
        assertEquals(0, stats.inFlight(), stats.toString());
        final List<ConsumerRecord<byte[], byte[]>> read = TestBroker.readCommitted(topic, total, Duration.ofSeconds(20));
        final Tally tally = new Tally(read);
        tally.assertComplete(producers, perProducer);
        assertEquals(0, tally.duplicates, "duplicates (no failure happened, so none in either mode)");
        assertEquals(total, tally.records);
        assertEquals(ringId, KafkaShipper.longHeader(read.get(0).headers(), KafkaShipper.RING_HEADER),
                "the ring header names the ring");
        return read;
    }

    /** What a topic holds, record by record, per producer. */
    static final class Tally {
        /** producer -> seq -> times seen */
        private final Map<Integer, Map<Long, Integer>> seen = new HashMap<>();
        /** producer -> the highest seq seen so far in topic order, to check order */
        private final Map<Integer, Long> last = new HashMap<>();
        long duplicates;
        long outOfOrder;
        long records;

        Tally(List<ConsumerRecord<byte[], byte[]>> topic) {
            // ring id -> the last ring position seen first-time, in topic order
            final Map<Long, Long> lastPositions = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : topic) {
                final long[] key = check(record.value());
                final int producer = (int) key[0];
                final long seq = key[1];
                records++;
                final int times = seen.computeIfAbsent(producer, p -> new HashMap<>()).merge(seq, 1, Integer::sum);
                if (times > 1) {
                    duplicates++;
                } else {
                    final Long before = last.get(producer);
                    if (before != null && seq < before) {
                        outOfOrder++;
                    }
                    last.put(producer, seq);
                }
                final long ring = KafkaShipper.longHeader(record.headers(), KafkaShipper.RING_HEADER);
                final long position = KafkaShipper.longHeader(record.headers(), KafkaShipper.POSITION_HEADER);
                if (times == 1) {
                    final Long lastPosition = lastPositions.put(ring, position);
                    if (lastPosition != null && position <= lastPosition) {
                        fail("ring " + Long.toHexString(ring) + "'s positions out of order in the topic: " + position
                                + " after " + lastPosition);
                    }
                }
            }
        }

        /** The sequence numbers below {@code perProducer} missing from {@code mine}, as ranges. */
        private static String missing(Map<Long, Integer> mine, long perProducer) {
            final StringBuilder ranges = new StringBuilder("missing:");
            long seq = 0;
            while (seq < perProducer) {
                if (mine.containsKey(seq)) {
                    seq++;
                    continue;
                }
                final long from = seq;
                while (seq < perProducer && !mine.containsKey(seq)) {
                    seq++;
                }
                ranges.append(' ').append(from).append("..").append(seq - 1);
            }
            return ranges.toString();
        }

        /** Each producer's records 0..perProducer-1 are there, none missing, none out of order. */
        void assertComplete(int producers, long perProducer) {
            for (int p = 0; p < producers; p++) {
                final Map<Long, Integer> mine = seen.getOrDefault(p, Map.of());
                final int producer = p;
                assertEquals(perProducer, mine.size(), () -> "distinct records of producer " + producer + " ("
                        + missing(mine, perProducer) + ")");
                for (long seq = 0; seq < perProducer; seq++) {
                    assertTrue(mine.containsKey(seq), "producer " + p + "'s seq " + seq + " is missing");
                }
            }
            assertEquals(0, outOfOrder, "records out of their producer's order");
        }
    }
}
