package dev.logbuf.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A journal file whose write attempts fail as a test says: attempt {@code n}
 * (counting from 1) can fail outright or after writing some of its bytes.
 * Every attempt is logged, so a test can tell which write put which bytes
 * where.
 */
final class ScriptedSink implements JournalSink {

    /** One write attempt: where, how much was asked and written, and whether it failed. */
    record Attempt(long number, long position, int requested, int written, boolean failed) {
        long end() {
            return position + written;
        }
    }

    private final JournalSink file;
    /** Attempt number to the bytes it writes before it fails. */
    private final Map<Long, Integer> failures = new HashMap<>();
    private final List<Attempt> log = new ArrayList<>();

    ScriptedSink(Path path) throws IOException {
        this.file = JournalSink.create(path);
    }

    /** Makes attempt {@code number} write {@code bytes} bytes (at most what it is asked), then fail. */
    ScriptedSink tear(long number, int bytes) {
        failures.put(number, bytes);
        return this;
    }

    /** Makes each of these attempts fail without writing a byte. */
    ScriptedSink fail(long... numbers) {
        for (long n : numbers) {
            tear(n, 0);
        }
        return this;
    }

    List<Attempt> log() {
        return log;
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
        final long number = log.size() + 1;
        final int requested = source.remaining();
        final Integer torn = failures.get(number);
        if (torn == null) {
            final int written = file.write(source, position);
            log.add(new Attempt(number, position, requested, written, false));
            return written;
        }
        final int limit = source.limit();
        source.limit(source.position() + Math.min(torn, requested));
        int written = 0;
        try {
            while (source.hasRemaining()) {
                written += file.write(source, position + written);
            }
        } finally {
            source.limit(limit);
        }
        log.add(new Attempt(number, position, requested, written, true));
        throw new IOException("scripted failure of write #" + number + " after " + written + " bytes");
    }

    @Override
    public void truncate(long size) throws IOException {
        file.truncate(size);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
