package dev.logbuf.demo;

import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;

/**
 * The one-line progress report on stderr, shown only when the journal runs
 * in a terminal (so pipes, files and tests see none of it).
 */
final class Progress {

    private final PrintStream err;
    private final boolean enabled;
    private final long target;
    private int width;

    /**
     * @param target the total records expected, or 0 when the run is timed
     */
    Progress(PrintStream err, boolean enabled, long target) {
        this.err = err;
        this.enabled = enabled;
        this.target = target;
    }

    /**
     * Whether this JVM talks to a terminal. {@code System.console()} is null
     * without one up to JDK 21; from JDK 22 it may exist anyway and {@code
     * Console.isTerminal()} tells (looked up by name: this code targets 17).
     */
    static boolean interactive() {
        final Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            final Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Draws the line again with these figures. */
    void update(long records, long payloadBytes, long elapsedNanos) {
        if (!enabled) {
            return;
        }
        final StringBuilder line = new StringBuilder("  ").append(Units.count(records)).append(" records");
        if (target > 0) {
            line.append(String.format(" (%3d%%)", Math.min(100, records * 100 / target)));
        }
        line.append(String.format("  %.1f MB  %.1f s", payloadBytes / 1e6, elapsedNanos / 1e9));
        final int length = line.length();
        while (line.length() < width) {
            line.append(' ');
        }
        width = length;
        err.print("\r" + line);
        err.flush();
    }

    /**
     * A monitor for a run that draws this line, and prints each note on its
     * own line above it ({@code name: note}, on {@code notes}).
     */
    JournalRun.Monitor monitor(PrintWriter notes, String name) {
        return new JournalRun.Monitor() {
            @Override
            public void update(long records, long payloadBytes, long elapsedNanos) {
                Progress.this.update(records, payloadBytes, elapsedNanos);
            }

            @Override
            public void note(String line) {
                clear(); // the line goes above the progress line, which is drawn again next time
                notes.println(name + ": " + line);
            }
        };
    }

    /** Clears the progress line, if one was drawn. */
    void clear() {
        if (enabled && width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
        }
    }
}
