package dev.logbuf.testkit.lincheck;

import java.util.List;

/**
 * A sequential specification whose operations may take effect in more than
 * one atomic step, checked by {@link SteppedLinearizabilityVerifier}.
 *
 * <p>Plain linearizability gives each operation one atomic point. Some calls
 * of the ring publish what they did in two stores, by design: a consumer
 * decides what it read when it looks at a header, and gives the bytes back
 * to the producers later, with the head store at the end of the call; a
 * claim that needs wrap padding reserves it with the tail CAS and publishes
 * the padding's skip header after it. Between the two, other threads see the
 * first effect without the second, and that is observable (a producer still
 * finds the ring full, the consumer stops at padding not yet published). A
 * specification with one point per call would call those histories wrong; one
 * that accepted them by loosening a result would stop catching bugs. So the
 * specification names the steps instead: {@link #start} makes the first one
 * and lists the rest as tokens, and {@link #step} makes each of those in turn.
 * The verifier looks for an order of all steps, each operation's steps in
 * their order and inside the operation's own run time, in which every result
 * comes out exactly as the implementation returned it. Every step is one
 * atomic access of the real code (or accesses whose order among themselves
 * nobody can observe), so nothing is accepted that the implementation's
 * atomic accesses could not have produced.
 *
 * <p>A specification has a public no-argument constructor (the initial state).
 */
public interface SteppedSpec {

    /**
     * The first step of an operation.
     *
     * @param method the operation's name
     * @param arguments its arguments
     * @param later receives, in order, the tokens of the operation's later steps
     * @return the operation's result if this step decides it, else {@code null}
     */
    Object start(String method, List<Object> arguments, List<Object> later);

    /**
     * A later step of an operation.
     *
     * @param token the step, as listed by {@link #start} or a previous step
     * @param later receives, in order, tokens of further steps (made before any still listed)
     * @return the operation's result if this step decides it, else {@code null}
     */
    Object step(Object token, List<Object> later);

    /**
     * A deep copy: the verifier explores orders from a shared prefix.
     *
     * @return the copy
     */
    SteppedSpec copy();

    /**
     * A fingerprint of the state; equal fingerprints mean equal states (the
     * verifier prunes orders that reach a state it has seen).
     *
     * @return the fingerprint
     */
    String state();
}
