package dev.logbuf.testkit.lincheck;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.Result;
import org.jetbrains.kotlinx.lincheck.ValueResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.ResultWithClock;
import org.jetbrains.kotlinx.lincheck.verifier.Verifier;

/**
 * Linearizability over a {@link SteppedSpec}: the results of a Lincheck run
 * are accepted when some total order of every operation's steps
 * <ul>
 *   <li>keeps each operation's steps in their order,</li>
 *   <li>puts every step of an operation that finished before another one
 *       started (Lincheck's happens-before clocks; program order included)
 *       before every step of that other one, and</li>
 *   <li>gives every operation exactly the result it returned.</li>
 * </ul>
 * With one step per operation this is ordinary linearizability (the
 * Wing–Gong search, with states already seen pruned). The init and post parts
 * run sequentially, before and after the parallel part.
 *
 * <p>Lincheck makes it through {@code Options.verifier(...)} with the
 * {@code sequentialSpecification} class, which must implement
 * {@link SteppedSpec}.
 */
public final class SteppedLinearizabilityVerifier implements Verifier {

    private final Class<?> specification;

    /**
     * @param sequentialSpecification a {@link SteppedSpec} with a public no-argument constructor
     */
    public SteppedLinearizabilityVerifier(Class<?> sequentialSpecification) {
        if (!SteppedSpec.class.isAssignableFrom(sequentialSpecification)) {
            throw new IllegalArgumentException(sequentialSpecification + " is not a SteppedSpec");
        }
        this.specification = sequentialSpecification;
    }

    @Override
    public boolean verifyResults(ExecutionScenario scenario, ExecutionResult result) {
        final SteppedSpec spec = newSpec();
        if (!sequentially(spec, scenario.getInitExecution(), result.getInitResults())) {
            return false;
        }
        final List<List<Actor>> threads = scenario.getParallelExecution();
        final List<List<ResultWithClock>> results = result.getParallelResultsWithClock();
        final Search search = new Search(threads, results, scenario.getPostExecution(), result.getPostResults());
        return search.run(new Node(spec, threads.size()));
    }

    private SteppedSpec newSpec() {
        try {
            return (SteppedSpec) specification.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make " + specification, e);
        }
    }

    /** Runs actors one after another, every step of each before the next; false on the first wrong result. */
    private static boolean sequentially(SteppedSpec spec, List<Actor> actors, List<? extends Result> results) {
        for (int i = 0; i < actors.size(); i++) {
            final Actor actor = actors.get(i);
            final List<Object> later = new ArrayList<>();
            Object produced = spec.start(actor.getMethod().getName(), actor.getArguments(), later);
            final ArrayDeque<Object> pending = new ArrayDeque<>(later);
            while (!pending.isEmpty()) {
                later.clear();
                final Object r = spec.step(pending.removeFirst(), later);
                produced = merge(produced, r, actor);
                for (int j = later.size() - 1; j >= 0; j--) {
                    pending.addFirst(later.get(j));
                }
            }
            if (produced == null) {
                throw new IllegalStateException("the specification gave no result for " + actor);
            }
            if (!matches(results.get(i), produced)) {
                return false;
            }
        }
        return true;
    }

    private static Object merge(Object produced, Object step, Actor actor) {
        if (step == null) {
            return produced;
        }
        if (produced != null) {
            throw new IllegalStateException("the specification gave two results for " + actor);
        }
        return step;
    }

    private static boolean matches(Result observed, Object specified) {
        return observed instanceof ValueResult && Objects.equals(((ValueResult) observed).getValue(), specified);
    }

    /** One point of the search: the specification's state and where each thread is. */
    private static final class Node {
        final SteppedSpec spec;
        /** Actors started, per thread. */
        final int[] started;
        /** Steps still to make of each thread's current actor (empty when it is complete). */
        final List<ArrayDeque<Object>> pending;
        /** Whether each thread's current actor has started and still has steps to make. */
        final boolean[] active;
        /** Whether each thread's current actor has produced its result yet. */
        final boolean[] answered;

        Node(SteppedSpec spec, int threads) {
            this.spec = spec;
            this.started = new int[threads];
            this.pending = new ArrayList<>(threads);
            this.active = new boolean[threads];
            this.answered = new boolean[threads];
            for (int t = 0; t < threads; t++) {
                pending.add(new ArrayDeque<>());
            }
        }

        Node copy() {
            final Node n = new Node(spec.copy(), started.length);
            System.arraycopy(started, 0, n.started, 0, started.length);
            System.arraycopy(active, 0, n.active, 0, active.length);
            System.arraycopy(answered, 0, n.answered, 0, answered.length);
            for (int t = 0; t < started.length; t++) {
                n.pending.get(t).addAll(pending.get(t));
            }
            return n;
        }

        int completed(int thread) {
            return started[thread] - (active[thread] ? 1 : 0);
        }

        String key() {
            return Arrays.toString(started) + Arrays.toString(active) + Arrays.toString(answered)
                    + pending + spec.state();
        }
    }

    /** The depth-first search for an order of steps. */
    private static final class Search {
        private final List<List<Actor>> threads;
        private final List<List<ResultWithClock>> results;
        private final List<Actor> post;
        private final List<? extends Result> postResults;
        private final Set<String> seen = new HashSet<>();
        Search(List<List<Actor>> threads, List<List<ResultWithClock>> results, List<Actor> post,
                List<? extends Result> postResults) {
            this.threads = threads;
            this.results = results;
            this.post = post;
            this.postResults = postResults;
        }

        boolean run(Node node) {
            if (!seen.add(node.key())) {
                return false;
            }
            boolean done = true;
            for (int t = 0; t < threads.size(); t++) {
                if (node.active[t] || node.started[t] < threads.get(t).size()) {
                    done = false;
                }
            }
            if (done) {
                return sequentially(node.spec, post, postResults);
            }
            for (int t = 0; t < threads.size(); t++) {
                if (node.active[t]) {
                    final Node next = node.copy();
                    if (advance(next, t) && run(next)) {
                        return true;
                    }
                } else if (node.started[t] < threads.get(t).size() && mayStart(node, t)) {
                    final Node next = node.copy();
                    if (begin(next, t) && run(next)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Whether thread t's next actor may start: every actor that finished before it began is complete. */
        private boolean mayStart(Node node, int t) {
            final int[] clock = results.get(t).get(node.started[t]).getClockOnStart().getClock();
            for (int u = 0; u < clock.length; u++) {
                if (u != t && node.completed(u) < clock[u]) {
                    return false;
                }
            }
            return true;
        }

        /** Makes the first step of thread t's next actor; false if it gives a result other than the observed one. */
        private boolean begin(Node node, int t) {
            final int index = node.started[t]++;
            final Actor actor = threads.get(t).get(index);
            final List<Object> later = new ArrayList<>();
            final Object produced = node.spec.start(actor.getMethod().getName(), actor.getArguments(), later);
            node.pending.get(t).addAll(later);
            node.active[t] = true;
            return settle(node, t, produced);
        }

        /** Makes the next step of thread t's current actor. */
        private boolean advance(Node node, int t) {
            final List<Object> later = new ArrayList<>();
            final ArrayDeque<Object> pending = node.pending.get(t);
            final Object produced = node.spec.step(pending.removeFirst(), later);
            for (int j = later.size() - 1; j >= 0; j--) {
                pending.addFirst(later.get(j));
            }
            return settle(node, t, produced);
        }

        /** Checks a produced result; marks the actor complete when no step is left. */
        private boolean settle(Node node, int t, Object produced) {
            final int index = node.started[t] - 1;
            if (produced != null) {
                if (node.answered[t]) {
                    throw new IllegalStateException("the specification gave two results for "
                            + threads.get(t).get(index));
                }
                if (!matches(results.get(t).get(index).getResult(), produced)) {
                    return false;
                }
                node.answered[t] = true;
            }
            if (node.pending.get(t).isEmpty()) {
                if (!node.answered[t]) {
                    throw new IllegalStateException("the specification gave no result for "
                            + threads.get(t).get(index));
                }
                node.active[t] = false;
                node.answered[t] = false;
            }
            return true;
        }
    }
}
