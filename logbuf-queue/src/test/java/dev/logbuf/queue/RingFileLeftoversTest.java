package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a process that died while creating a ring file leaves behind, and who removes it. */
@DisplayName("Shared rings: leftovers of a create that died")
class RingFileLeftoversTest {

    @TempDir
    Path directory;

    /** The id of a process that has exited and been reaped: a child of this JVM, waited for. */
    private static long deadPid() throws IOException, InterruptedException {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process child = new ProcessBuilder(java, "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "java -version did not finish in 120 s");
        final long pid = child.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the child is gone");
        return pid;
    }

    private Path leftover(String ring, long pid, long nanos) throws IOException {
        final Path file = directory.resolve("." + ring + "." + pid + "." + nanos + ".creating");
        Files.write(file, new byte[4096]);
        return file;
    }

    @Test
    @DisplayName("the next create of the ring removes a leftover whose creator is gone, and keeps one whose creator lives")
    void shouldRemoveTheLeftoverOfADeadCreatorOnly() throws Exception {
        final Path dead = leftover("ring", deadPid(), 123_456_789L);
        final Path deadNegativeNanos = leftover("ring", deadPid(), -42L); // System.nanoTime() may be negative
        final Path live = leftover("ring", ProcessHandle.current().pid(), 987_654_321L);
        MpscQueue.createFile(directory.resolve("ring"), 1024);
        assertFalse(Files.exists(dead), "the dead creator's leftover is removed");
        assertFalse(Files.exists(deadNegativeNanos), "with a negative nano time too");
        assertTrue(Files.exists(live), "a live, recent creator's file stays: it may be building the ring now");
    }

    @Test
    @DisplayName("a create refused because the ring exists still removes the dead leftovers")
    void shouldRemoveLeftoversWhenTheRingExists() throws Exception {
        SpscQueue.createFile(directory.resolve("ring"), 1024);
        final Path dead = leftover("ring", deadPid(), 1L);
        assertThrows(FileAlreadyExistsException.class, () -> SpscQueue.createFile(directory.resolve("ring"), 1024));
        assertFalse(Files.exists(dead));
    }

    @Test
    @DisplayName("a leftover older than an hour is removed even if a live process has its pid (the pid was reused)")
    void shouldRemoveAnOldLeftoverWhosePidLives() throws Exception {
        final Path old = leftover("ring", ProcessHandle.current().pid(), 5L);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Mapping.LEFTOVER_AGE).minusSeconds(60)));
        MpscQueue.createFile(directory.resolve("ring"), 1024);
        assertFalse(Files.exists(old));
    }

    @Test
    @DisplayName("only this ring's leftovers are touched: other rings', and names that merely look alike, stay")
    void shouldLeaveOtherFilesAlone() throws Exception {
        final long dead = deadPid();
        final Path otherRing = leftover("ring.7", dead, 1L);
        final Path otherRing2 = leftover("rin", dead, 1L);
        final Path notOurs = directory.resolve(".ring." + dead + ".creating");
        Files.write(notOurs, new byte[1]);
        final Path notOurs2 = directory.resolve(".ring.x" + dead + ".1.creating");
        Files.write(notOurs2, new byte[1]);
        MpscQueue.createFile(directory.resolve("ring"), 1024);
        for (Path kept : new Path[] {otherRing, otherRing2, notOurs, notOurs2}) {
            assertTrue(Files.exists(kept), kept + " kept");
        }
        try (var listing = Files.list(directory)) {
            assertEquals(5, listing.count(), "the ring and the four others; no temporary file of this create");
        }
    }
}
