package dev.logbuf.testkit.lincheck;

import static dev.logbuf.testkit.lincheck.Records.ABORTED;
import static dev.logbuf.testkit.lincheck.Records.BUSY;
import static dev.logbuf.testkit.lincheck.Records.CLAIMED;
import static dev.logbuf.testkit.lincheck.Records.CLOSED;
import static dev.logbuf.testkit.lincheck.Records.COMMITTED;
import static dev.logbuf.testkit.lincheck.Records.DISCONNECTED;
import static dev.logbuf.testkit.lincheck.Records.EMPTY;
import static dev.logbuf.testkit.lincheck.Records.HANDLE_CLOSED;
import static dev.logbuf.testkit.lincheck.Records.NONE;
import static dev.logbuf.testkit.lincheck.Records.RECEIVER_GONE;

import java.util.List;

/**
 * The stepped sequential specification of {@link MpscChannelLincheckTest}
 * (see {@link SteppedSpec}): the ring of {@link RingState}, the open senders
 * and the receiver's closed flag. The steps, each one atomic access of the
 * real code:
 * <ul>
 *   <li>{@code trySendN}: the tail CAS; the wrap padding's skip header, if
 *       any; then the look at the receiver's flag, which aborts the fresh
 *       claim and reports {@code receiver gone} when it is closed;</li>
 *   <li>{@code closeN}: the abort of an open claim, then the decrement of
 *       the sender count;</li>
 *   <li>{@code tryRecv}, {@code tryRead}: the look at the ring and its head
 *       stores; when it found nothing, the read of the sender count, and if
 *       that is 0 the last look (every commit before the last close is
 *       visible to it), which decides between a record and the
 *       disconnect;</li>
 *   <li>{@code commitN}, {@code abortN}, {@code closeReceiver}: one store.</li>
 * </ul>
 */
public final class SteppedChannelSpec implements SteppedSpec {

    /** A later step of trySend: the look at the receiver after the claim. */
    record CheckReceiver(int producer, String outcome) {
    }

    /** A later step of a sender's close: the sender count goes down. */
    record Leave(int producer) {
    }

    /** A later step of an empty look: the sender count decides. */
    record CountSenders(boolean batch, int limit) {
    }

    private final RingState ring;
    private final boolean[] senderClosed = new boolean[2];
    private int senders = 2;
    private boolean receiverClosed;

    /** A fresh channel with two open senders and an open receiver. */
    public SteppedChannelSpec() {
        this(new RingState());
    }

    private SteppedChannelSpec(RingState ring) {
        this.ring = ring;
    }

    @Override
    public Object start(String method, List<Object> arguments, List<Object> later) {
        switch (method) {
            case "trySend0": return trySend(0, (Integer) arguments.get(0), later);
            case "trySend1": return trySend(1, (Integer) arguments.get(0), later);
            case "commit0": return end(0, true);
            case "commit1": return end(1, true);
            case "abort0": return end(0, false);
            case "abort1": return end(1, false);
            case "close0": return close(0, later);
            case "close1": return close(1, later);
            case "tryRecv": {
                if (receiverClosed) {
                    return HANDLE_CLOSED;
                }
                final String record = ring.take(later);
                if (record != null) {
                    ring.release(later);
                    return record;
                }
                later.add(new CountSenders(false, 0));
                return null;
            }
            case "tryRead": {
                if (receiverClosed) {
                    return HANDLE_CLOSED;
                }
                final int limit = (Integer) arguments.get(0);
                final List<String> records = ring.read(limit, later);
                if (!records.isEmpty()) {
                    return Records.batch(records);
                }
                later.add(new CountSenders(true, limit));
                return null;
            }
            case "closeReceiver":
                receiverClosed = true;
                return CLOSED;
            default:
                throw new IllegalArgumentException("no operation " + method);
        }
    }

    private Object trySend(int producer, int length, List<Object> later) {
        if (senderClosed[producer]) {
            return HANDLE_CLOSED;
        }
        if (ring.hasOpenClaim(producer)) {
            return BUSY;
        }
        later.add(new CheckReceiver(producer, ring.claim(producer, length, later)));
        return null;
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

    private String close(int producer, List<Object> later) {
        if (senderClosed[producer]) {
            return CLOSED;
        }
        senderClosed[producer] = true;
        if (ring.hasOpenClaim(producer)) {
            ring.abort(producer);
        }
        later.add(new Leave(producer));
        return CLOSED;
    }

    @Override
    public Object step(Object token, List<Object> later) {
        if (ring.step(token)) {
            return null;
        }
        if (token instanceof CheckReceiver) {
            final CheckReceiver check = (CheckReceiver) token;
            if (!receiverClosed) {
                return check.outcome();
            }
            if (CLAIMED.equals(check.outcome())) {
                ring.abortUnseen(check.producer());
            }
            return RECEIVER_GONE;
        }
        if (token instanceof Leave) {
            senders--;
            return null;
        }
        if (token instanceof CountSenders) {
            final CountSenders count = (CountSenders) token;
            if (senders > 0) {
                return count.batch() ? Records.batch(List.of()) : EMPTY;
            }
            if (count.batch()) {
                final List<String> records = ring.read(count.limit(), later);
                return records.isEmpty() ? DISCONNECTED : Records.batch(records);
            }
            final String record = ring.take(later);
            if (record == null) {
                return DISCONNECTED;
            }
            ring.release(later);
            return record;
        }
        throw new IllegalArgumentException("no step " + token);
    }

    @Override
    public SteppedSpec copy() {
        final SteppedChannelSpec c = new SteppedChannelSpec(ring.copy());
        c.senderClosed[0] = senderClosed[0];
        c.senderClosed[1] = senderClosed[1];
        c.senders = senders;
        c.receiverClosed = receiverClosed;
        return c;
    }

    @Override
    public String state() {
        return ring.state() + " senders" + senders + (senderClosed[0] ? "x" : "o") + (senderClosed[1] ? "x" : "o")
                + (receiverClosed ? " rx" : " ro");
    }
}
