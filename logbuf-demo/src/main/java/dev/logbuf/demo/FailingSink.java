package dev.logbuf.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A sink in front of another whose writes fail for a while, like a disk that
 * fills up and is then cleared: write attempts number {@code from} to
 * {@code from + failures - 1} (counting every attempt from 1, retries
 * included) fail. Each failing attempt first writes half of its bytes, as a
 * write cut short by a full disk does, so that the retry has a torn frame to
 * overwrite; then it throws. Every other attempt goes straight through.
 *
 * <p>{@code logbuf-journal --fail-writes N[@M]} puts one in front of the
 * journal file, to watch the journal ride the failure out.
 */
final class FailingSink implements JournalSink {

    /** Which write attempts fail: {@code failures} in a row, from attempt number {@code from} (counting from 1). */
    record Plan(long failures, long from) {

        Plan {
            if (failures < 1 || from < 1) {
                throw new IllegalArgumentException("a plan fails at least 1 write from write 1 on, not "
                        + failures + " from " + from);
            }
        }

        @Override
        public String toString() {
            return failures + (failures == 1 ? " write" : " writes") + " from write #" + from;
        }
    }

    /** Reads {@code N} or {@code N@M}: fail N writes in a row, from write M (1 when not given). */
    static final class PlanConverter implements ITypeConverter<Plan> {
        private static final Pattern PLAN = Pattern.compile("(\\d{1,18})(?:@(\\d{1,18}))?");

        @Override
        public Plan convert(String value) {
            final Matcher m = PLAN.matcher(value.trim());
            final long failures = m.matches() ? Long.parseLong(m.group(1)) : 0;
            final long from = m.matches() && m.group(2) != null ? Long.parseLong(m.group(2)) : 1;
            if (failures < 1 || from < 1) {
                throw new TypeConversionException("'" + value + "' is not a number of failing writes, "
                        + "optionally @ the write to start at, both from 1 (examples: 5, 5@100)");
            }
            return new Plan(failures, from);
        }
    }

    private final JournalSink sink;
    private final Plan plan;
    private long attempts;
    private long injected;

    FailingSink(JournalSink sink, Plan plan) {
        this.sink = sink;
        this.plan = plan;
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
        final long attempt = ++attempts;
        if (attempt < plan.from() || attempt - plan.from() >= plan.failures()) {
            return sink.write(source, position);
        }
        injected++;
        final int limit = source.limit();
        source.limit(source.position() + source.remaining() / 2);
        try {
            while (source.hasRemaining()) { // the torn half
                position += sink.write(source, position);
            }
        } finally {
            source.limit(limit);
        }
        throw new IOException("injected write failure " + injected + " of " + plan.failures()
                + ", at write #" + attempt);
    }

    /** Write attempts so far, failed ones included. */
    long attempts() {
        return attempts;
    }

    /** Failures injected so far. */
    long injected() {
        return injected;
    }

    /** What this sink was told to do. */
    Plan plan() {
        return plan;
    }

    @Override
    public void truncate(long size) throws IOException {
        sink.truncate(size);
    }

    @Override
    public void close() throws IOException {
        sink.close();
    }
}
