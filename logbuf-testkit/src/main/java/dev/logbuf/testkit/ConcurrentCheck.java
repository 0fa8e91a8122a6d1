package dev.logbuf.testkit;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.queue.ControlledRecordHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link Schedule} on real threads: one per sender, producing its plan
 * in order (claim, write the {@link Payloads} record, commit or abort), while
 * the calling thread consumes and checks every record with a {@link Ledger}:
 * order per sender, nothing lost, nothing duplicated, nothing corrupted,
 * nothing aborted seen.
 *
 * <p>Over a {@link ChannelUnderTest} each sender closes when done and the
 * receiver must report the disconnect, and only after the last record; the
 * receiver mixes {@code tryRecv}, short {@code recv} waits and batch reads.
 * With {@code controlled} on, the consumer also makes controlled reads (its
 * handler continues, commits, breaks, aborts and throws by turns, and only
 * the records it consumes count as received: an aborted one must come again)
 * and puts records back, while the senders keep claiming the space each
 * commit gives back.
 *
 * <p>Bounded: waits spin with {@link Thread#onSpinWait()} and yield, so it
 * needs no more than two cores, and the whole run fails after {@code timeout}
 * rather than hanging.
 */
public final class ConcurrentCheck {

    private ConcurrentCheck() {
    }

    /**
     * Runs {@code schedule} against {@code ring}, a fresh ring made for the schedule's capacity.
     *
     * @param ring the ring (or channel) under test
     * @param schedule the senders' plans
     * @param timeout how long the whole run may take
     * @throws AssertionError if a record is wrong, missing, or the run times out
     */
    public static void run(RingUnderTest ring, Schedule schedule, Duration timeout) {
        run(ring, schedule, timeout, false);
    }

    /**
     * Runs {@code schedule} against {@code ring} as {@link #run(RingUnderTest, Schedule, Duration)}
     * does, the consumer also making controlled reads and put-backs when
     * {@code controlled} is on (which needs
     * {@link ConsumerUnderTest#controlledRead} and {@link RecordUnderTest#putBack()}).
     *
     * @param ring the ring (or channel) under test
     * @param schedule the senders' plans
     * @param timeout how long the whole run may take
     * @param controlled whether the consumer makes controlled reads and put-backs too
     * @throws AssertionError if a record is wrong, missing, or the run times out
     */
    public static void run(RingUnderTest ring, Schedule schedule, Duration timeout, boolean controlled) {
        final int senders = schedule.senders().size();
        final ChannelUnderTest channel = ring instanceof ChannelUnderTest c ? c : null;
        final Ledger ledger = Ledger.of(schedule);
        final long deadline = System.nanoTime() + timeout.toNanos();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger closed = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        final ProducerUnderTest[] producers = new ProducerUnderTest[senders];
        producers[0] = ring.producer();
        for (int s = 1; s < senders; s++) {
            producers[s] = ring.newProducer();
        }
        for (int s = 0; s < senders; s++) {
            final int sender = s;
            final Thread t = new Thread(() -> produce(producers[sender], sender, schedule.senders().get(sender),
                    deadline, failure, closed), "logbuf-testkit-sender-" + s);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        try {
            consume(ring, channel, ledger, deadline, failure, threads, closed, senders, controlled);
        } catch (AssertionError | RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            if (failure.get() != null && channel != null) {
                channel.consumer().close(); // releases senders spinning in send
            }
            for (Thread t : threads) {
                try {
                    t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (t.isAlive()) {
                    failure.compareAndSet(null, new AssertionError(t.getName() + " did not finish in time; "
                            + ledger.progress() + "; schedule " + schedule));
                    t.interrupt();
                }
            }
        }
        final Throwable f = failure.get();
        if (f instanceof UnsupportedOperationException e) {
            throw e; // an optional method is missing: the contract says which
        }
        if (f instanceof AssertionError e) {
            throw new AssertionError(e.getMessage() + " [" + ledger.progress() + "]", e);
        }
        if (f != null) {
            throw new AssertionError("failed: " + f + " [" + ledger.progress() + "]", f);
        }
    }

    /** What the handler of the concurrent controlled reads throws now and then. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused() {
            super("the handler refuses this record on purpose", null, false, false);
        }
    }

    /**
     * One controlled read of up to 4 records, the handler's answer chosen by
     * turns from the round and the record's place in the read; only what it
     * consumes is received. Its count must be what the handler consumed.
     */
    private static void controlledRead(ConsumerUnderTest consumer, Ledger ledger, int round) {
        final int[] index = {0};
        final int[] consumed = {0};
        final boolean[] threw = {false};
        final ControlledRecordHandler handler = payload -> {
            final int turn = (round / 3 + index[0]++) % 11;
            if (turn == 5) {
                threw[0] = true;
                throw new Refused(); // the record stays
            }
            final ControlledRecordHandler.Action action = switch (turn % 5) {
                case 0 -> ControlledRecordHandler.Action.COMMIT; // gives the space back to the senders now
                case 1 -> ControlledRecordHandler.Action.ABORT; // the record stays
                case 3 -> ControlledRecordHandler.Action.BREAK;
                default -> ControlledRecordHandler.Action.CONTINUE;
            };
            if (action != ControlledRecordHandler.Action.ABORT) {
                ledger.received(Payloads.copyOf(payload));
                consumed[0]++;
            }
            return action;
        };
        try {
            final int n = consumer.controlledRead(handler, 4);
            if (threw[0]) {
                throw new AssertionError("the handler threw, but controlledRead returned " + n);
            }
            if (n != consumed[0]) {
                throw new AssertionError("controlledRead returned " + n + " but its handler consumed " + consumed[0]);
            }
        } catch (Refused expected) {
            // the handler threw: the records before were consumed, the one in hand stays
        }
    }

    private static void produce(ProducerUnderTest producer, int sender, List<Schedule.Planned> plan, long deadline,
            AtomicReference<Throwable> failure, AtomicInteger closed) {
        final SenderUnderTest channelSender = producer instanceof SenderUnderTest s ? s : null;
        try {
            for (int seq = 0; seq < plan.size(); seq++) {
                final Schedule.Planned p = plan.get(seq);
                ClaimUnderTest claim;
                if (channelSender != null && (seq & 1) == 0) {
                    claim = channelSender.send(p.length()); // spins; a closed receiver ends it
                } else {
                    int spins = 0;
                    while ((claim = producer.tryClaim(p.length())) == null) {
                        if (failure.get() != null || System.nanoTime() > deadline) {
                            return;
                        }
                        if (++spins < 64) {
                            Thread.onSpinWait();
                        } else {
                            Thread.yield();
                        }
                    }
                }
                claim.put(0, Payloads.of(sender, seq, p.length()));
                if (p.abort()) {
                    claim.abort();
                } else {
                    claim.commit();
                }
                if (channelSender != null) {
                    channelSender.wake();
                }
            }
        } catch (ChannelClosedException e) {
            if (failure.get() == null) {
                failure.compareAndSet(null, new AssertionError("sender " + sender + " saw the receiver closed", e));
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        } finally {
            if (channelSender != null) {
                // counted first: the receiver may see the disconnect as soon as close() has run
                closed.incrementAndGet();
                channelSender.close();
            }
        }
    }

    private static void consume(RingUnderTest ring, ChannelUnderTest channel, Ledger ledger, long deadline,
            AtomicReference<Throwable> failure, List<Thread> threads, AtomicInteger closed, int senders,
            boolean controlled) throws AssertionError {
        final ConsumerUnderTest consumer = ring.consumer();
        int round = 0;
        while (!ledger.complete()) {
            if (failure.get() != null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for records");
            }
            round++;
            try {
                if (controlled && round % 3 == 0) {
                    controlledRead(consumer, ledger, round);
                    continue;
                }
                if (round % 5 == 0) {
                    consumer.read(payload -> ledger.received(Payloads.copyOf(payload)), 3);
                    continue;
                }
                RecordUnderTest record;
                if (channel != null && round % 7 == 0) {
                    record = channel.consumer().recv(Duration.ofMillis(2));
                } else {
                    record = consumer.tryClaim();
                }
                if (record == null) {
                    if (round % 32 == 0) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                    continue;
                }
                if (controlled && round % 4 == 1) {
                    record.putBack(); // put back: not received; it must come again, first
                    continue;
                }
                try {
                    ledger.received(record.bytes());
                } finally {
                    record.close();
                }
            } catch (ChannelClosedException e) {
                throw new AssertionError("the receiver reported the disconnect before receiving every record", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        // every committed record is in; senders may still be aborting their last claims, whose
        // skip markers only the consumer steps over: keep looking until they are done
        while (threads.stream().anyMatch(Thread::isAlive)) {
            if (failure.get() != null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the senders did not finish after their last commit");
            }
            try {
                final RecordUnderTest extra = consumer.tryClaim();
                if (extra != null) {
                    ledger.received(extra.bytes()); // throws: nothing more was committed
                }
            } catch (ChannelClosedException e) {
                if (closed.get() < senders) {
                    throw new AssertionError("the receiver reported the disconnect before every sender closed", e);
                }
                return; // every sender closed and every record received: the disconnect is due
            }
            Thread.yield();
        }
        if (channel == null) {
            final RecordUnderTest extra = consumer.tryClaim();
            if (extra != null) {
                ledger.received(extra.bytes());
            }
            return;
        }
        // every record is in: now, and only now, the receiver reports the disconnect
        for (;;) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("every sender closed but the receiver never reported the disconnect");
            }
            try {
                final RecordUnderTest extra = consumer.tryClaim();
                if (extra != null) {
                    ledger.received(extra.bytes()); // throws: nothing more was committed
                }
                Thread.yield();
            } catch (ChannelClosedException expected) {
                return;
            }
        }
    }
}
