package dev.logbuf.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The consumer's output: one fixed-size entry per record, naming the record
 * and the ring position it was read at, appended before the record is
 * released. That is what makes a restarted consumer exactly-once: a record
 * its predecessor had written but not released comes round again, at a
 * position no greater than the last one in the log, and is skipped.
 *
 * <pre>
 *   0             8             16     20      24      28      32
 *   +-------------+-------------+------+-------+-------+-------+
 *   |  position   |  sequence   |  id  | length|  CRC  | magic |
 *   +-------------+-------------+------+-------+-------+-------+
 *   little-endian; the CRC32C covers bytes 0..24
 * </pre>
 *
 * <p>Each entry is one positional write: a killed consumer leaves the file in
 * the page cache (no fsync is needed, the machine does not crash), and at most
 * its last entry torn, which {@link #open} cuts off.
 */
final class OutputLog implements AutoCloseable {

    static final int ENTRY = 32;
    private static final int MAGIC = 0x4F474C49; // "ILGO" little-endian: an entry, not zeroes
    /** Entries read per chunk when scanning. */
    private static final int CHUNK = 2048;

    /** One output entry. */
    record Entry(long position, int id, long sequence, int length) {
    }

    private final FileChannel channel;
    private final ByteBuffer entry = ByteBuffer.allocate(ENTRY).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private final long entries;
    private long size;
    private long lastPosition;

    private OutputLog(FileChannel channel, long size, long lastPosition) {
        this.channel = channel;
        this.size = size;
        this.entries = size / ENTRY;
        this.lastPosition = lastPosition;
    }

    /**
     * Opens (or creates) the log for appending, handing each entry already in
     * it to {@code replay}. A torn last entry (a partial one, or one whose
     * check fails) is cut off; a bad entry before the last is an error, since
     * only the last write can have been interrupted.
     *
     * @throws IOException if the file cannot be used, or is corrupt before its last entry
     */
    static OutputLog open(Path file, Consumer<Entry> replay) throws IOException {
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            final long[] last = {-1};
            final long whole = scan(channel, file, e -> {
                last[0] = e.position();
                replay.accept(e);
            }, true);
            if (channel.size() != whole) {
                channel.truncate(whole);
            }
            return new OutputLog(channel, whole, last[0]);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Hands every entry of a finished log, in file order, to {@code sink}.
     *
     * @return the number of entries
     * @throws IOException if an entry is torn or corrupt
     */
    static long readAll(Path file, Consumer<Entry> sink) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final long whole = scan(channel, file, sink, false);
            if (whole != channel.size()) {
                throw new IOException(file + ": " + (channel.size() - whole) + " bytes of a torn entry at the end");
            }
            return whole / ENTRY;
        }
    }

    /** The number of entries found when the log was opened. */
    long entriesAtOpen() {
        return entries;
    }

    /** The position of the last record written, or -1 if none. */
    long lastPosition() {
        return lastPosition;
    }

    /** Appends one entry with a single write (positions must increase). */
    void append(long position, int id, long sequence, int length) throws IOException {
        if (position <= lastPosition) {
            throw new IllegalArgumentException("position " + position + " after " + lastPosition);
        }
        entry.clear();
        entry.putLong(0, position).putLong(8, sequence).putInt(16, id).putInt(20, length);
        crc.reset();
        crc.update(entry.array(), 0, 24);
        entry.putInt(24, (int) crc.getValue()).putInt(28, MAGIC);
        while (entry.hasRemaining()) {
            size += channel.write(entry, size);
        }
        lastPosition = position;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * Hands whole, valid entries to {@code sink} and returns the length they
     * span. With {@code tolerateTornLast}, a bad last entry ends the scan;
     * otherwise, or before the last, it is an error.
     */
    private static long scan(FileChannel channel, Path file, Consumer<Entry> sink, boolean tolerateTornLast)
            throws IOException {
        final long count = channel.size() / ENTRY;
        final ByteBuffer chunk = ByteBuffer.allocate(CHUNK * ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        for (long first = 0; first < count; first += CHUNK) {
            final int n = (int) Math.min(CHUNK, count - first);
            chunk.clear().limit(n * ENTRY);
            while (chunk.hasRemaining()) {
                if (channel.read(chunk, first * ENTRY + chunk.position()) < 0) {
                    throw new IOException(file + " shrank while being read");
                }
            }
            for (int i = 0; i < n; i++) {
                final int at = i * ENTRY;
                crc.reset();
                crc.update(chunk.array(), at, 24);
                if (chunk.getInt(at + 24) != (int) crc.getValue() || chunk.getInt(at + 28) != MAGIC) {
                    final long index = first + i;
                    if (tolerateTornLast && index == count - 1) {
                        return index * ENTRY;
                    }
                    throw new IOException(file + ": entry " + index + " of " + count + " is corrupt");
                }
                sink.accept(new Entry(chunk.getLong(at), chunk.getInt(at + 16), chunk.getLong(at + 8),
                        chunk.getInt(at + 20)));
            }
        }
        return count * ENTRY;
    }
}
