package dev.logbuf.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Checks of the benchmarks' string {@code @Param}s, made in {@code @Setup}
 * before anything is built: JMH passes any {@code -p name=value} through, and
 * a value a benchmark cannot run with must fail up front, naming the
 * parameter, the value and what is valid, not later in the measurement.
 */
final class Params {

    /** The valid sizes of a benchmark whose records all have one length. */
    static final String FIXED = "a fixed length " + Payloads.MIN_RANDOM + ".." + Payloads.MAX_RANDOM;

    /** The valid sizes of a benchmark that also takes the random length table. */
    static final String RANDOM_OR_FIXED = "random, or " + FIXED;

    private Params() {
    }

    /**
     * Checks that {@code value} is one of {@code valid}.
     *
     * @param benchmark the benchmark's name, for the message
     * @param parameter the parameter's name
     * @param value the value given
     * @param valid the values the benchmark runs with
     * @return {@code value}
     * @throws IllegalArgumentException naming the parameter, the value and the valid values
     */
    static String oneOf(String benchmark, String parameter, String value, List<String> valid) {
        if (!valid.contains(value)) {
            throw rejected(benchmark, parameter, value, String.join(", ", valid));
        }
        return value;
    }

    /** {@link #oneOf(String, String, String, List)} with the valid values listed. */
    static String oneOf(String benchmark, String parameter, String value, String... valid) {
        return oneOf(benchmark, parameter, value, Arrays.asList(valid));
    }

    /**
     * The length table for a size parameter: a decimal length in
     * {@value Payloads#MIN_RANDOM}..{@value Payloads#MAX_RANDOM}, or, where
     * {@code randomAllowed}, {@code random} ({@link Payloads#lengths}).
     *
     * @param benchmark the benchmark's name, for the message
     * @param parameter the parameter's name
     * @param value the value given
     * @param randomAllowed whether the benchmark takes the random length table
     * @return the length table
     * @throws IllegalArgumentException naming the parameter, the value and the valid values
     */
    static int[] lengths(String benchmark, String parameter, String value, boolean randomAllowed) {
        if (randomAllowed && "random".equals(value)) {
            return Payloads.lengths(value);
        }
        final String valid = randomAllowed ? RANDOM_OR_FIXED : FIXED;
        final int length;
        try {
            length = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw rejected(benchmark, parameter, value, valid);
        }
        if (length < Payloads.MIN_RANDOM || length > Payloads.MAX_RANDOM) {
            throw rejected(benchmark, parameter, value, valid);
        }
        return Payloads.lengths(value);
    }

    private static IllegalArgumentException rejected(String benchmark, String parameter, String value, String valid) {
        return new IllegalArgumentException(benchmark + ": bad -p " + parameter + "=" + value + "; valid values: " + valid);
    }
}
