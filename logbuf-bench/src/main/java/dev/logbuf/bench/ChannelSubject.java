package dev.logbuf.bench;

import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.SpscChannel;
import dev.logbuf.queue.Payload;
import java.util.concurrent.TimeUnit;

/**
 * logbuf-channel's {@code SpscChannel} or {@code MpscChannel}, used without
 * ever waiting: a sender's {@code offer} is one {@code trySend}, the copy and
 * the commit (which looks for a parked receiver by itself), and with
 * {@code wake = true} ("channel-wake") the fenced {@code wake()}; the
 * receiver's {@code drain} is one {@code tryRead(handler, limit)}, which
 * never parks. So the no-waiting rule of the group benchmarks still holds,
 * and the figure is the channel's fast path: the queue's plus the channel's
 * checks and the commit's look at the waiter.
 *
 * <p>{@code blocking = true} ("channel-send") sends with {@code send(length)}
 * instead of {@code trySend}: it measures that a send with room costs what
 * {@code trySend} costs. It waits while the ring is full, so it suits only
 * {@link ChannelOverhead}, where the ring never fills, not the group benchmarks.
 *
 * <p>{@code waiting = true} ("channel-read") drains with the waiting batch
 * read, {@code read(handler, limit, 1, MILLISECONDS)}: where a record is
 * always there ({@link SingleThread}, {@link ChannelOverhead}) it shows what
 * the waiting read costs over {@code tryRead}, and that it allocates nothing
 * ({@code -prof gc}). It parks while the ring is empty, so it suits no group
 * benchmark.
 *
 * <p>{@link SendLatency} drains every channel subject with {@link Receiver#await},
 * the receiver's untimed waiting {@code read(handler, limit)}, so that the
 * receiver parks when it runs dry and the senders' commits (or {@code wake()})
 * have a parked receiver to wake, as in use.
 *
 * <p>{@code wake = true} ("channel-wake") is what every record paid before
 * commits woke the receiver themselves: a full fence and a load after each
 * commit. {@code channel-wake} minus {@code channel} is that fence.
 */
final class ChannelSubject implements Subject {

    private final SpscChannel spsc;
    private final MpscChannel mpsc;
    /** Every sender, made up front: duplicate() must not race with the original's owner thread. */
    private final dev.logbuf.channel.Sender[] senders;
    private final boolean wake;
    private final boolean blocking;
    private final boolean waiting;

    ChannelSubject(int ringBytes, boolean multiProducer, boolean wake, boolean blocking, boolean waiting) {
        this.wake = wake;
        this.blocking = blocking;
        this.waiting = waiting;
        if (multiProducer) {
            this.spsc = null;
            this.mpsc = MpscChannel.create(ringBytes);
            this.senders = new dev.logbuf.channel.Sender[Verifier.MAX_PRODUCERS];
            final MpscSender first = mpsc.newSender();
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
        return new ChannelSender(senders[producerId], wake, blocking);
    }

    @Override
    public Receiver receiver(Verifier verifier) {
        return new ChannelReceiver(spsc != null ? spsc.receiver() : mpsc.receiver(), verifier, waiting);
    }

    private static final class ChannelSender implements Sender {
        private final dev.logbuf.channel.Sender sender;
        private final boolean wake;
        private final boolean blocking;

        ChannelSender(dev.logbuf.channel.Sender sender, boolean wake, boolean blocking) {
            this.sender = sender;
            this.wake = wake;
            this.blocking = blocking;
        }

        @Override
        public boolean offer(byte[] source, int length, long stamp) {
            final dev.logbuf.queue.WriteClaim claim = blocking ? send(length) : sender.trySend(length);
            if (claim == null) {
                return false;
            }
            claim.put(source, 0, length).putLong(0, stamp).commit();
            if (wake) {
                sender.wake();
            }
            return true;
        }

        private dev.logbuf.queue.WriteClaim send(int length) {
            try {
                return sender.send(length);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("a benchmark sender was interrupted", e);
            }
        }
    }

    private static final class ChannelReceiver implements Receiver, dev.logbuf.queue.RecordHandler {
        private final dev.logbuf.channel.Receiver receiver;
        private final Verifier verifier;
        private final boolean waiting;

        ChannelReceiver(dev.logbuf.channel.Receiver receiver, Verifier verifier, boolean waiting) {
            this.receiver = receiver;
            this.verifier = verifier;
            this.waiting = waiting;
        }

        @Override
        public int drain(int limit) {
            if (!waiting) {
                return receiver.tryRead(this, limit);
            }
            try {
                return receiver.read(this, limit, 1, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("a benchmark receiver was interrupted", e);
            }
        }

        /** The waiting batch read with no time-out: spins, then parks until a commit wakes it. */
        @Override
        public int await(int limit) throws InterruptedException {
            return receiver.read(this, limit);
        }

        @Override
        public long[] parksAndWakeups() {
            final dev.logbuf.channel.ChannelStats stats = receiver.stats();
            return new long[] {stats.parks(), stats.wakeups()};
        }

        @Override
        public void onRecord(Payload payload) {
            verifier.check(payload);
        }
    }
}
