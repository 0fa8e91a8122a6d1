package dev.logbuf.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a {@link JournalWriter}'s bytes go: the journal file, or, to show
 * what happens when a disk fails, a {@link FailingSink} in front of it.
 *
 * <p>Writes are positional: the writer says where each byte belongs, so a
 * write that failed, or wrote only part of its bytes, is retried by writing
 * the same bytes at the same place again. A frame torn by a failure is
 * overwritten, never left behind in the middle of the journal.
 *
 * <p>Not thread-safe: the writer that owns a sink uses it from one thread
 * at a time.
 */
interface JournalSink extends AutoCloseable {

    /**
     * Writes bytes from {@code source}'s position towards its limit at
     * {@code position} in the journal; may write fewer than remain.
     *
     * @return the number of bytes written; {@code source}'s position has moved by as many
     * @throws IOException if the write fails; some of the bytes may have been written
     */
    int write(ByteBuffer source, long position) throws IOException;

    /**
     * Cuts the journal to {@code size} bytes, dropping what a failed write left past it.
     *
     * @throws IOException if that fails too
     */
    void truncate(long size) throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Creates (or truncates) the journal file at {@code path}.
     *
     * @throws IOException if it cannot be created or opened for writing
     */
    static JournalSink create(Path path) throws IOException {
        return new FileSink(FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    /**
     * Opens the journal file at {@code path} to go on with it after its first
     * {@code length} bytes, and cuts off whatever follows them (what a write
     * that never finished left).
     *
     * @throws IOException if it cannot be opened for writing or cut
     */
    static JournalSink resume(Path path, long length) throws IOException {
        final FileChannel file = FileChannel.open(path, StandardOpenOption.WRITE);
        try {
            file.truncate(length);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        return new FileSink(file);
    }

    /** The journal file itself: {@code pwrite} through a {@link FileChannel}. */
    final class FileSink implements JournalSink {
        private final FileChannel file;

        FileSink(FileChannel file) {
            this.file = file;
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return file.write(source, position);
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
}
