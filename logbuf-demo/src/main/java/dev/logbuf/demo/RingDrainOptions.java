package dev.logbuf.demo;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of a command that takes a shared ring's consumer role and
 * drains it ({@code archive}, {@code ship}): when to stop for an idle ring,
 * and the capacity of a ring the command creates. A picocli mixin.
 */
final class RingDrainOptions {

    /** How long an empty ring with no producer attached ends the command, when neither option says. */
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(5);

    @Option(names = "--until-idle", paramLabel = "TIME", converter = Units.DurationConverter.class,
            description = "stop once the ring has been empty, with no producer attached, this long (default: 5s "
                    + "without --records)")
    Duration untilIdle;

    @Option(names = {"-c", "--capacity"}, paramLabel = "SIZE", defaultValue = "4MiB",
            converter = Units.SizeConverter.class,
            description = "capacity of the ring if its file does not exist yet, rounded up to a power of two "
                    + "(default: ${DEFAULT-VALUE})")
    int capacity;

    /**
     * The idle time that stops the command: {@code --until-idle}; 5 s when
     * neither it nor a record count is given; {@code null} (never) with a
     * record count alone.
     *
     * @param records whether the command was given a record count to stop at
     * @throws ParameterException if {@code --until-idle} is not positive
     */
    Duration idle(boolean records, CommandLine commandLine) {
        if (untilIdle != null && (untilIdle.isNegative() || untilIdle.isZero())) {
            throw new ParameterException(commandLine, "--until-idle must be positive, not " + untilIdle);
        }
        return untilIdle != null || records ? untilIdle : DEFAULT_IDLE;
    }
}
