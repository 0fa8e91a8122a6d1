package dev.logbuf.testkit.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The stepped queue specification is the testkit's {@code RingModel} once its
 * steps are made at once: driven from one thread, {@link SteppedQueueSpec}
 * (every later step made right after the first) and {@link QueueSpec} (the
 * operations answered by {@code RingModel}) give the same result for every
 * operation of long random sequences. So the Lincheck checks rest on the
 * testkit's model, and the steps only add what a concurrent observer can see.
 */
class SteppedSpecTest {

    private static final String[] OPERATIONS = {
        "claim0", "commit0", "abort0", "claim1", "commit1", "abort1", "poll", "take", "release", "read"
    };
    private static final int[] LENGTHS = {1, 8, 9, 16, 17, 24, 40, 56};

    /** Same answers as RingModel for 500 random sequences of 60 operations (full, wrap padding, holds, batches). */
    @Test
    void answersAsRingModelWhenEveryStepIsMadeAtOnce() throws ReflectiveOperationException {
        final Random random = new Random(20261201L);
        for (int run = 0; run < 500; run++) {
            final SteppedQueueSpec stepped = new SteppedQueueSpec();
            final QueueSpec model = new QueueSpec();
            final List<String> history = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                final String operation = OPERATIONS[random.nextInt(OPERATIONS.length)];
                final List<Object> arguments = new ArrayList<>();
                if (operation.startsWith("claim")) {
                    arguments.add(LENGTHS[random.nextInt(LENGTHS.length)]);
                } else if (operation.equals("read")) {
                    arguments.add(1 + random.nextInt(3));
                }
                final Object expected = invoke(model, operation, arguments);
                final Object actual = atOnce(stepped, operation, arguments);
                history.add(operation + arguments + " = " + expected);
                assertEquals(expected, actual, () -> "after " + history + "\nstepped: " + stepped.state());
            }
        }
    }

    private static Object invoke(QueueSpec model, String operation, List<Object> arguments)
            throws ReflectiveOperationException {
        if (arguments.isEmpty()) {
            return QueueSpec.class.getMethod(operation).invoke(model);
        }
        final Method method = QueueSpec.class.getMethod(operation, int.class);
        return method.invoke(model, arguments.get(0));
    }

    private static Object atOnce(SteppedSpec spec, String operation, List<Object> arguments) {
        final List<Object> later = new ArrayList<>();
        Object result = spec.start(operation, arguments, later);
        final ArrayDeque<Object> pending = new ArrayDeque<>(later);
        while (!pending.isEmpty()) {
            later.clear();
            final Object produced = spec.step(pending.removeFirst(), later);
            if (produced != null) {
                result = produced;
            }
            for (int j = later.size() - 1; j >= 0; j--) {
                pending.addFirst(later.get(j));
            }
        }
        return result;
    }
}
