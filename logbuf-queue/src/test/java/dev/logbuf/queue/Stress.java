package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Producer threads against one consumer: each producer sends records
 * {@code (producer, seq)} of varying length whose every byte derives from
 * both, with an aborted claim now and then; the consumer checks each
 * producer's order, every byte and the total. No sleeps: threads spin with
 * {@link Thread#onSpinWait()} and then yield, and every wait is bounded.
 */
final class Stress {

    /** Bytes of the (producer, seq) prefix of every record. */
    static final int PREFIX = Integer.BYTES + Long.BYTES;

    /** How long a run may take before the test fails instead of hanging. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Stress() {
    }

    /** The length of record {@code seq} of {@code producer}: PREFIX..maxLength. */
    static int lengthOf(int producer, long seq, int maxLength) {
        final long mixed = (seq + 1) * 0x9E3779B97F4A7C15L ^ (producer + 1) * 0xC2B2AE3D27D4EB4FL;
        return PREFIX + (int) Long.remainderUnsigned(mixed >>> 7, maxLength - PREFIX + 1);
    }

    /** Byte {@code index} (past the prefix) of record {@code seq} of {@code producer}. */
    static byte byteOf(int producer, long seq, int index) {
        return (byte) ((seq * 0x2545F4914F6CDD1DL + producer * 0x9E3779B97F4A7C15L + index * 0x165667B19E3779F9L) >>> 56);
    }

    /**
     * Runs {@code producers.size()} producer threads, {@code perProducer}
     * records each of {@code PREFIX..maxLength} bytes, and consumes on the
     * calling side (in JUnit's time-out thread) until every record arrived.
     */
    static void run(Consumer consumer, List<? extends Producer> producers, int perProducer, int maxLength) {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[producers.size()];
        final StopFlag stopFlag = new StopFlag();
        for (int p = 0; p < threads.length; p++) {
            final int id = p;
            final Producer producer = producers.get(p);
            threads[p] = new Thread(() -> produce(producer, id, perProducer, maxLength, stopFlag, failure),
                    "stress-producer-" + p);
            threads[p].setDaemon(true);
        }
        final Verifier verifier = new Verifier(threads.length, perProducer, maxLength);
        try {
            for (Thread thread : threads) {
                thread.start();
            }
            assertTimeoutPreemptively(TIMEOUT, () -> consume(consumer, verifier, failure),
                    () -> "timed out with " + verifier.received + " records received; producer failure: " + failure.get());
            for (Thread thread : threads) {
                thread.join(TIMEOUT.toMillis());
                assertFalse(thread.isAlive(), thread.getName() + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while joining the producers", e);
        } finally {
            stopFlag.stop = true;
        }
        if (failure.get() != null) {
            fail("a producer failed", failure.get());
        }
        for (int p = 0; p < threads.length; p++) {
            assertEquals(perProducer, verifier.next[p], "records of producer " + p);
        }
        assertEquals((long) perProducer * threads.length, verifier.received, "total records");
        assertNull(consumer.tryClaim(), "nothing but the records sent: aborted claims never show");
    }

    /** Set when the test is over, so producer threads stop spinning even after a failure. */
    private static final class StopFlag {
        volatile boolean stop;
    }

    private static void produce(Producer producer, int id, int count, int maxLength, StopFlag stopFlag,
            AtomicReference<Throwable> failure) {
        final byte[] scratch = new byte[maxLength];
        final ByteBuffer prefix = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (long seq = 0; seq < count; seq++) {
                if (seq % 29 == 3) {
                    // an aborted claim in the stream, with bytes the consumer must never see
                    final WriteClaim junk = claim(producer, lengthOf(id, ~seq, maxLength), stopFlag);
                    if (junk == null) {
                        return;
                    }
                    Arrays.fill(scratch, (byte) 0xEE);
                    junk.put(scratch, 0, junk.length());
                    if ((seq & 1) == 0) {
                        junk.abort();
                    } else {
                        junk.close();
                    }
                }
                final int length = lengthOf(id, seq, maxLength);
                final WriteClaim claim = claim(producer, length, stopFlag);
                if (claim == null) {
                    return;
                }
                prefix.putInt(0, id).putLong(Integer.BYTES, seq);
                for (int i = PREFIX; i < length; i++) {
                    scratch[i] = byteOf(id, seq, i);
                }
                if ((seq & 3) == 0) {
                    claim.put(scratch, 0, length);
                } else {
                    // the indexed puts and the buffer view write the same bytes
                    claim.putInt(0, id).putLong(Integer.BYTES, seq);
                    claim.buffer().position(claim.buffer().position() + PREFIX);
                    claim.put(scratch, PREFIX, length - PREFIX);
                }
                claim.commit();
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /** Spins, then yields, until the claim succeeds; null if the run was stopped. */
    private static WriteClaim claim(Producer producer, int length, StopFlag stopFlag) {
        int idle = 0;
        for (WriteClaim claim; ; ) {
            if ((claim = producer.tryClaim(length)) != null) {
                return claim;
            }
            if (stopFlag.stop) {
                return null;
            }
            idle = backOff(idle);
        }
    }

    private static int backOff(int idle) {
        if (idle < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return idle + 1;
    }

    private static void consume(Consumer consumer, Verifier verifier, AtomicReference<Throwable> failure) {
        final long total = (long) verifier.next.length * verifier.perProducer;
        int idle = 0;
        for (long round = 0; verifier.received < total; round++) {
            final int got;
            if ((round & 1) == 0) {
                got = consumer.read(verifier, 1 + (int) (round % 32));
            } else {
                try (ReadClaim record = consumer.tryClaim()) {
                    if (record == null) {
                        got = 0;
                    } else {
                        verifier.check(record);
                        got = 1;
                    }
                }
            }
            if (got == 0) {
                if (failure.get() != null) {
                    fail("a producer failed", failure.get());
                }
                if (Thread.currentThread().isInterrupted()) {
                    fail("interrupted (timed out) with " + verifier.received + " of " + total + " records");
                }
                idle = backOff(idle);
            } else {
                idle = 0;
            }
        }
    }

    /** Checks each record: its producer's next sequence number, its length, every byte. */
    private static final class Verifier implements RecordHandler {
        final long[] next;
        final int perProducer;
        final int maxLength;
        long received;
        private final byte[] expected;
        private final byte[] actual;

        Verifier(int producers, int perProducer, int maxLength) {
            this.next = new long[producers];
            this.perProducer = perProducer;
            this.maxLength = maxLength;
            this.expected = new byte[maxLength];
            this.actual = new byte[maxLength];
        }

        @Override
        public void onRecord(Payload payload) {
            final int length = payload.length();
            assertTrue(length >= PREFIX && length <= maxLength, "record length " + length);
            payload.get(0, actual, 0, length);
            verify(payload.getInt(0), payload.getLong(Integer.BYTES), length);
        }

        void check(ReadClaim record) {
            onRecord(record);
        }

        private void verify(int producer, long seq, int length) {
            assertTrue(producer >= 0 && producer < next.length, "producer id " + producer + " (an aborted claim shown?)");
            assertEquals(next[producer], seq, "producer " + producer + " records out of order");
            assertEquals(lengthOf(producer, seq, maxLength), length, "length of record " + seq + " of producer " + producer);
            for (int i = PREFIX; i < length; i++) {
                expected[i] = byteOf(producer, seq, i);
            }
            for (int i = PREFIX; i < length; i++) {
                if (expected[i] != actual[i]) {
                    assertArrayEquals(Arrays.copyOfRange(expected, PREFIX, length),
                            Arrays.copyOfRange(actual, PREFIX, length),
                            "bytes of record " + seq + " of producer " + producer);
                }
            }
            next[producer]++;
            received++;
        }
    }
}
