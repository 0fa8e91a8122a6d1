package dev.logbuf.testkit.lincheck;

import static dev.logbuf.testkit.lincheck.Records.ABORTED;
import static dev.logbuf.testkit.lincheck.Records.BUSY;
import static dev.logbuf.testkit.lincheck.Records.COMMITTED;
import static dev.logbuf.testkit.lincheck.Records.EMPTY;
import static dev.logbuf.testkit.lincheck.Records.NONE;
import static dev.logbuf.testkit.lincheck.Records.RELEASED;

import java.util.List;

/**
 * The stepped sequential specification of {@link MpscQueueLincheckTest}
 * (see {@link SteppedSpec} for why steps). The steps, each one atomic access
 * of the real code:
 * <ul>
 *   <li>{@code claimN}: the tail CAS (decided against the head producers see),
 *       then, if it reserved wrap padding, the padding's skip header;</li>
 *   <li>{@code commitN}, {@code abortN}: the header store, one step;</li>
 *   <li>{@code poll}: the look that finds the record or an unpublished
 *       header, then the head store for skipped bytes (if any), then the head
 *       store of the release;</li>
 *   <li>{@code take}: the look, then the head store for skipped bytes;
 *       {@code release}: the head store;</li>
 *   <li>{@code read(limit)}: the looks (a record, once committed, stays so: the
 *       batch's looks count as one), then the one head store.</li>
 * </ul>
 */
public final class SteppedQueueSpec implements SteppedSpec {

    private final RingState ring;

    /** An empty ring. */
    public SteppedQueueSpec() {
        this(new RingState());
    }

    private SteppedQueueSpec(RingState ring) {
        this.ring = ring;
    }

    @Override
    public Object start(String method, List<Object> arguments, List<Object> later) {
        switch (method) {
            case "claim0": return claim(0, (Integer) arguments.get(0), later);
            case "claim1": return claim(1, (Integer) arguments.get(0), later);
            case "commit0": return end(0, true);
            case "commit1": return end(1, true);
            case "abort0": return end(0, false);
            case "abort1": return end(1, false);
            case "poll": {
                if (ring.isHolding()) {
                    return BUSY;
                }
                final String record = ring.take(later);
                if (record == null) {
                    return EMPTY;
                }
                ring.release(later);
                return record;
            }
            case "take": {
                if (ring.isHolding()) {
                    return BUSY;
                }
                final String record = ring.take(later);
                return record == null ? EMPTY : record;
            }
            case "release": {
                if (!ring.isHolding()) {
                    return NONE;
                }
                ring.release(later);
                return RELEASED;
            }
            case "read": {
                if (ring.isHolding()) {
                    return BUSY;
                }
                return Records.batch(ring.read((Integer) arguments.get(0), later));
            }
            default:
                throw new IllegalArgumentException("no operation " + method);
        }
    }

    private String claim(int producer, int length, List<Object> later) {
        return ring.hasOpenClaim(producer) ? BUSY : ring.claim(producer, length, later);
    }

    private String end(int producer, boolean commit) {
        if (!ring.hasOpenClaim(producer)) {
            return NONE;
        }
        if (commit) {
            ring.commit(producer);
            return COMMITTED;
        }
        ring.abort(producer);
        return ABORTED;
    }

    @Override
    public Object step(Object token, List<Object> later) {
        if (!ring.step(token)) {
            throw new IllegalArgumentException("no step " + token);
        }
        return null;
    }

    @Override
    public SteppedSpec copy() {
        return new SteppedQueueSpec(ring.copy());
    }

    @Override
    public String state() {
        return ring.state();
    }
}
