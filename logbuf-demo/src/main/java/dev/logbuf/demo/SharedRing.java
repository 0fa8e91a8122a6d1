package dev.logbuf.demo;

import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.MpscQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What both processes of the two-process mode do the same way: open the
 * ring file, wait for each other, and tell their producers apart.
 *
 * <pre>
 *  logbuf-journal --ring FILE                 logbuf-journal archive FILE --out JOURNAL
 *  producer threads ─▶ MPSC ring mapped from FILE ─▶ archiver thread ─▶ JournalWriter ─▶ JOURNAL
 *  (newProducer() each; FILE.ids: their ids)        (consumer(); read, write, then release)
 * </pre>
 *
 * <p>Whichever process comes first creates the ring; the other attaches. A
 * record names its producer in its {@link RecordPattern} tag, and the verifier
 * checks each producer's order by that id, so ids must differ across
 * processes: each producing process takes the next block of ids from a
 * counter in {@code FILE.ids}, under a file lock ({@link #reserveIds}). The
 * two files go together: delete both, or neither.
 *
 * <p>Nothing wakes anyone across processes: both sides poll with a
 * {@link #backoff()}, the archiver while the ring is empty, the producers
 * while it is full.
 */
final class SharedRing {

    /** How long a dead producer's claim may hold the archiver before it is looked at (the channel's default). */
    static final Duration UNBLOCK_AFTER = Duration.ofMillis(100);

    /**
     * How often a waiting side looks whether the other side is attached: that
     * asks the operating system whether the holder of a role is alive, too
     * dear for every poll.
     */
    static final long LOOK_NANOS = Duration.ofMillis(10).toNanos();

    /** A ring file, opened: the queue, and whether this process created it. */
    record Opened(Path file, MpscQueue queue, boolean created) {

        /** {@code shared MPSC ring of 4 MiB in FILE (created)}. */
        String describe() {
            return "shared MPSC ring of " + Units.size(queue.capacity()) + " in " + file
                    + (created ? " (created)" : " (attached)");
        }
    }

    private SharedRing() {
    }

    /**
     * Creates the ring in {@code file}, or attaches to it if it exists
     * (also when another process creates it at the same moment: creation
     * fails then, and this one attaches). The ring's capacity is
     * {@code capacity} rounded up to a power of two when it is created here,
     * whatever the file says when it is attached.
     *
     * @throws IOException if the file cannot be created, opened or mapped
     * @throws IllegalArgumentException if the file holds no MPSC ring, or the capacity is out of range
     */
    static Opened open(Path file, int capacity) throws IOException {
        try {
            return new Opened(file, MpscQueue.createFile(file, powerOfTwo(capacity)), true);
        } catch (FileAlreadyExistsException exists) {
            return new Opened(file, MpscQueue.attachFile(file), false);
        }
    }

    /**
     * {@link #open(Path, int)} for a command: a file that holds no MPSC ring,
     * or a capacity out of range, is a bad option.
     *
     * @param option how the command line names the file, for the message
     * @throws IOException if the file cannot be created, opened or mapped
     * @throws ParameterException if the file holds no MPSC ring, or the capacity is out of range
     */
    static Opened open(Path file, int capacity, String option, CommandLine commandLine) throws IOException {
        try {
            return open(file, capacity);
        } catch (IllegalArgumentException e) {
            // the library names the file it refused ("ring file FILE: ..."); the option names it here
            final String named = "ring file " + file + ": ";
            final String message = e.getMessage();
            throw new ParameterException(commandLine, option + " " + file + ": "
                    + (message.startsWith(named) ? message.substring(named.length()) : message));
        }
    }

    /**
     * How both sides wait: spin, then yield, then park from 1 µs doubling to
     * 1 ms. One instance per thread.
     */
    static Backoff backoff() {
        return Backoff.progressive(100, 10, Duration.ofNanos(1_000), Duration.ofMillis(1));
    }

    /** The file next to {@code ring} that hands out producer ids. */
    static Path idsFile(Path ring) {
        return ring.resolveSibling(ring.getFileName() + ".ids");
    }

    /**
     * Takes the next {@code count} producer ids of the ring in {@code ring}:
     * reads the next free id from {@link #idsFile(Path)} (0 when it is new),
     * writes it back {@code count} higher, under an exclusive lock on that
     * file, so processes that start together get different blocks.
     *
     * @return the first id of the block
     * @throws IOException if the file cannot be read, written or locked, or holds no id
     * @throws JournalRun.RunFailedException if the ids that are left ({@link RecordPattern#MAX_PRODUCERS} in all) are
     *         too few
     */
    static int reserveIds(Path ring, int count) throws IOException, JournalRun.RunFailedException {
        final Path path = idsFile(ring);
        try (FileChannel ids = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ids.lock(); // released when the channel closes, after the write
            final ByteBuffer text = ByteBuffer.allocate(32);
            while (text.hasRemaining() && ids.read(text) >= 0) {
                // a few digits
            }
            final String held = new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).strip();
            final int first;
            try {
                first = held.isEmpty() ? 0 : Integer.parseInt(held);
            } catch (NumberFormatException e) {
                throw new IOException(path + ": holds \"" + held + "\", not the next free producer id");
            }
            if (first < 0 || first > RecordPattern.MAX_PRODUCERS - count) {
                throw new JournalRun.RunFailedException("no " + count + " producer ids left in " + path + " (the next is "
                        + first + " of " + RecordPattern.MAX_PRODUCERS + "): archive what " + ring + " holds, then delete "
                        + "both files", null);
            }
            ids.truncate(0).write(ByteBuffer.wrap((first + count + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return first;
        }
    }

    /** {@code capacity} rounded up to a power of two (the library takes a shared ring's capacity as it is). */
    private static int powerOfTwo(int capacity) {
        if (capacity <= 1 || capacity > 1 << 30) {
            return capacity; // out of range: the library's message names it
        }
        return Integer.highestOneBit(capacity - 1) << 1;
    }
}
