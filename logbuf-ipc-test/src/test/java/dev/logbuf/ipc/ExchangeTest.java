package dev.logbuf.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records cross a mapped file from producer processes to a consumer process:
 * 10^6 records of 17..216 bytes through a 256 KiB ring (it wraps and fills
 * all the time), SPSC with one producer process, MPSC with a two-thread
 * producer process and a one-thread one. The consumer process checks every
 * record (length, content, CRC32C), each producer's order, no loss, no
 * duplicate, and exact totals after every producer has gone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // bounds a hang; a run takes a few seconds
class ExchangeTest extends IpcTestSupport {

    @Test
    void shouldCarryEveryRecordFromAProducerProcessToAConsumerProcessOverSpsc() throws Exception {
        SharedRing.create(SharedRing.Kind.SPSC, ring, SMALL_RING);
        final Map<Integer, Long> expected = Map.of(1, RECORDS);
        exchange(SharedRing.Kind.SPSC, expected, () -> new Child[] {
            startProducer("producer", SharedRing.Kind.SPSC, "id=1", "records=" + RECORDS)});
    }

    @Test
    void shouldCarryEveryRecordFromThreeProducersInTwoProcessesToAConsumerProcessOverMpsc() throws Exception {
        SharedRing.create(SharedRing.Kind.MPSC, ring, SMALL_RING);
        final long each = RECORDS * 3 / 10; // ids 1 and 2 in one process, 3 in the other
        final Map<Integer, Long> expected = new LinkedHashMap<>();
        expected.put(1, each);
        expected.put(2, each);
        expected.put(3, RECORDS - 2 * each);
        exchange(SharedRing.Kind.MPSC, expected, () -> new Child[] {
            startProducer("producers1-2", SharedRing.Kind.MPSC, "id=1", "threads=2", "records=" + each),
            startProducer("producer3", SharedRing.Kind.MPSC, "id=3", "records=" + expected.get(3))});
    }

    /** Starts a consumer process, then the producers; every one must exit 0 and the totals be exact. */
    private void exchange(SharedRing.Kind kind, Map<Integer, Long> expected, ProducerStarter producers)
            throws Exception {
        final long started = System.nanoTime();
        final Child consumer = startConsumer("consumer", kind, expectation(expected));
        consumer.awaitLine("ATTACHED", STARTUP);
        for (Child producer : producers.start()) {
            assertExit(producer, ChildMain.OK);
        }
        assertExit(consumer, ChildMain.OK);
        final String result = consumer.awaitLine("RESULT", STARTUP);
        final long total = expected.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(total, field(result, "records"), this::context);
        assertEquals(0, field(result, "faults"), this::context);
        assertEquals(expectation(expected).substring("expect=".length()),
                ChildMain.fields(result).get("producers"), this::context);
        System.out.printf("%s: %,d records (%,d bytes) in %d ms of consuming, %d ms in all%n", name, total,
                field(result, "bytes"), field(result, "millis"), (System.nanoTime() - started) / 1_000_000);
    }

    /** Starts the producer processes of a run. */
    @FunctionalInterface
    private interface ProducerStarter {
        Child[] start() throws Exception;
    }
}
