package dev.logbuf.bench;

import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.SpscChannel;
import java.nio.ByteBuffer;

/**
 * logbuf-channel's {@code SpscChannel} or {@code MpscChannel}, used without
 * ever waiting: a sender's {@code offer} is one {@code trySend}, the copy, the
 * commit and (unless built without) {@code wake()}; the receiver's
 * {@code drain} is one {@code tryRead(handler, limit)}, which never parks. So
 * the no-waiting rule of the group benchmarks still holds, and the figure is
 * the channel's fast path: the queue's plus the channel's checks and the wake
 * handshake's fence.
 *
 * <p>{@code wake = false} ("channel-nowake") is a diagnostic only: a real
 * sender must wake after committing, or a parked receiver sleeps out its park
 * slice. It splits the channel's overhead into the wake (a full fence and a
 * load) and everything else.
 */
final class ChannelSubject implements Subject {

    private final SpscChannel spsc;
    private final MpscChannel mpsc;
    /** Every sender, made up front: duplicate() must not race with the original's owner thread. */
    private final dev.logbuf.channel.Sender[] senders;
    private final boolean wake;

    ChannelSubject(int ringBytes, boolean multiProducer, boolean wake) {
        this.wake = wake;
        if (multiProducer) {
            this.spsc = null;
            this.mpsc = MpscChannel.create(ringBytes);
            this.senders = new dev.logbuf.channel.Sender[Verifier.MAX_PRODUCERS];
            final MpscSender first = mpsc.sender();
            senders[0] = first;
            for (int i = 1; i < senders.length; i++) {
                senders[i] = first.duplicate();
            }
        } else {
            this.spsc = SpscChannel.create(ringBytes);
            this.mpsc = null;
            this.senders = new dev.logbuf.channel.Sender[] {spsc.sender()};
        }
    }

    @Override
    public Sender sender(int producerId) {
        if (producerId >= senders.length) {
            throw new IllegalStateException(spsc != null ? "an SPSC channel has one sender"
                    : "at most " + senders.length + " senders");
        }
        return new ChannelSender(senders[producerId], wake);
    }

    @Override
    public Receiver receiver(Verifier verifier) {
        return new ChannelReceiver(spsc != null ? spsc.receiver() : mpsc.receiver(), verifier);
    }

    private static final class ChannelSender implements Sender {
        private final dev.logbuf.channel.Sender sender;
        private final boolean wake;

        ChannelSender(dev.logbuf.channel.Sender sender, boolean wake) {
            this.sender = sender;
            this.wake = wake;
        }

        @Override
        public boolean offer(byte[] source, int length, long stamp) {
            final dev.logbuf.queue.WriteClaim claim = sender.trySend(length);
            if (claim == null) {
                return false;
            }
            claim.put(source, 0, length).putLong(0, stamp).commit();
            if (wake) {
                sender.wake();
            }
            return true;
        }
    }

    private static final class ChannelReceiver implements Receiver, dev.logbuf.queue.RecordHandler {
        private final dev.logbuf.channel.Receiver receiver;
        private final Verifier verifier;

        ChannelReceiver(dev.logbuf.channel.Receiver receiver, Verifier verifier) {
            this.receiver = receiver;
            this.verifier = verifier;
        }

        @Override
        public int drain(int limit) {
            return receiver.tryRead(this, limit);
        }

        @Override
        public void onRecord(ByteBuffer payload) {
            final int start = payload.position();
            final int end = payload.limit();
            verifier.check(payload.getLong(start), end - start, payload.get(end - 1));
        }
    }
}
