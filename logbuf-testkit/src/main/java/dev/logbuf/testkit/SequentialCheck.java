package dev.logbuf.testkit;

import dev.logbuf.queue.ControlledRecordHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Runs a {@link Scenario} against a ring and its {@link RingModel} side by
 * side, and fails at the first step where the ring does not do what the
 * model predicts: a claim that succeeds or reports full against the model,
 * a claimed region that does not read as zero, a record the consumer should
 * or should not see, or different bytes in it. After the last step it
 * commits every open claim, releases the held record and drains the ring,
 * so a record lost at the end is caught too.
 *
 * <p>The optional operations are checked the same way: a put-back record
 * must come out again, first and unchanged; a controlled read must hand its
 * handler exactly the records the model says, in order, consume what the
 * handler's answers consume, leave the rest, give back space at each
 * {@code COMMIT} (a claim made inside the handler, {@link Op.Controlled}'s
 * probe, must succeed or find the ring full exactly as the model says), let
 * a handler's exception (or a {@code null} answer's
 * {@link NullPointerException}) through and return the number consumed; a
 * channel's {@code send} must claim at once when there is room (whatever
 * its timeout and the interrupt status, which it leaves set), and on a full
 * ring give up no sooner than its timeout, or throw
 * {@link InterruptedException} and clear the status when interrupted,
 * claiming nothing.
 *
 * <p>Everything runs on the calling thread but the watchdog of a
 * {@code send}: should one not return within its timeout plus the check's
 * patience, the watchdog closes the receiver (which ends a spinning send) and
 * the check fails instead of hanging.
 */
public final class SequentialCheck {

    /** How long a {@code send} may overrun its timeout before the watchdog ends it, by default. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(30);

    /**
     * Something a run went through that the contracts want to see often: the
     * edges of the optional operations. A check reports which it reached, for
     * statistics and for the generators' own coverage tests.
     */
    public enum Event {
        /** A record was put back (it then came out again: the drain at the end takes every record). */
        PUT_BACK,
        /** A controlled read's handler aborted the first record it was handed: the read consumed nothing. */
        ABORTED_AT_THE_FIRST_RECORD,
        /** A controlled read's handler aborted a record after consuming others: those were given back. */
        ABORTED_AFTER_CONSUMING,
        /** A controlled read's handler answered {@code BREAK}. */
        BROKE,
        /** A {@code COMMIT} gave back two records or more whose bytes cross the end of the ring, and the read went on. */
        COMMITTED_ACROSS_THE_WRAP,
        /**
         * A controlled read went a whole lap of the ring past its last give-back
         * (the ring was full of its records): it must stop there, not read its
         * own first record again.
         */
        READ_A_WHOLE_LAP,
        /** A claim inside a controlled read succeeded only thanks to bytes a {@code COMMIT} of that read gave back. */
        CLAIMED_WHAT_A_COMMIT_GAVE_BACK,
        /** A claim inside a controlled read found the ring full: nothing had been given back early. */
        FULL_INSIDE_A_READ,
        /** A controlled read's handler threw (or returned {@code null}) after the read consumed records. */
        THREW_AFTER_CONSUMING,
        /** A controlled read's handler returned {@code null}. */
        RETURNED_NULL,
        /** A bounded send on a full ring gave up after its timeout (more than zero). */
        SEND_GAVE_UP,
        /** A send with a zero or negative timeout claimed, the ring having room. */
        SEND_CLAIMED_WITHOUT_WAITING,
        /** A send on a full ring with the interrupt status set threw {@link InterruptedException}. */
        SEND_INTERRUPTED,
        /** A send with room and the interrupt status set claimed, leaving the status set. */
        SEND_CLAIMED_THOUGH_INTERRUPTED
    }

    /**
     * What a run went through.
     *
     * @param outcomes the claim outcomes (every claim, probe and send)
     * @param events the edges of the optional operations it reached
     */
    public record Report(Set<RingModel.Outcome> outcomes, Set<Event> events) {
    }

    /** What a handler answering {@link Op.Reply#THROW} throws: a controlled read must let it through. */
    static final class HandlerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerFailure(int record) {
            super("the handler throws at record #" + record + " on purpose", null, false, false);
        }
    }

    private final String name;
    private final RingUnderTest ring;
    private final Scenario scenario;
    private final RingModel model;
    private final ProducerUnderTest[] producers;
    private final ClaimUnderTest[] claims;
    private final List<String> trace = new ArrayList<>();
    private final Set<RingModel.Outcome> outcomes = EnumSet.noneOf(RingModel.Outcome.class);
    private final Set<Event> events = EnumSet.noneOf(Event.class);
    private final BiConsumer<String, RingModel> afterEachStep;
    private final Duration patience;
    private RecordUnderTest held;
    private long written;

    private SequentialCheck(String name, RingUnderTest ring, Scenario scenario, Duration patience,
            BiConsumer<String, RingModel> afterEachStep) {
        this.name = name;
        this.ring = ring;
        this.scenario = scenario;
        this.patience = patience;
        this.afterEachStep = afterEachStep;
        this.model = new RingModel(scenario.requestedCapacity());
        this.producers = new ProducerUnderTest[scenario.producers()];
        this.claims = new ClaimUnderTest[scenario.producers()];
    }

    /**
     * Runs {@code scenario} against {@code ring}, a fresh ring made for the scenario's capacity.
     *
     * @param ring the ring under test
     * @param scenario the operations
     * @return the claim outcomes the run went through (for statistics)
     * @throws AssertionError at the first divergence from the model, naming the step
     */
    public static Set<RingModel.Outcome> run(RingUnderTest ring, Scenario scenario) {
        return run(ring, scenario, (where, model) -> { });
    }

    /**
     * Runs {@code scenario} against {@code ring} as {@link #run(RingUnderTest, Scenario)}
     * does, and after every step (the final commits and the drain included)
     * hands {@code afterEachStep} a description of the steps so far and the
     * model, so that a property can compare more of the ring's state with
     * the model's (its counters, say).
     *
     * @param ring the ring under test
     * @param scenario the operations
     * @param afterEachStep called after each step with where the run is and
     *        the model; an {@link AssertionError} it throws fails the run
     * @return the claim outcomes the run went through (for statistics)
     * @throws AssertionError at the first divergence from the model, naming the step
     */
    public static Set<RingModel.Outcome> run(RingUnderTest ring, Scenario scenario,
            BiConsumer<String, RingModel> afterEachStep) {
        return check(ring, scenario, DEFAULT_PATIENCE, afterEachStep).outcomes();
    }

    /**
     * Runs {@code scenario} against {@code ring} as
     * {@link #run(RingUnderTest, Scenario, BiConsumer)} does, and reports what
     * the run went through. Scenarios with {@link Op.PutBack},
     * {@link Op.Controlled} or {@link Op.Send} steps need the optional
     * methods those use; a missing one surfaces as the
     * {@link UnsupportedOperationException} it throws.
     *
     * @param ring the ring under test ({@link Op.Send} steps apply to a {@link ChannelUnderTest} only)
     * @param scenario the operations
     * @param patience how long a {@code send} may overrun its timeout (an
     *        untimed one: take) before the watchdog closes the receiver and
     *        the check fails
     * @param afterEachStep called after each step with where the run is and
     *        the model; an {@link AssertionError} it throws fails the run
     * @return the claim outcomes and the events the run went through
     * @throws AssertionError at the first divergence from the model, naming the step
     * @throws UnsupportedOperationException if a step needs an optional method the ring lacks
     */
    public static Report check(RingUnderTest ring, Scenario scenario, Duration patience,
            BiConsumer<String, RingModel> afterEachStep) {
        return check(ring.getClass().getSimpleName(), ring, scenario, patience, afterEachStep);
    }

    /**
     * Runs {@code scenario} against {@code ring} as
     * {@link #check(RingUnderTest, Scenario, Duration, BiConsumer)} does, its
     * failures naming the ring {@code name} ("on {@code name} of capacity
     * …") instead of the ring's class: the contracts pass their factory's
     * name, so a failure names the user's variant, not an adapter.
     *
     * @param name what failures call the ring, for example the factory's name
     * @param ring the ring under test ({@link Op.Send} steps apply to a {@link ChannelUnderTest} only)
     * @param scenario the operations
     * @param patience how long a {@code send} may overrun its timeout before the watchdog ends it
     * @param afterEachStep called after each step with where the run is and
     *        the model; an {@link AssertionError} it throws fails the run
     * @return the claim outcomes and the events the run went through
     * @throws AssertionError at the first divergence from the model, naming the ring and the step
     * @throws UnsupportedOperationException if a step needs an optional method the ring lacks
     */
    public static Report check(String name, RingUnderTest ring, Scenario scenario, Duration patience,
            BiConsumer<String, RingModel> afterEachStep) {
        final SequentialCheck check = new SequentialCheck(name, ring, scenario, patience, afterEachStep);
        check.run();
        return new Report(check.outcomes, check.events);
    }

    /**
     * What a contract's failures call the rings of {@code factory}: the
     * name it was given ({@link RingFactory#of}, {@link ChannelFactory#of}),
     * or, for a factory without one (no {@code toString} of its own), the
     * class of the ring it made.
     */
    static String nameOf(RingFactory factory, RingUnderTest ring) {
        try {
            if (factory.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
                return factory.toString();
            }
        } catch (NoSuchMethodException e) {
            throw new AssertionError("every class has toString()", e);
        }
        return ring.getClass().getSimpleName();
    }

    private void run() {
        expect(ring.capacity() == model.capacity(), "capacity() is " + ring.capacity() + ", the model says "
                + model.capacity() + " for a request of " + scenario.requestedCapacity());
        expect(ring.maxRecordLength() == model.maxRecordLength(), "maxRecordLength() is "
                + ring.maxRecordLength() + ", the model says " + model.maxRecordLength());
        producers[0] = ring.producer();
        for (int p = 1; p < producers.length; p++) {
            producers[p] = ring.newProducer();
        }
        for (Op op : scenario.ops()) {
            trace.add(op.toString());
            step(op);
            afterEachStep.accept(where(), model);
        }
        trace.add("| end: commit open claims, release, drain");
        for (int p = 0; p < producers.length; p++) {
            if (claims[p] != null) {
                claims[p].commit();
                model.commit(p);
                claims[p] = null;
            }
        }
        if (held != null) {
            held.close();
            model.release();
            held = null;
        }
        for (;;) {
            final byte[] expected = model.consumerClaim();
            compareRead(expected, ring.consumer().tryClaim());
            if (expected == null) {
                break;
            }
            held.close();
            model.release();
            held = null;
        }
        afterEachStep.accept(where(), model);
    }

    private void step(Op op) {
        try {
            if (op instanceof Op.Claim c) {
                claim(c);
            } else if (op instanceof Op.Write w) {
                final ClaimUnderTest claim = claims[w.producer()];
                if (claim != null) {
                    final byte[] bytes = Payloads.pattern(++written, claim.length());
                    claim.put(0, bytes);
                    model.write(w.producer(), 0, bytes);
                }
            } else if (op instanceof Op.Commit c) {
                if (claims[c.producer()] != null) {
                    claims[c.producer()].commit();
                    claims[c.producer()] = null;
                    model.commit(c.producer());
                }
            } else if (op instanceof Op.Abort a) {
                if (claims[a.producer()] != null) {
                    claims[a.producer()].abort();
                    claims[a.producer()] = null;
                    model.abort(a.producer());
                }
            } else if (op instanceof Op.Close c) {
                if (claims[c.producer()] != null) {
                    claims[c.producer()].close();
                    claims[c.producer()] = null;
                    model.abort(c.producer());
                }
            } else if (op instanceof Op.Read) {
                if (held == null) {
                    compareRead(model.consumerClaim(), ring.consumer().tryClaim());
                }
            } else if (op instanceof Op.Release) {
                if (held != null) {
                    held.close();
                    held = null;
                    model.release();
                }
            } else if (op instanceof Op.Batch b) {
                if (held == null) {
                    batch(b.limit());
                }
            } else if (op instanceof Op.PutBack b) {
                if (held != null) {
                    putBack(b);
                }
            } else if (op instanceof Op.Controlled c) {
                if (held == null) {
                    controlled(c);
                }
            } else if (op instanceof Op.Send s) {
                send(s);
            }
        } catch (UnsupportedOperationException e) {
            throw e; // an optional method the ring lacks: the contract says which, and how to opt out
        } catch (RuntimeException e) {
            throw new AssertionError(where() + ": the ring threw " + e, e);
        }
    }

    private void claim(Op.Claim c) {
        final int p = c.producer();
        if (claims[p] != null) {
            return;
        }
        final int length = c.length().resolve(model);
        final RingModel.Outcome outcome = model.claim(p, length);
        outcomes.add(outcome);
        trace.set(trace.size() - 1, c + resolved(c.length(), length) + (outcome == RingModel.Outcome.CLAIMED ? "" : " full"));
        final ClaimUnderTest claim = producers[p].tryClaim(length);
        claims[p] = checkClaim(claim, outcome, length, "the claim");
    }

    /** Checks a claim against the model's outcome; returns it when it must have succeeded. */
    private ClaimUnderTest checkClaim(ClaimUnderTest claim, RingModel.Outcome outcome, int length, String what) {
        return checkClaim(claim, outcome, length, what, "the ring reported full");
    }

    /** As {@link #checkClaim(ClaimUnderTest, RingModel.Outcome, int, String)}, naming what a null means. */
    private ClaimUnderTest checkClaim(ClaimUnderTest claim, RingModel.Outcome outcome, int length, String what,
            String refused) {
        if (outcome == RingModel.Outcome.CLAIMED) {
            expect(claim != null, what + " of " + length + " bytes must succeed but " + refused + " (" + model + ")");
            expect(claim.length() == length, "the claim's length() is " + claim.length() + ", not " + length);
            for (int i = 0; i < length; i++) {
                final int index = i;
                expect(claim.get(i) == 0, "a freshly claimed payload must read as zero (released bytes are"
                        + " zeroed), but byte " + index + " of " + length + " is " + claim.get(index));
            }
            return claim;
        }
        expect(claim == null, "the ring must be full for " + length + " bytes (" + model
                + "), but " + what + " succeeded");
        return null;
    }

    private static String resolved(Op.Length length, int bytes) {
        return length.kind() == Op.Length.Kind.FIXED ? "" : "=" + bytes;
    }

    private void putBack(Op.PutBack b) {
        held.putBack();
        if (b.thenClose()) {
            held.close(); // after a put-back: must do nothing
        }
        held = null;
        model.putBack();
        events.add(Event.PUT_BACK);
    }

    /**
     * A controlled read, step by step against the model: the handler checks
     * each record it is handed against the one the model says comes next,
     * makes the probe claim when it is due, and answers as the op says.
     */
    private void controlled(Op.Controlled c) {
        final int step = trace.size() - 1;
        final RingModel.ControlledRead expected = model.controlledRead(c.limit());
        final long startHead = model.head();
        final int[] handed = {0};
        final Op.Reply[] last = {null};
        final RuntimeException[] thrown = {null};
        final long[] releasedAt = {startHead}; // where the last give-back (start or COMMIT) left head
        final int[] sinceRelease = {0};
        final StringBuilder notes = new StringBuilder();
        final ControlledRecordHandler handler = payload -> {
            final int index = handed[0]++;
            final byte[] got = Payloads.copyOf(payload);
            final byte[] want = expected.next();
            if (want == null) {
                fail("the controlled read handed its handler record #" + index + " (" + got.length + " bytes "
                        + hex(got) + "), but must have ended before it (" + model + ")");
            }
            compareBytes(want, got);
            if (index == c.probeAt()) {
                notes.append(probe(c, startHead));
            }
            final Op.Reply reply = c.reply(index);
            last[0] = reply;
            expected.reply(reply);
            if (reply == Op.Reply.ABORT) {
                // a non-consuming answer ends the read, so every record before this one was consumed
                events.add(index == 0 ? Event.ABORTED_AT_THE_FIRST_RECORD : Event.ABORTED_AFTER_CONSUMING);
            }
            if (reply.consumes()) {
                sinceRelease[0]++;
            }
            if (reply == Op.Reply.BREAK) {
                events.add(Event.BROKE);
            } else if (reply == Op.Reply.COMMIT) {
                final long from = releasedAt[0];
                final long to = model.head();
                if (sinceRelease[0] >= 2 && from / model.capacity() != (to - 1) / model.capacity()
                        && index + 1 < c.limit()) {
                    events.add(Event.COMMITTED_ACROSS_THE_WRAP);
                }
                releasedAt[0] = to;
                sinceRelease[0] = 0;
            } else if (reply == Op.Reply.THROW) {
                thrown[0] = new HandlerFailure(index);
                if (expected.consumed() > 0) {
                    events.add(Event.THREW_AFTER_CONSUMING);
                }
                throw thrown[0];
            } else if (reply == Op.Reply.NULL) {
                events.add(Event.RETURNED_NULL);
                if (expected.consumed() > 0) {
                    events.add(Event.THREW_AFTER_CONSUMING);
                }
            }
            return reply.action();
        };
        int count = -1;
        RuntimeException caught = null;
        try {
            count = ring.consumer().controlledRead(handler, c.limit());
        } catch (UnsupportedOperationException e) {
            throw e;
        } catch (RuntimeException e) {
            caught = e;
        }
        final Op.Reply reply = last[0];
        final String answers = "after " + handed[0] + " record(s) answered " + c.replies().subList(0,
                Math.min(handed[0], c.replies().size())) + (handed[0] > c.replies().size() ? " then CONTINUE" : "");
        if (reply == Op.Reply.THROW) {
            expect(caught != null && causedBy(caught, thrown[0]), "the handler threw " + thrown[0]
                    + "; controlledRead must let it through, but it " + (caught == null ? "returned " + count
                    : "threw " + caught) + " (" + answers + ")");
        } else if (reply == Op.Reply.NULL) {
            expect(caught != null && causedBy(caught, NullPointerException.class), "the handler returned null;"
                    + " controlledRead must throw NullPointerException, but it " + (caught == null
                    ? "returned " + count : "threw " + caught) + " (" + answers + ")");
        } else if (caught != null) {
            throw new AssertionError(where() + ": controlledRead threw " + caught + " (" + answers + ")", caught);
        } else if (!expected.stopped()) {
            final byte[] more = expected.next();
            if (more != null) {
                fail("controlledRead(handler, " + c.limit() + ") returned " + count + " " + answers
                        + ", but the next record (" + more.length + " bytes " + hex(more)
                        + ") is committed and must have been handed over too (" + model + ")");
            }
        }
        final int consumed = expected.end();
        if (model.head() - releasedAt[0] == model.capacity()) {
            events.add(Event.READ_A_WHOLE_LAP);
        }
        if (caught == null) {
            expect(count == consumed, "controlledRead(handler, " + c.limit() + ") returned " + count + " " + answers
                    + ", but " + consumed + " record(s) were consumed");
        }
        trace.set(step, c + " = " + consumed + notes);
    }

    /** The claim inside a controlled read: checked against the model's head as the read published it. */
    private String probe(Op.Controlled c, long startHead) {
        final int p = c.probeProducer();
        if (p >= producers.length || claims[p] != null) {
            return "";
        }
        final int length = c.probe().resolve(model);
        final RingModel.Outcome outcome = model.claim(p, length);
        outcomes.add(outcome);
        final ClaimUnderTest claim = checkClaim(producers[p].tryClaim(length), outcome,
                length, "a claim inside the controlled read (after " + (model.head() - startHead)
                        + " bytes were given back by it)");
        if (claim == null) {
            events.add(Event.FULL_INSIDE_A_READ);
            return ", probe " + length + " full";
        }
        if (model.tail() > startHead + model.capacity()) {
            events.add(Event.CLAIMED_WHAT_A_COMMIT_GAVE_BACK);
        }
        final byte[] bytes = Payloads.pattern(++written, length);
        claim.put(0, bytes);
        model.write(p, 0, bytes);
        claim.commit();
        model.commit(p);
        return ", probe " + length + " committed";
    }

    /**
     * A channel's send. An untimed one runs only when the model says the ring
     * has room (single-threaded, it would otherwise wait for ever). A
     * watchdog closes the receiver if the call overruns its timeout by the
     * check's patience, which ends a send that never gives up.
     */
    private void send(Op.Send op) {
        final int p = op.producer();
        if (!(ring instanceof ChannelUnderTest channel) || !(producers[p] instanceof SenderUnderTest sender)
                || claims[p] != null) {
            return;
        }
        final int length = op.length().resolve(model);
        final Op.Wait wait = op.waiting();
        final Duration timeout = wait.timeout();
        final RingModel.Outcome predicted = model.outcomeOf(length);
        if (timeout == null && predicted != RingModel.Outcome.CLAIMED) {
            trace.set(trace.size() - 1, op + resolved(op.length(), length) + " skipped: full");
            return;
        }
        trace.set(trace.size() - 1, op + resolved(op.length(), length)
                + (predicted == RingModel.Outcome.CLAIMED ? "" : " full"));
        final Duration bound = patience.plus(timeout == null || timeout.isNegative() ? Duration.ZERO : timeout);
        // the watchdog closes the receiver from its own thread: a send spinning on a full ring leaves then
        final Watchdog.Armed watchdog = Watchdog.arm(bound, () -> channel.consumer().close());
        ClaimUnderTest claim = null;
        InterruptedException interrupted = null;
        RuntimeException failed = null;
        final long took;
        final boolean statusAfter;
        if (wait.interrupted()) {
            Thread.currentThread().interrupt();
        }
        final long start = System.nanoTime();
        try {
            claim = timeout == null ? sender.send(length) : sender.send(length, timeout);
        } catch (InterruptedException e) {
            interrupted = e;
        } catch (RuntimeException e) {
            failed = e;
        } finally {
            took = System.nanoTime() - start;
            statusAfter = Thread.interrupted(); // and cleared: nothing after this step may see it
        }
        if (watchdog.disarm()) {
            fail(op + " did not return within " + bound.toMillis() + " ms (" + model + "): the watchdog closed the"
                    + " receiver to end it" + (failed == null ? "" : ", then it threw " + failed));
        }
        if (failed != null) {
            throw failed;
        }
        final RingModel.Outcome outcome = model.claim(p, length);
        outcomes.add(outcome);
        final String call = op + (op.length().kind() == Op.Length.Kind.FIXED ? "" : " (length " + length + ")");
        if (outcome == RingModel.Outcome.CLAIMED) {
            expect(interrupted == null, call + " must claim at once, the ring having room" + (wait.interrupted()
                    ? " (whatever the interrupt status)" : "") + ", but it threw " + interrupted);
            claims[p] = checkClaim(claim, outcome, length, call, "it returned null");
            if (wait.interrupted()) {
                expect(statusAfter, call + " claimed at once, so it must leave the interrupt status set, but it"
                        + " was cleared");
                events.add(Event.SEND_CLAIMED_THOUGH_INTERRUPTED);
            } else {
                expect(!statusAfter, call + " set the thread's interrupt status");
                if (timeout != null && !positive(timeout)) {
                    events.add(Event.SEND_CLAIMED_WITHOUT_WAITING);
                }
            }
            return;
        }
        if (wait.interrupted()) {
            expect(interrupted != null, call + " on a full ring (" + model + ") with the interrupt status set must"
                    + " throw InterruptedException, but it " + (claim == null ? "returned null after "
                    + took / 1_000_000 + " ms" : "returned a claim"));
            expect(!statusAfter, call + " threw InterruptedException but left the interrupt status set: it must"
                    + " clear it");
            events.add(Event.SEND_INTERRUPTED);
            return;
        }
        expect(interrupted == null, call + " threw " + interrupted + " with no interrupt");
        expect(!statusAfter, call + " set the thread's interrupt status");
        expect(claim == null, call + " on a full ring (" + model + ") must give up and return null, but it"
                + " returned a claim");
        if (positive(timeout)) {
            expect(took >= timeout.toNanos(), call + " gave up after " + took + " ns, before its timeout");
            events.add(Event.SEND_GAVE_UP);
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static boolean causedBy(Throwable e, Throwable cause) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t == cause) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private void compareRead(byte[] expected, RecordUnderTest actual) {
        if (expected == null) {
            if (actual != null) {
                final byte[] got = actual.bytes();
                fail("the consumer must see nothing now (" + model + "), but got a record of " + got.length
                        + " bytes " + hex(got));
            }
            return;
        }
        expect(actual != null, "the consumer must see a committed record of " + expected.length
                + " bytes, but tryClaim returned null (" + model + ")");
        held = actual;
        compareBytes(expected, actual.bytes());
    }

    private void batch(int limit) {
        final List<byte[]> expected = model.read(limit);
        final List<byte[]> got = new ArrayList<>();
        final int count = ring.consumer().read(payload -> got.add(Payloads.copyOf(payload)), limit);
        expect(count == got.size(), "read(handler, " + limit + ") returned " + count + " but called the handler "
                + got.size() + " times");
        expect(got.size() == expected.size(), "read(handler, " + limit + ") must hand over " + expected.size()
                + " record(s), but handed over " + got.size() + " (" + model + ")");
        for (int i = 0; i < expected.size(); i++) {
            compareBytes(expected.get(i), got.get(i));
        }
    }

    private void compareBytes(byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            fail("the consumer must see " + expected.length + " bytes " + hex(expected) + " but saw "
                    + actual.length + " bytes " + hex(actual));
        }
    }

    private void expect(boolean condition, String message) {
        if (!condition) {
            fail(message);
        }
    }

    private void fail(String message) {
        throw new AssertionError(where() + ": " + message);
    }

    private String where() {
        return "on " + name + " of capacity " + scenario.requestedCapacity()
                + ", after " + trace;
    }

    static String hex(byte[] bytes) {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(bytes.length, 24); i++) {
            sb.append(String.format("%02x", bytes[i]));
        }
        return sb.append(bytes.length > 24 ? "…]" : "]").toString();
    }
}
