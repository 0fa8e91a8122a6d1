package dev.logbuf.testkit.broken;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.Unblock;
import dev.logbuf.testkit.ChannelUnderTest;
import dev.logbuf.testkit.ClaimUnderTest;
import dev.logbuf.testkit.ReceiverUnderTest;
import dev.logbuf.testkit.RecordUnderTest;
import dev.logbuf.testkit.SenderUnderTest;
import java.time.Duration;

/**
 * A wrapper over a real channel with one deliberate bug in the parts the
 * send and controlled-read contracts check, the kind a user's wrapper could
 * have when it builds its own waiting on {@code trySend}, or its own
 * disconnect on top of the receiver. Everything else is forwarded unchanged.
 */
public final class TamperedChannel implements ChannelUnderTest {

    /** Which bug the wrapper has. */
    public enum Bug {
        /** The bounded send ignores its timeout: it waits as the untimed send does, for ever on a full ring. */
        SEND_NEVER_GIVES_UP,
        /**
         * The bounded send is its own loop over {@code trySend} that looks at the
         * deadline after each attempt and, once past it, returns {@code null},
         * forgetting a claim the attempt made: with a zero timeout and room it
         * leaves a claim open and says "no room".
         */
        SEND_LEAKS_ITS_CLAIM,
        /** The sends catch {@link InterruptedException} and try again: an interrupt never gets through. */
        SEND_SWALLOWS_INTERRUPTS,
        /** The sends look at the interrupt first, as {@code recv} does: one with room throws when the status is set. */
        SEND_CHECKS_THE_INTERRUPT_FIRST,
        /**
         * The controlled read reports the disconnect when it consumed nothing
         * and every sender is closed, though the handler aborted a record that
         * is still in the ring.
         */
        CONTROLLED_READ_DISCONNECTS_EARLY,
        /** No bounded send and no controlled read: the interfaces' defaults, which throw. */
        NO_OPTIONAL_METHODS
    }

    private final ChannelUnderTest real;
    private final Bug bug;
    private final SenderUnderTest sender;
    private final ReceiverUnderTest receiver;

    /**
     * Wraps {@code real}.
     *
     * @param real a correct channel
     * @param bug the bug
     */
    public TamperedChannel(ChannelUnderTest real, Bug bug) {
        this.real = real;
        this.bug = bug;
        this.sender = sender(real.producer());
        this.receiver = receiver(real.consumer());
    }

    @Override
    public int capacity() {
        return real.capacity();
    }

    @Override
    public int maxRecordLength() {
        return real.maxRecordLength();
    }

    @Override
    public boolean multiProducer() {
        return real.multiProducer();
    }

    @Override
    public SenderUnderTest producer() {
        return sender;
    }

    @Override
    public SenderUnderTest newProducer() {
        return sender(real.newProducer());
    }

    @Override
    public ReceiverUnderTest consumer() {
        return receiver;
    }

    private SenderUnderTest sender(SenderUnderTest s) {
        return new SenderUnderTest() {
            @Override
            public ClaimUnderTest tryClaim(int length) {
                return s.tryClaim(length);
            }

            @Override
            public ClaimUnderTest send(int length) throws InterruptedException {
                if (bug == Bug.SEND_CHECKS_THE_INTERRUPT_FIRST && Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (bug == Bug.SEND_SWALLOWS_INTERRUPTS) {
                    for (;;) {
                        try {
                            return s.send(length);
                        } catch (InterruptedException swallowed) {
                            // the bug: try again, as if nothing happened
                        }
                    }
                }
                return s.send(length);
            }

            @Override
            public ClaimUnderTest send(int length, Duration timeout) throws InterruptedException {
                switch (bug) {
                    case NO_OPTIONAL_METHODS:
                        return SenderUnderTest.super.send(length, timeout);
                    case SEND_NEVER_GIVES_UP:
                        return s.send(length);
                    case SEND_LEAKS_ITS_CLAIM: {
                        final long deadline = System.nanoTime() + timeout.toNanos();
                        for (;;) {
                            final ClaimUnderTest c = s.tryClaim(length);
                            if (System.nanoTime() - deadline >= 0) {
                                return null; // the bug: c may be an open claim, now lost
                            }
                            if (c != null) {
                                return c;
                            }
                            Thread.onSpinWait();
                        }
                    }
                    case SEND_CHECKS_THE_INTERRUPT_FIRST:
                        if (Thread.interrupted()) {
                            throw new InterruptedException();
                        }
                        return s.send(length, timeout);
                    case SEND_SWALLOWS_INTERRUPTS: {
                        final long deadline = System.nanoTime() + timeout.toNanos();
                        for (;;) {
                            try {
                                return s.send(length, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                            } catch (InterruptedException swallowed) {
                                // the bug: try again with what is left of the timeout
                            }
                        }
                    }
                    default:
                        return s.send(length, timeout);
                }
            }

            @Override
            public void wake() {
                s.wake();
            }

            @Override
            public boolean isDisconnected() {
                return s.isDisconnected();
            }

            @Override
            public void close() {
                s.close();
            }

            @Override
            public SenderUnderTest duplicate() {
                return sender(s.duplicate());
            }
        };
    }

    private ReceiverUnderTest receiver(ReceiverUnderTest r) {
        return new ReceiverUnderTest() {
            @Override
            public RecordUnderTest tryClaim() {
                return r.tryClaim();
            }

            @Override
            public int read(RecordHandler handler, int limit) {
                return r.read(handler, limit);
            }

            @Override
            public int controlledRead(ControlledRecordHandler handler, int limit) {
                if (bug == Bug.NO_OPTIONAL_METHODS) {
                    return ReceiverUnderTest.super.controlledRead(handler, limit);
                }
                final int n = r.controlledRead(handler, limit);
                if (bug == Bug.CONTROLLED_READ_DISCONNECTS_EARLY && n == 0 && r.isDisconnected()) {
                    throw new ChannelClosedException("every sender is closed"); // the bug: a record may be left
                }
                return n;
            }

            @Override
            public RecordUnderTest recv(Duration timeout) throws InterruptedException {
                return r.recv(timeout);
            }

            @Override
            public boolean isDisconnected() {
                return r.isDisconnected();
            }

            @Override
            public void close() {
                r.close();
            }

            @Override
            public Unblock unblock() {
                return r.unblock();
            }

            @Override
            public void unblockAfter(Duration after) {
                r.unblockAfter(after);
            }

            @Override
            public QueueStats stats() {
                return r.stats();
            }
        };
    }
}
