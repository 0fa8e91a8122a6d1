package dev.logbuf.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.Unblock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Producer processes SIGKILLed mid-claim; the test JVM is the consumer.
 *
 * <ul>
 * <li>A claim held by a live producer process is a stall, never recovered;
 *     once that process is killed, {@code unblock()} recovers it, and every
 *     record claimed behind it by other processes arrives — even when a new
 *     producer process has started (and, for SPSC, taken over the dead one's
 *     role) before the consumer looks.</li>
 * <li>Producer processes claiming in a tight loop (each claim held for
 *     2 µs of work, so most kills land mid-claim), killed at random times
 *     while another process keeps producing: with
 *     {@code unblockAfter(10 ms)} the consumer drains the ring to the last
 *     byte; each dead producer's records are a gap-free prefix of its
 *     sequence at least as long as what it reported committed, every
 *     record of the live one arrives, and no more claims are recovered than
 *     producers died.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // bounds a hang; each test takes a few seconds
class ProducerDeathTest extends IpcTestSupport {

    /** Records of each producer that runs to the end while another is dead mid-claim (they fit the ring). */
    private static final long BEHIND = 1000;
    private static final int BIG_RING = 1 << 20;
    /**
     * Time each producer of the random-kill test spends inside a claim: it
     * slows them below the consumer's pace, so the ring is seldom full and a
     * kill usually lands mid-claim rather than in a wait for room.
     */
    private static final long WORK_NANOS = 2_000;

    @Test
    void shouldRecoverTheClaimOfAKilledMpscProducerAndDeliverEveryRecordBehindIt() throws Exception {
        final SharedRing shared = SharedRing.create(SharedRing.Kind.MPSC, ring, BIG_RING);
        final Consumer consumer = shared.consumer();
        final RecordChecker checker = new RecordChecker(seed);
        final Child stuck = startProducer("stuck", SharedRing.Kind.MPSC, "id=1", "mode=hang");
        stuck.awaitLine("CLAIMED", STARTUP);
        assertExit(startProducer("behind", SharedRing.Kind.MPSC, "id=2", "records=" + BEHIND), ChildMain.OK);

        assertEquals(0, consumer.read(checker, 64), () -> "read past a claim in progress\n" + context());
        assertEquals(Unblock.STALLED, consumer.unblock(), () -> "the claim of live pid " + stuck.pid() + "\n"
                + context());

        stuck.kill();
        // a producer that comes after the death (it may get the dead one's slot) and before the recovery
        assertExit(startProducer("after", SharedRing.Kind.MPSC, "id=3", "records=" + BEHIND), ChildMain.OK);
        assertEquals(Unblock.RECOVERED, consumer.unblock(), () -> "the claim of dead pid " + stuck.pid() + "\n"
                + context());

        readUntil(consumer, checker, () -> checker.tally().records() >= 2 * BEHIND, "2 x " + BEHIND + " records");
        assertDrained(shared, consumer, checker, Map.of(2, BEHIND, 3, BEHIND));
        assertEquals(1, consumer.stats().recovered(), this::context);
        consumer.close();
    }

    @Test
    void shouldLetANewSpscProducerTakeOverFromOneKilledMidClaim() throws Exception {
        final SharedRing shared = SharedRing.create(SharedRing.Kind.SPSC, ring, BIG_RING);
        final Consumer consumer = shared.consumer();
        final RecordChecker checker = new RecordChecker(seed);
        final Child stuck = startProducer("stuck", SharedRing.Kind.SPSC, "id=1", "mode=hang");
        stuck.awaitLine("CLAIMED", STARTUP);

        // the one producer role is held by a live process: a second one is refused, naming it
        final Child rival = startProducer("rival", SharedRing.Kind.SPSC, "id=2", "records=" + BEHIND);
        assertExit(rival, ChildMain.THREW);
        final String refusal = rival.describe();
        assertTrue(refusal.contains("IllegalStateException") && refusal.contains(Long.toString(stuck.pid())),
                () -> "the rival's refusal should name pid " + stuck.pid() + "\n" + context());

        assertEquals(0, consumer.read(checker, 64), () -> "read past a claim in progress\n" + context());
        assertEquals(Unblock.STALLED, consumer.unblock(), () -> "the claim of live pid " + stuck.pid() + "\n"
                + context());

        stuck.kill();
        // the successor takes the dead holder's role and resumes past its claim, still unrecovered
        assertExit(startProducer("successor", SharedRing.Kind.SPSC, "id=3", "records=" + BEHIND), ChildMain.OK);
        assertEquals(Unblock.RECOVERED, consumer.unblock(), () -> "the claim of dead pid " + stuck.pid() + "\n"
                + context());

        readUntil(consumer, checker, () -> checker.tally().records() >= BEHIND, BEHIND + " records");
        assertDrained(shared, consumer, checker, Map.of(3, BEHIND));
        consumer.close();
    }

    @Test
    void shouldDeliverEveryRecordOfProducersKilledAtRandomTimesAndOfTheOneThatLives() throws Exception {
        final SharedRing shared = SharedRing.create(SharedRing.Kind.MPSC, ring, SMALL_RING);
        final long steady = RECORDS / 4;
        final Child survivor = startProducer("survivor", SharedRing.Kind.MPSC, "id=1", "records=" + steady,
                "work=" + WORK_NANOS);
        final Consumer consumer = shared.consumer();
        consumer.unblockAfter(Duration.ofMillis(10));
        final RecordChecker checker = new RecordChecker(seed);

        // the consumer runs on its own thread until told the producers are done, then drains
        final AtomicBoolean producersDone = new AtomicBoolean();
        final AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
        final AtomicReference<String> lastLook = new AtomicReference<>("");
        final Thread reader = new Thread(() -> {
            try {
                drainUntilEmpty(shared, consumer, checker, producersDone, lastLook);
            } catch (Throwable e) {
                consumerFailure.set(e);
            }
        }, "consumer");
        reader.start();

        final Map<Integer, Long> committed = new LinkedHashMap<>(); // per victim: the most it reported
        final List<String> kills = new ArrayList<>();
        try {
            for (int victim = 10; victim < 13; victim++) {
                final Child child = startProducer("victim" + victim, SharedRing.Kind.MPSC, "id=" + victim,
                        "mode=endless", "progress=5000", "work=" + WORK_NANOS);
                child.awaitLine("PROGRESS", STARTUP);
                final long delay = 20 + random.nextInt(200);
                Thread.sleep(delay);
                child.kill();
                final Map<String, String> progress = child.lastFields("PROGRESS");
                committed.put(victim, Long.parseLong(progress.get("committed")));
                kills.add("victim " + victim + " killed " + delay + " ms after its first 5000, having reported "
                        + progress.get("committed"));
            }
            assertExit(survivor, ChildMain.OK);
        } finally {
            producersDone.set(true);
            reader.join(FINISH.toMillis());
        }
        final Tally tally = checker.tally();
        final String story = String.join("\n  ", kills) + "\n" + tally.report() + "\nconsumer: " + lastLook.get()
                + "\nstats " + shared.stats() + "\n";
        System.out.println(name + ":\n  " + story);
        assertTrue(!reader.isAlive(), () -> "the consumer thread did not finish\n" + story + context());
        if (consumerFailure.get() != null) {
            throw new AssertionError(story + context(), consumerFailure.get());
        }
        // in order per producer: so each victim's records are its sequences 0..k, with no gap
        assertTrue(tally.clean(), () -> story + context());
        assertEquals(steady, tally.records(1), () -> story + context());
        // a dead producer (one thread) leaves at most one claim behind
        assertTrue(shared.stats().recovered() <= committed.size(), () -> story + context());
        for (Map.Entry<Integer, Long> victim : committed.entrySet()) {
            assertTrue(tally.records(victim.getKey()) >= victim.getValue(), () -> "victim " + victim.getKey()
                    + " reported " + victim.getValue() + " committed\n" + story + context());
        }
        for (int id : tally.ids()) {
            assertTrue(id == 1 || committed.containsKey(id), () -> "records of producer " + id
                    + ", which never ran\n" + story + context());
        }
        consumer.close();
    }

    /**
     * The consumer thread of the random-kill test: reads until the producers
     * are done and then until the ring is empty, nothing blocks the head and
     * no live producer holds a slot.
     */
    private static void drainUntilEmpty(SharedRing shared, Consumer consumer, RecordChecker checker,
            AtomicBoolean producersDone, AtomicReference<String> lastLook) {
        final Backoff backoff = ChildMain.backoff();
        long deadline = Long.MAX_VALUE;
        for (;;) {
            if (consumer.read(checker, 64) > 0) {
                backoff.reset();
                continue;
            }
            if (producersDone.get()) {
                final long now = System.nanoTime();
                if (deadline == Long.MAX_VALUE) {
                    deadline = now + FINISH.toNanos() / 2;
                }
                final Unblock unblock = consumer.unblock();
                lastLook.set("unblock " + unblock + ", size " + shared.size() + ", disconnected "
                        + consumer.isDisconnected());
                if (unblock == Unblock.NOT_BLOCKED && shared.size() == 0 && consumer.isDisconnected()
                        && consumer.read(checker, 64) == 0) {
                    return;
                }
                if (now - deadline > 0) {
                    throw new AssertionError("the ring did not drain after the producers were done: "
                            + lastLook.get());
                }
            }
            backoff.idle();
        }
    }

    /** Nothing left: no record, nothing blocking, no byte reserved; and exactly {@code expected} arrived. */
    private void assertDrained(SharedRing shared, Consumer consumer, RecordChecker checker,
            Map<Integer, Long> expected) {
        assertEquals(0, consumer.read(checker, 64), this::context);
        assertEquals(Unblock.NOT_BLOCKED, consumer.unblock(), this::context);
        assertEquals(0, shared.size(), () -> "bytes still reserved: " + shared.stats() + "\n" + context());
        final Tally tally = checker.tally();
        tally.expectExactly(expected);
        assertTrue(tally.clean(), () -> tally.report() + "\n" + context());
    }
}
