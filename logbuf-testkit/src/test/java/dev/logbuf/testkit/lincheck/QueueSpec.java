package dev.logbuf.testkit.lincheck;

import static dev.logbuf.testkit.lincheck.Records.ABORTED;
import static dev.logbuf.testkit.lincheck.Records.BUSY;
import static dev.logbuf.testkit.lincheck.Records.CAPACITY;
import static dev.logbuf.testkit.lincheck.Records.CLAIMED;
import static dev.logbuf.testkit.lincheck.Records.COMMITTED;
import static dev.logbuf.testkit.lincheck.Records.EMPTY;
import static dev.logbuf.testkit.lincheck.Records.FULL;
import static dev.logbuf.testkit.lincheck.Records.NONE;
import static dev.logbuf.testkit.lincheck.Records.RELEASED;

import dev.logbuf.testkit.RingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations of {@link MpscQueueLincheckTest} answered by the testkit's
 * {@link RingModel} (which predicts full, wrap padding, claim order and what
 * the consumer sees), one atomic point per operation. It is the reference
 * {@link SteppedSpecTest} holds {@link SteppedQueueSpec} to. As Lincheck's
 * specification it would be wrong for the concurrent runs: Lincheck rejects
 * correct histories against it (see {@link SteppedSpec}).
 */
public class QueueSpec {

    private final RingModel model = new RingModel(CAPACITY);
    private final int[] seq = new int[2];

    /** @see MpscQueueLincheckTest#claim0 */
    public String claim0(int length) {
        return claim(0, length);
    }

    /** @see MpscQueueLincheckTest#commit0 */
    public String commit0() {
        return commit(0);
    }

    /** @see MpscQueueLincheckTest#abort0 */
    public String abort0() {
        return abort(0);
    }

    /** @see MpscQueueLincheckTest#claim1 */
    public String claim1(int length) {
        return claim(1, length);
    }

    /** @see MpscQueueLincheckTest#commit1 */
    public String commit1() {
        return commit(1);
    }

    /** @see MpscQueueLincheckTest#abort1 */
    public String abort1() {
        return abort(1);
    }

    /** @see MpscQueueLincheckTest#poll */
    public String poll() {
        if (model.isReading()) {
            return BUSY;
        }
        final byte[] payload = model.consumerClaim();
        if (payload == null) {
            return EMPTY;
        }
        model.release();
        return Records.describe(payload);
    }

    /** @see MpscQueueLincheckTest#take */
    public String take() {
        if (model.isReading()) {
            return BUSY;
        }
        final byte[] payload = model.consumerClaim();
        return payload == null ? EMPTY : Records.describe(payload);
    }

    /** @see MpscQueueLincheckTest#release */
    public String release() {
        if (!model.isReading()) {
            return NONE;
        }
        model.release();
        return RELEASED;
    }

    /** @see MpscQueueLincheckTest#read */
    public String read(int limit) {
        if (model.isReading()) {
            return BUSY;
        }
        final List<String> records = new ArrayList<>();
        for (byte[] payload : model.read(limit)) {
            records.add(Records.describe(payload));
        }
        return Records.batch(records);
    }

    private String claim(int producer, int length) {
        if (model.hasOpenClaim(producer)) {
            return BUSY;
        }
        switch (model.claim(producer, length)) {
            case CLAIMED:
                model.write(producer, 0, Records.payload(producer, seq[producer]++, length));
                return CLAIMED;
            case FULL:
            case PADDED_THEN_FULL: // the API returns null for both; the padding shows in what follows
                return FULL;
            default:
                throw new AssertionError();
        }
    }

    private String commit(int producer) {
        if (!model.hasOpenClaim(producer)) {
            return NONE;
        }
        model.commit(producer);
        return COMMITTED;
    }

    private String abort(int producer) {
        if (!model.hasOpenClaim(producer)) {
            return NONE;
        }
        model.abort(producer);
        return ABORTED;
    }
}
