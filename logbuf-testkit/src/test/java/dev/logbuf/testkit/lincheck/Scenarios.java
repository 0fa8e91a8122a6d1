package dev.logbuf.testkit.lincheck;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

/**
 * Hand-written Lincheck scenarios: the histories that matter most are run
 * every time, whatever the random generator draws within its small budget.
 */
final class Scenarios {

    private Scenarios() {
    }

    /** The operation {@code name} of the harness {@code test} with {@code arguments}. */
    static Actor actor(Class<?> test, String name, Object... arguments) {
        for (Method method : test.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                return new Actor(method, Arrays.asList(arguments));
            }
        }
        throw new IllegalArgumentException("no operation " + name + " in " + test);
    }

    /** A scenario: {@code init} first, then {@code threads} in parallel, then nothing. */
    static ExecutionScenario scenario(List<Actor> init, List<List<Actor>> threads) {
        return new ExecutionScenario(init, threads, List.of(), null);
    }
}
