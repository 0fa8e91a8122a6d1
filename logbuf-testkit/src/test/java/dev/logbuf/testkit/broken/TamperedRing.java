package dev.logbuf.testkit.broken;

import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.StallListener;
import dev.logbuf.queue.Unblock;
import dev.logbuf.testkit.ClaimUnderTest;
import dev.logbuf.testkit.ConsumerUnderTest;
import dev.logbuf.testkit.ProducerUnderTest;
import dev.logbuf.testkit.RecordUnderTest;
import dev.logbuf.testkit.RingUnderTest;
import java.time.Duration;

/**
 * A wrapper over a real ring with one deliberate bug in the parts the
 * lifecycle, recovery and control contracts check, the kind a user's wrapper
 * could have: counters that miss something, a close that forgets the handle
 * underneath, recovery or stall reports that are never passed on, a
 * controlled read that mistranslates an action, a put-back that releases.
 * Everything else is forwarded unchanged.
 */
public final class TamperedRing implements RingUnderTest {

    /** Which bug the wrapper has. */
    public enum Bug {
        /** {@code stats()} reports no refused claims: {@code full} is always 0. */
        STATS_MISS_REFUSALS,
        /** A producer's {@code close()} marks the wrapper closed but leaves the real handle open, claim and all. */
        CLOSE_KEEPS_HANDLE,
        /** {@code unblock()} and {@code unblockAfter} are not passed on: dead claims are never stepped over. */
        NEVER_UNBLOCKS,
        /** The stall listener is not passed on: a held claim is never reported. */
        DROPS_STALL_LISTENER,
        /** The controlled read passes {@code ABORT} on as {@code BREAK}: the aborted record is consumed. */
        ABORT_READS_AS_BREAK,
        /** The controlled read passes {@code COMMIT} on as {@code CONTINUE}: nothing is given back mid-read. */
        COMMIT_GIVES_NOTHING_BACK,
        /** A record's put-back ({@code abort()}) releases it instead: the record is consumed, and lost. */
        PUT_BACK_CONSUMES
    }

    private final RingUnderTest real;
    private final Bug bug;
    private final ProducerUnderTest producer;
    private final ConsumerUnderTest consumer;

    /**
     * Wraps {@code real}.
     *
     * @param real a correct ring
     * @param bug the bug
     */
    public TamperedRing(RingUnderTest real, Bug bug) {
        this.real = real;
        this.bug = bug;
        this.producer = producer(real.producer());
        this.consumer = consumer(real.consumer());
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
    public ProducerUnderTest producer() {
        return producer;
    }

    @Override
    public ProducerUnderTest newProducer() {
        return producer(real.newProducer());
    }

    @Override
    public ConsumerUnderTest consumer() {
        return consumer;
    }

    private ProducerUnderTest producer(ProducerUnderTest p) {
        return new ProducerUnderTest() {
            private boolean closed;

            @Override
            public ClaimUnderTest tryClaim(int length) {
                if (closed) {
                    throw new IllegalStateException("closed");
                }
                return p.tryClaim(length);
            }

            @Override
            public void close() {
                closed = true;
                if (bug != Bug.CLOSE_KEEPS_HANDLE) {
                    p.close();
                }
            }

            @Override
            public boolean isDisconnected() {
                return p.isDisconnected();
            }

            @Override
            public ProducerUnderTest duplicate() {
                if (closed) {
                    throw new IllegalStateException("closed");
                }
                return producer(p.duplicate());
            }
        };
    }

    private ConsumerUnderTest consumer(ConsumerUnderTest c) {
        return new ConsumerUnderTest() {
            @Override
            public RecordUnderTest tryClaim() {
                final RecordUnderTest r = c.tryClaim();
                return r == null || bug != Bug.PUT_BACK_CONSUMES ? r : new RecordUnderTest() {
                    @Override
                    public int length() {
                        return r.length();
                    }

                    @Override
                    public byte[] bytes() {
                        return r.bytes();
                    }

                    @Override
                    public void close() {
                        r.close();
                    }

                    @Override
                    public void putBack() {
                        r.close(); // the bug: "ends the claim" by releasing it
                    }
                };
            }

            @Override
            public int read(RecordHandler handler, int limit) {
                return c.read(handler, limit);
            }

            @Override
            public int controlledRead(ControlledRecordHandler handler, int limit) {
                return c.controlledRead(payload -> {
                    final ControlledRecordHandler.Action action = handler.onRecord(payload);
                    if (bug == Bug.ABORT_READS_AS_BREAK && action == ControlledRecordHandler.Action.ABORT) {
                        return ControlledRecordHandler.Action.BREAK;
                    }
                    if (bug == Bug.COMMIT_GIVES_NOTHING_BACK && action == ControlledRecordHandler.Action.COMMIT) {
                        return ControlledRecordHandler.Action.CONTINUE;
                    }
                    return action;
                }, limit);
            }

            @Override
            public boolean isDisconnected() {
                return c.isDisconnected();
            }

            @Override
            public void close() {
                c.close();
            }

            @Override
            public Unblock unblock() {
                return bug == Bug.NEVER_UNBLOCKS ? Unblock.NOT_BLOCKED : c.unblock();
            }

            @Override
            public void unblockAfter(Duration after) {
                if (bug != Bug.NEVER_UNBLOCKS) {
                    c.unblockAfter(after);
                }
            }

            @Override
            public void stallListener(StallListener listener) {
                if (bug != Bug.DROPS_STALL_LISTENER) {
                    c.stallListener(listener);
                }
            }

            @Override
            public QueueStats stats() {
                final QueueStats s = c.stats();
                if (bug != Bug.STATS_MISS_REFUSALS) {
                    return s;
                }
                return new QueueStats(s.capacity(), s.head(), s.tail(), s.producers(), s.committed(),
                        s.committedBytes(), s.consumed(), s.consumedBytes(), 0, 0, s.aborted(), s.recovered(),
                        s.stalls());
            }
        };
    }
}
