package dev.logbuf.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps ring files. The mapping stays valid after the channel closes and
 * lives as long as the buffer is reachable (Java has no explicit unmap
 * without internal APIs).
 */
final class Mapping {

    /**
     * How old a leftover temporary file must be (since its last modification)
     * to be removed although a live process has its creator's id: building a
     * ring takes seconds at most, so by then the id is another process's (the
     * OS reused it) or its creator is stopped and will fail to link it.
     */
    static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    private static final String CREATING = ".creating";

    private Mapping() {
    }

    /**
     * Creates {@code file}, which must not exist, at {@code size} bytes, and
     * lays it out with {@code layout} before any other process can see it:
     * the ring is built in a file of its own in the same directory and then
     * linked to its name, so a process that finds the name finds a whole
     * ring (two processes may race to create and attach). If this process
     * dies while building, only the temporary file is left behind; the next
     * create of the same name removes it (see {@link #removeLeftovers}).
     */
    static <T> T create(Path file, long size, Function<ByteBuffer, T> layout) throws IOException {
        final Path absolute = file.toAbsolutePath();
        removeLeftovers(absolute);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        final Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "."
                + ProcessHandle.current().pid() + "." + System.nanoTime() + CREATING);
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
     * Removes what creates of {@code ring} that died left in its directory:
     * {@code .NAME.PID.NANOS.creating} files whose creator is gone (no live
     * process has that id), or that are older than {@link #LEFTOVER_AGE}. One
     * whose creator lives and that is recent is kept: it may be building the
     * ring now. Best effort: a file that cannot be listed or removed is left.
     */
    static void removeLeftovers(Path ring) {
        final Path directory = ring.getParent();
        if (directory == null || ring.getFileName() == null) {
            return;
        }
        final Pattern leftover = Pattern.compile(Pattern.quote("." + ring.getFileName() + ".") + "(\\d{1,19})\\.-?\\d{1,19}"
                + Pattern.quote(CREATING));
        final Instant old = Instant.now().minus(LEFTOVER_AGE);
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory,
                candidate -> leftover.matcher(candidate.getFileName().toString()).matches())) {
            for (Path candidate : found) {
                final Matcher name = leftover.matcher(candidate.getFileName().toString());
                if (!name.matches()) {
                    continue;
                }
                try {
                    if (creatorGone(name.group(1)) || Files.getLastModifiedTime(candidate).toInstant().isBefore(old)) {
                        Files.deleteIfExists(candidate);
                    }
                } catch (IOException cannot) {
                    // best effort: it stays, and the next create looks again
                }
            }
        } catch (IOException | DirectoryIteratorException cannot) {
            // best effort: the create itself reports what is wrong with the directory
        }
    }

    /** Whether no live process has the id {@code pid} (decimal). */
    private static boolean creatorGone(String pid) {
        final long id;
        try {
            id = Long.parseLong(pid);
        } catch (NumberFormatException notAPid) {
            return false;
        }
        final Optional<ProcessHandle> process = ProcessHandle.of(id);
        return process.isEmpty() || !process.get().isAlive();
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
