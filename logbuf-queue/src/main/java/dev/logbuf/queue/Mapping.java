package dev.logbuf.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * Maps ring files. The mapping stays valid after the channel closes and
 * lives as long as the buffer is reachable (Java has no explicit unmap
 * without internal APIs).
 */
final class Mapping {

    private Mapping() {
    }

    /**
     * Creates {@code file}, which must not exist, at {@code size} bytes, and
     * lays it out with {@code layout} before any other process can see it:
     * the ring is built in a file of its own in the same directory and then
     * linked to its name, so a process that finds the name finds a whole
     * ring (two processes may race to create and attach). If this process
     * dies while building, only the temporary file is left behind.
     */
    static <T> T create(Path file, long size, Function<ByteBuffer, T> layout) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        final Path absolute = file.toAbsolutePath();
        final Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "."
                + ProcessHandle.current().pid() + "." + System.nanoTime() + ".creating");
        try {
            final T made;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                made = layout.apply(channel.map(FileChannel.MapMode.READ_WRITE, 0, size));
            }
            try {
                Files.createLink(absolute, temporary); // fails if the name exists: never replaces a ring
            } catch (UnsupportedOperationException noLinks) {
                Files.move(temporary, absolute); // no replacing either; a racing creator may be refused late
            }
            return made;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Maps all of an existing {@code file}, read and write, and joins the
     * ring in it with {@code attach}; a refusal names the file.
     */
    static <T> T attach(Path file, Function<ByteBuffer, T> attach) throws IOException {
        final ByteBuffer memory = map(file);
        try {
            return attach.apply(memory);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException("ring file " + file + ": " + refused.getMessage(), refused);
        }
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + " is " + size + " bytes, larger than any ring file");
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }
}
