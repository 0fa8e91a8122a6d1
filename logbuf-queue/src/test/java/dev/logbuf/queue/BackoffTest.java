package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The backoffs' schedules (what each idle poll does), and the arguments they refuse. */
@DisplayName("Backoff")
class BackoffTest {

    private static final long SPIN = -1;
    private static final long YIELD = -2;

    private static List<Long> schedule(Backoff backoff, int polls) {
        final ProgressiveBackoff progressive = (ProgressiveBackoff) backoff;
        final List<Long> steps = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            steps.add(progressive.next());
            progressive.idle(); // the parks here are microseconds at most
        }
        return steps;
    }

    @Test
    @DisplayName("progressive: the spins, then the yields, then parks doubling up to the longest; reset starts over")
    void shouldEscalateThenStartOver() {
        final Backoff backoff = Backoff.progressive(2, 1, Duration.ofNanos(1000), Duration.ofNanos(4000));
        assertEquals(List.of(SPIN, SPIN, YIELD, 1000L, 2000L, 4000L, 4000L), schedule(backoff, 7));
        backoff.reset();
        assertEquals(List.of(SPIN, SPIN, YIELD, 1000L), schedule(backoff, 4));
    }

    @Test
    @DisplayName("spinning never stops spinning, yielding never stops yielding, parking always parks the same")
    void shouldKeepTheirOneStep() {
        assertTrue(schedule(Backoff.spinning(), 100_000).stream().allMatch(step -> step == SPIN));
        assertTrue(schedule(Backoff.yielding(), 1_000).stream().allMatch(step -> step == YIELD));
        assertTrue(schedule(Backoff.parking(Duration.ofNanos(500)), 10).stream().allMatch(step -> step == 500L));
    }

    @Test
    @DisplayName("negative counts, parks that are not positive, a longest park below the first: refused, naming the value")
    void shouldRefuseBadArguments() {
        final Duration micro = Duration.ofNanos(1000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backoff.progressive(-1, 0, micro, micro))
                .getMessage().contains("-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backoff.parking(Duration.ZERO))
                .getMessage().contains("not positive"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Backoff.progressive(0, 0, micro, Duration.ofNanos(10))).getMessage().contains("shorter"));
        assertThrows(NullPointerException.class, () -> Backoff.parking(null));
    }
}
