package dev.logbuf.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Maps ring files. The mapping stays valid after the channel closes and
 * lives as long as the buffer is reachable (Java has no explicit unmap
 * without internal APIs).
 */
final class Mapping {

    private Mapping() {
    }

    /** Creates {@code file}, which must not exist, at {@code size} bytes, and maps all of it. */
    static ByteBuffer create(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    /** Maps all of an existing {@code file}, read and write. */
    static ByteBuffer attach(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + " is " + size + " bytes, larger than any ring file");
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }
}
