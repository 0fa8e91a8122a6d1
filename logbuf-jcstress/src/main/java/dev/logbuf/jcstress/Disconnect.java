package dev.logbuf.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.channel.Sender;
import dev.logbuf.channel.SpscChannel;
import dev.logbuf.channel.SpscSender;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.Payload;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Race 6, disconnect: a sender commits a record and closes, while the
 * receiver looks. Closing a sender closes its producer handle, which leaves
 * the queue with a volatile decrement of the producer count (in
 * {@code Handles}) after the commit; a receiver that reads the queue as
 * disconnected (acquire) looks at the ring once more before it reports the
 * disconnect, so the record always arrives first.
 *
 * <p>Results are (what the receiver's call returned: the record's tag, 0 for
 * "nothing yet", -1 for {@link ChannelClosedException}; the records the
 * arbiter still received before the disconnect, as tag digits, or -1 if the
 * arbiter saw no disconnect at the end). {@code TryControlledRead} runs the
 * same race against a controlled read whose handler leaves every record in
 * the ring (ABORT): the receiver must not report the disconnect while one
 * is there.
 */
public final class Disconnect {

    private Disconnect() {
    }

    /** The receiver's one look: the tag of the record, 0 for none, -1 for the disconnect. */
    static int tryRecv(Receiver receiver) {
        try {
            final ReadClaim record = receiver.tryRecv();
            return record == null ? 0 : Records.take(record);
        } catch (ChannelClosedException disconnected) {
            return -1;
        }
    }

    /** Receives until the disconnect: the digits of the records before it, or -1 if it never came. */
    static int drainToDisconnect(Receiver receiver) {
        int digits = 0;
        try {
            for (int i = 0; i < 4; i++) {
                final ReadClaim record = receiver.tryRecv();
                if (record == null) {
                    return -1; // every sender is closed by now: "empty" must be the disconnect
                }
                digits = digits * 10 + Records.take(record);
            }
            return -1;
        } catch (ChannelClosedException disconnected) {
            return digits;
        }
    }

    /** Sends record {@code tag} (8 bytes) and closes the sender. */
    static void commitAndClose(Sender sender, int tag) {
        Records.commit(sender.trySend(8), tag);
        sender.close();
    }

    /** SPSC: commit then close against tryRecv. */
    @JCStressTest
    @Description("SPSC: commit then close against tryRecv.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "tryRecv looked before the commit; the record arrived before the disconnect.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "tryRecv took the record; the arbiter saw the disconnect.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The disconnect was reported before the committed record: it was lost.")
    @Outcome(expect = FORBIDDEN, desc = "The record was lost, duplicated or torn, or the disconnect never came.")
    @State
    public static class TryRecv {
        private final SpscChannel channel = SpscChannel.create(64);
        private final SpscSender sender = channel.sender();
        private final Receiver receiver = channel.receiver();

        @Actor
        public void sender() {
            commitAndClose(sender, 1);
        }

        @Actor
        public void receiver(II_Result r) {
            r.r1 = tryRecv(receiver);
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = drainToDisconnect(receiver);
        }
    }

    /** MPSC: commit then close against a blocking recv, which must return the record and never the disconnect. */
    @JCStressTest
    @Description("MPSC: commit then close against a blocking recv, which must return the record and never the disconnect.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "recv returned the record; the arbiter saw the disconnect.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "recv reported the disconnect before the committed record: it was lost.")
    @Outcome(expect = FORBIDDEN, desc = "The record was lost, duplicated or torn, or the disconnect never came.")
    @State
    public static class Recv {
        private final MpscChannel channel = MpscChannel.create(64);
        private final MpscSender sender = channel.newSender();
        private final Receiver receiver = channel.receiver();

        @Actor
        public void sender() {
            commitAndClose(sender, 1);
        }

        @Actor
        public void receiver(II_Result r) {
            try {
                r.r1 = Records.take(receiver.recv());
            } catch (ChannelClosedException disconnected) {
                r.r1 = -1;
            } catch (InterruptedException unexpected) {
                Thread.currentThread().interrupt();
                r.r1 = -2;
            }
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = drainToDisconnect(receiver);
        }
    }

    /** MPSC: commit then close against a batch read (tryRead). */
    @JCStressTest
    @Description("MPSC: commit then close against a batch read (tryRead).")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "tryRead looked before the commit; the record arrived before the disconnect.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "tryRead took the record; the arbiter saw the disconnect.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The disconnect was reported before the committed record: it was lost.")
    @Outcome(expect = FORBIDDEN, desc = "The record was lost, duplicated or torn, or the disconnect never came.")
    @State
    public static class TryRead {
        private final MpscChannel channel = MpscChannel.create(64);
        private final MpscSender sender = channel.newSender();
        private final Receiver receiver = channel.receiver();
        private final Records.Digits reader = new Records.Digits();

        @Actor
        public void sender() {
            commitAndClose(sender, 1);
        }

        @Actor
        public void receiver(II_Result r) {
            reader.digits = 0;
            try {
                receiver.tryRead(reader, 4);
                r.r1 = reader.digits;
            } catch (ChannelClosedException disconnected) {
                r.r1 = -1;
            }
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = drainToDisconnect(receiver);
        }
    }

    /**
     * MPSC: commit then close against a waiting batch read (read), which parks
     * as recv does and must hand over the record, never the disconnect first.
     */
    @JCStressTest
    @Description("MPSC: commit then close against a waiting batch read (read), which must return the record and never the disconnect.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "read handed over the record; the arbiter saw the disconnect.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "read reported the disconnect before the committed record: it was lost.")
    @Outcome(expect = FORBIDDEN, desc = "The record was lost, duplicated or torn, or the disconnect never came.")
    @State
    public static class Read {
        private final MpscChannel channel = MpscChannel.create(64);
        private final MpscSender sender = channel.newSender();
        private final Receiver receiver = channel.receiver();
        private final Records.Digits reader = new Records.Digits();

        @Actor
        public void sender() {
            commitAndClose(sender, 1);
        }

        @Actor
        public void receiver(II_Result r) {
            reader.digits = 0;
            try {
                receiver.read(reader, 4);
                r.r1 = reader.digits;
            } catch (ChannelClosedException disconnected) {
                r.r1 = -1;
            } catch (InterruptedException unexpected) {
                Thread.currentThread().interrupt();
                r.r1 = -2;
            }
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = drainToDisconnect(receiver);
        }
    }

    /** A controlled-read handler that notes each record's tag as a digit and aborts it: nothing is consumed. */
    static final class AbortEvery implements ControlledRecordHandler {
        int digits;

        @Override
        public Action onRecord(Payload payload) {
            digits = digits * 10 + Records.tagOf(payload);
            return Action.ABORT;
        }
    }

    /**
     * MPSC: commit then close against a controlled read whose handler aborts
     * every record, so the record stays in the ring: the receiver must not
     * report the disconnect while it is there. After the read found nothing
     * to consume and the count says disconnected (acquire), the receiver
     * peeks with a claim and puts the record back ({@code ReadClaim.putBack()}).
     *
     * <p>The first result is the tags the handler was handed and aborted (0
     * none, 1 record 1), -1 for {@link ChannelClosedException}, -2 if the
     * read said it consumed a record.
     */
    @JCStressTest
    @Description("MPSC: commit then close against tryControlledRead with a handler that aborts every record.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The read looked before the commit (or the peek put it back); the record arrived before the disconnect.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "The handler aborted the record; it stayed, and the arbiter received it, intact, before the disconnect.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The disconnect was reported while the aborted (or just committed) record was still in the ring.")
    @Outcome(expect = FORBIDDEN, desc = "The record was consumed by an abort, lost, duplicated or torn, or the disconnect never came.")
    @State
    public static class TryControlledRead {
        /**
         * The sender's close (the producer count's volatile decrement, after the commit's header
         * release store) pairs with isDisconnected's acquire in tryControlledRead; the peek that
         * follows acquires the header.
         */
        private final MpscChannel channel = MpscChannel.create(64);
        private final MpscSender sender = channel.newSender();
        private final Receiver receiver = channel.receiver();
        private final AbortEvery handler = new AbortEvery();

        @Actor
        public void sender() {
            commitAndClose(sender, 1);
        }

        @Actor
        public void receiver(II_Result r) {
            handler.digits = 0;
            try {
                final int consumed = receiver.tryControlledRead(handler, 4);
                r.r1 = consumed == 0 ? handler.digits : -2;
            } catch (ChannelClosedException disconnected) {
                r.r1 = -1;
            }
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = drainToDisconnect(receiver);
        }
    }

    /** MPSC: sender A holds an open claim; sender B committed record 1 behind it and closed. A closes (aborting its claim, then leaving) against tryRecv. */
    @JCStressTest
    @Description("MPSC: sender A holds an open claim; sender B committed record 1 behind it and closed. A closes (aborting its claim, then leaving) against tryRecv.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "tryRecv looked while A's claim was open; B's record arrived before the disconnect.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "tryRecv stepped over A's aborted claim to B's record.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The disconnect was reported while B's record sat behind A's claim: the count dropped before the abort was published.")
    @Outcome(expect = FORBIDDEN, desc = "B's record was lost, duplicated or torn, or the disconnect never came.")
    @State
    public static class CloseAbortsOpenClaim {
        private final MpscChannel channel = MpscChannel.create(64);
        private final MpscSender a = channel.newSender();
        private final Receiver receiver = channel.receiver();

        public CloseAbortsOpenClaim() {
            final MpscSender b = a.duplicate();
            final WriteClaim open = a.trySend(8);
            Records.fill(open, 2);
            commitAndClose(b, 1);
        }

        @Actor
        public void closeA() {
            a.close();
        }

        @Actor
        public void receiver(II_Result r) {
            r.r1 = tryRecv(receiver);
        }

        @Arbiter
        public void rest(II_Result r) {
            r.r2 = drainToDisconnect(receiver);
        }
    }
}
