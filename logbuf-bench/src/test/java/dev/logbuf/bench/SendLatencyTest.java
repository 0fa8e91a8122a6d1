package dev.logbuf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SendLatency}'s options are checked before anything runs, and a
 * short run delivers every record and reports what it promises. Timing is not
 * asserted: the machine is shared.
 */
class SendLatencyTest {

    @Test
    void rejectsABadOptionUpFrontNamingItAndWhatIsValid() {
        expectRejected("--subject kafka", "--subject kafka", "logbuf, channel, channel-wake");
        expectRejected("--producers 0", "--producers 0", "1..4");
        expectRejected("--producers two", "--producers two", "1..4");
        expectRejected("--size random", "--size random", "8..1024");
        expectRejected("--rate fast", "--rate fast", "max, or records per second");
        expectRejected("--duration 0s", "--duration 0s", "above 0");
        expectRejected("--sise 64", "unknown option --sise", "--size");
    }

    @Test
    void readsRatesWithUnitsAndSaturation() {
        assertEquals(1_000_000, SendLatency.Config.parse(args("--rate 1M")).rate());
        assertEquals(500_000, SendLatency.Config.parse(args("--rate 500k")).rate());
        assertEquals(250_000, SendLatency.Config.parse(args("--rate 250000")).rate());
        assertEquals(0, SendLatency.Config.parse(args("--rate max")).rate());
    }

    @Test
    void aShortPacedRunDeliversEveryRecordAndReportsBothKinds() throws InterruptedException {
        for (String subject : List.of("logbuf", "channel")) {
            final SendLatency.Result result = SendLatency.run(SendLatency.Config.parse(
                    args("--subject " + subject + " --producers 2 --rate 100k --warmup 50ms --duration 100ms")));
            assertEquals(2, result.lines.size(), result.lines.toString());
            assertTrue(result.lines.get(0).contains(" kind=service ") && result.lines.get(0).contains(" count=10000 "),
                    result.lines.get(0));
            assertTrue(result.lines.get(1).contains(" kind=response "), result.lines.get(1));
        }
    }

    @Test
    void aShortSaturatedRunReportsServiceTimeOnly() throws InterruptedException {
        final SendLatency.Result result = SendLatency.run(SendLatency.Config.parse(
                args("--subject channel-send --rate max --warmup 50ms --duration 100ms")));
        assertEquals(1, result.lines.size(), result.lines.toString());
        assertTrue(result.lines.get(0).contains(" kind=service "), result.lines.get(0));
    }

    private static String[] args(String line) {
        return line.split(" ");
    }

    private static void expectRejected(String line, String named, String valid) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SendLatency.Config.parse(args(line)), line);
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertTrue(e.getMessage().contains(valid), e.getMessage());
    }
}
