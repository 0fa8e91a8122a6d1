package dev.logbuf.testkit;

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
 */
public final class SequentialCheck {

    private final RingUnderTest ring;
    private final Scenario scenario;
    private final RingModel model;
    private final ProducerUnderTest[] producers;
    private final ClaimUnderTest[] claims;
    private final List<String> trace = new ArrayList<>();
    private final Set<RingModel.Outcome> outcomes = EnumSet.noneOf(RingModel.Outcome.class);
    private final BiConsumer<String, RingModel> afterEachStep;
    private RecordUnderTest held;
    private long written;

    private SequentialCheck(RingUnderTest ring, Scenario scenario, BiConsumer<String, RingModel> afterEachStep) {
        this.ring = ring;
        this.scenario = scenario;
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
        final SequentialCheck check = new SequentialCheck(ring, scenario, afterEachStep);
        check.run();
        return check.outcomes;
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
            }
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
        trace.set(trace.size() - 1, c + (c.length().kind() == Op.Length.Kind.FIXED ? "" : "=" + length)
                + (outcome == RingModel.Outcome.CLAIMED ? "" : " full"));
        final ClaimUnderTest claim = producers[p].tryClaim(length);
        if (outcome == RingModel.Outcome.CLAIMED) {
            expect(claim != null, "the claim of " + length + " bytes must succeed but the ring reported full"
                    + " (" + model + ")");
            expect(claim.length() == length, "the claim's length() is " + claim.length() + ", not " + length);
            for (int i = 0; i < length; i++) {
                final int index = i;
                expect(claim.get(i) == 0, "a freshly claimed payload must read as zero (released bytes are"
                        + " zeroed), but byte " + index + " of " + length + " is " + claim.get(index));
            }
            claims[p] = claim;
        } else {
            expect(claim == null, "the ring must be full for " + length + " bytes (" + model
                    + "), but the claim succeeded");
        }
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
        final int count = ring.consumer().read(payload -> {
            final byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            got.add(copy);
        }, limit);
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
        return "on " + ring.getClass().getSimpleName() + " of capacity " + scenario.requestedCapacity()
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
