package dev.logbuf.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every benchmark's {@code @Setup} rejects a {@code -p} value it cannot run
 * with, up front, naming the parameter, the value and the valid values —
 * instead of failing later in the measurement ({@code SingleThread -p
 * size=random} used to end in "bad record").
 */
class BenchParamsTest {

    @Test
    void singleThreadRejectsARandomSizeUpFront() {
        final SingleThread bench = singleThread("logbuf", "spsc", "random");
        expectRejected(bench::setUp, "size", "random", "8..1024");
    }

    @Test
    void singleThreadRejectsAnUnknownKindAndSubject() {
        expectRejected(singleThread("logbuf", "spcs", "64")::setUp, "kind", "spcs", "spsc, mpsc");
        expectRejected(singleThread("logbuff", "spsc", "64")::setUp, "subject", "logbuff", "logbuf, logbuf-claim");
    }

    @Test
    void singleThreadAcceptsAValidCombination() {
        assertDoesNotThrow(singleThread("logbuf-claim", "mpsc", "100")::setUp);
    }

    @Test
    void channelOverheadRejectsARandomSizeAndAnUnknownKind() {
        final ChannelOverhead random = new ChannelOverhead();
        random.subject = "channel";
        random.kind = "spsc";
        random.size = "random";
        expectRejected(random::setUp, "size", "random", "8..1024");
        final ChannelOverhead kind = new ChannelOverhead();
        kind.subject = "channel";
        kind.kind = "MPSC";
        kind.size = "64";
        expectRejected(kind::setUp, "kind", "MPSC", "spsc, mpsc");
    }

    @Test
    void throughputRejectsAnUnknownSizeReaderAndSubject() {
        expectRejected(ring("logbuf", "big", "verify"), "size", "big", "random, or a fixed length 8..1024");
        expectRejected(ring("logbuf", "4096", "verify"), "size", "4096", "random, or a fixed length 8..1024");
        expectRejected(ring("logbuf", "64", "crc"), "reader", "crc", "verify, crc32c");
        expectRejected(ring("kafka", "64", "verify"), "subject", "kafka", "agrona");
    }

    @Test
    void pingPongAndChannelWakeupRejectAnUnknownValue() {
        final PingPong pingPong = new PingPong();
        pingPong.subject = "disruptor";
        expectRejected(pingPong::setUp, "subject", "disruptor", "jctools");
        final ChannelWakeup wakeup = new ChannelWakeup();
        wakeup.receiver = "sleeping";
        expectRejected(wakeup::setUp, "receiver", "sleeping", "parked, spinning");
    }

    private static SingleThread singleThread(String subject, String kind, String size) {
        final SingleThread bench = new SingleThread();
        bench.subject = subject;
        bench.kind = kind;
        bench.size = size;
        return bench;
    }

    /** Throughput's ring state, set up without JMH's BenchmarkParams: the check comes before any use of them. */
    private static Executable ring(String subject, String size, String reader) {
        final Throughput.Ring ring = new Throughput.Ring();
        ring.subject = subject;
        ring.size = size;
        ring.reader = reader;
        return () -> ring.setUp(null);
    }

    private static void expectRejected(Executable setUp, String parameter, String value, String valid) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, setUp,
                "-p " + parameter + "=" + value);
        final String message = e.getMessage();
        assertTrue(message.contains("-p " + parameter + "=" + value), message);
        assertTrue(message.contains(valid), message);
    }
}
