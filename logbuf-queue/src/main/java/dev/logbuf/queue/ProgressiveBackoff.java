package dev.logbuf.queue;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Spins, then yields, then parks for longer and longer: every {@link Backoff} is one of these. */
final class ProgressiveBackoff implements Backoff {
    /** Idle polls answered by a spin, then by a yield; Long.MAX_VALUE for ever. */
    private final long spins;
    private final long yields;
    private final long minPark;
    private final long maxPark;
    /** Idle polls since the last reset; a long, so spinning never runs out. */
    private long idle;
    private long park;

    ProgressiveBackoff(long spins, long yields, long minPark, long maxPark) {
        this.spins = spins;
        this.yields = yields;
        this.minPark = minPark;
        this.maxPark = maxPark;
        this.park = minPark;
    }

    static long positive(Duration park, String name) {
        if (park == null) {
            throw new NullPointerException(name);
        }
        if (park.isNegative() || park.isZero()) {
            throw new IllegalArgumentException(name + " " + park + " is not positive");
        }
        return park.toNanos();
    }

    @Override
    public void idle() {
        if (idle < spins) {
            idle++;
            Thread.onSpinWait();
        } else if (idle - spins < yields) {
            idle++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(park);
            park = Math.min(maxPark, park * 2);
        }
    }

    /** Tests: what the next {@link #idle()} does: -1 spin, -2 yield, else the nanoseconds it parks. */
    long next() {
        return idle < spins ? -1 : idle - spins < yields ? -2 : park;
    }

    @Override
    public void reset() {
        idle = 0;
        park = minPark;
    }

    @Override
    public String toString() {
        return "Backoff[spins=" + spins + ", yields=" + yields + ", park=" + minPark + ".." + maxPark + " ns]";
    }
}
