package dev.logbuf.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A consumer process SIGKILLed in the middle of a run, twice, at points drawn
 * from the seed; each time a new consumer process takes the role over from
 * the dead one and goes on from the shared head. Each consumer writes every
 * record it takes, with its ring position, to one output log before releasing
 * it, and skips a record at a position the log already has (one the killed
 * consumer had written but not released). The log must end up holding
 * exactly the records sent: each producer's sequences complete, in order,
 * once, at increasing positions.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // bounds a hang; a run takes several seconds
class ConsumerRestartTest extends IpcTestSupport {

    /** Consumers killed before the one that finishes. */
    private static final int KILLS = 2;

    @ParameterizedTest
    @EnumSource(SharedRing.Kind.class)
    void shouldWriteEveryRecordExactlyOnceAcrossKilledConsumers(SharedRing.Kind kind) throws Exception {
        SharedRing.create(kind, ring, SMALL_RING);
        final Map<Integer, Long> expected = new LinkedHashMap<>();
        final List<Child> producers = new ArrayList<>();
        if (kind == SharedRing.Kind.SPSC) {
            expected.put(1, RECORDS);
            producers.add(startProducer("producer", kind, "id=1", "records=" + RECORDS));
        } else {
            final long each = RECORDS / 4;
            expected.put(1, each);
            expected.put(2, each);
            expected.put(3, RECORDS - 2 * each);
            producers.add(startProducer("producers1-2", kind, "id=1", "threads=2", "records=" + each));
            producers.add(startProducer("producer3", kind, "id=3", "records=" + expected.get(3)));
        }
        final Path out = dir.resolve(name + ".out");
        final long progress = Math.max(1, RECORDS / 100);
        final StringBuilder story = new StringBuilder();
        long killAt = 0;
        for (int incarnation = 1; incarnation <= KILLS + 1; incarnation++) {
            final Child consumer = startConsumer("consumer" + incarnation, kind, expectation(expected),
                    "out=" + out, "progress=" + progress);
            final String attached = consumer.awaitLine("ATTACHED", STARTUP);
            story.append(String.format("%n  consumer %d: resumed %,d entries, head %,d, last %,d", incarnation,
                    field(attached, "resumed"), field(attached, "head"), field(attached, "last")));
            if (incarnation <= KILLS) {
                // somewhere in the next 10..40 % of the run: the kill lands wherever the consumer then is
                killAt = Math.max(killAt, field(attached, "resumed")) + RECORDS / 10 + (long) (random.nextDouble()
                        * RECORDS * 3 / 10);
                final long at = killAt;
                consumer.awaitLine(line -> line.startsWith("PROGRESS") && field(line, "records") >= at,
                        "progress past " + at, FINISH);
                Thread.sleep(random.nextInt(20)); // so the kill does not always land just after a print
                consumer.kill();
                story.append(String.format(", killed past %,d", at));
            } else {
                assertExit(consumer, ChildMain.OK);
                final String result = consumer.awaitLine("RESULT", STARTUP);
                story.append(", finished: ").append(result);
                assertEquals(RECORDS, field(result, "records"), this::context);
                // only the one record a killed consumer held unreleased comes round again
                assertTrue(field(result, "skipped") <= 1, () -> "skipped " + result + "\n" + context());
            }
        }
        for (Child producer : producers) {
            assertExit(producer, ChildMain.OK);
        }

        // the log, checked on its own: the consumers' word is not taken for it
        final Tally tally = new Tally();
        final long[] last = {-1};
        final long entries = OutputLog.readAll(out, e -> {
            if (e.position() <= last[0]) {
                tally.fault("position " + e.position() + " after " + last[0]);
            }
            last[0] = e.position();
            tally.accept(e.id(), e.sequence(), e.length());
        });
        tally.expectExactly(expected);
        System.out.println(name + ":" + story);
        assertEquals(RECORDS, entries, () -> tally.report() + story + "\n" + context());
        assertTrue(tally.clean(), () -> tally.report() + story + "\n" + context());
    }
}
