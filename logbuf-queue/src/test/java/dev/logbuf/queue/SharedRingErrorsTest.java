package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Memory and files a shared ring refuses, each with a message that says what was found. */
@DisplayName("Shared rings: what create and attach refuse")
class SharedRingErrorsTest {

    private static final int CAPACITY = 4096;
    private static final long SIZE = MpscQueue.sharedSize(CAPACITY);

    @TempDir
    Path dir;

    private static void refused(Executable action, String... words) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), "«" + word + "» in: " + e.getMessage());
        }
    }

    private static ByteBuffer created() {
        final ByteBuffer memory = SharedRingTest.memoryFor(SIZE);
        MpscQueue.create(memory, CAPACITY);
        return memory;
    }

    @Test
    @DisplayName("a heap buffer, a read-only one, a misaligned one and one too small are refused before anything is written")
    void shouldRefuseUnfitMemory() {
        refused(() -> MpscQueue.create(ByteBuffer.allocate((int) SIZE), CAPACITY), "heap");
        refused(() -> MpscQueue.create(SharedRingTest.memoryFor(SIZE).asReadOnlyBuffer(), CAPACITY), "read-only");
        final ByteBuffer misaligned = SharedRingTest.memoryFor(SIZE + 256).slice(8, (int) SIZE);
        refused(() -> MpscQueue.create(misaligned, CAPACITY), "8 bytes past a 128-byte boundary");
        refused(() -> MpscQueue.create(SharedRingTest.memoryFor(SIZE).slice(0, (int) SIZE - 8), CAPACITY),
                "holds " + (SIZE - 8), "needs " + SIZE);
        refused(() -> MpscQueue.attach(ByteBuffer.allocate((int) SIZE)), "heap");
    }

    @Test
    @DisplayName("a capacity that is not a power of two in 16..2^30 is refused, not rounded")
    void shouldRefuseAnUnfitCapacity() {
        refused(() -> MpscQueue.sharedSize(1000), "1000", "not a power of two");
        refused(() -> SpscQueue.create(SharedRingTest.memoryFor(SIZE), 8), "8", "16..");
    }

    @Test
    @DisplayName("random bytes, a zeroed file, another layout version, the other kind: each named")
    void shouldRefuseForeignRings() {
        final ByteBuffer random = SharedRingTest.memoryFor(SIZE);
        final byte[] noise = new byte[(int) SIZE];
        new Random(1).nextBytes(noise);
        random.put(0, noise);
        refused(() -> MpscQueue.attach(random), "not a logbuf ring", "magic");
        refused(() -> MpscQueue.attach(SharedRingTest.memoryFor(SIZE)), "not a logbuf ring", "being created");
        final ByteBuffer version = created();
        version.order(java.nio.ByteOrder.nativeOrder()).putInt(8, RingFile.VERSION + 1);
        refused(() -> MpscQueue.attach(version), "layout version is 2", "version 1 only");
        refused(() -> SpscQueue.attach(created()), "created as MPSC, not SPSC");
    }

    @Test
    @DisplayName("a corrupt header and a truncated ring are named as such")
    void shouldRefuseCorruptOrTruncatedRings() {
        final ByteBuffer capacity = created();
        capacity.order(java.nio.ByteOrder.nativeOrder()).putInt(16, 1000);
        refused(() -> MpscQueue.attach(capacity), "corrupt ring header", "1000");
        final ByteBuffer whole = created();
        refused(() -> MpscQueue.attach(whole.slice(0, (int) SIZE - 128)), "truncated", "capacity " + CAPACITY);
    }

    @Test
    @DisplayName("files: create refuses an existing one, attach a missing one, and a created file attaches in another mapping")
    void shouldCreateAndAttachFiles() throws IOException {
        final Path file = dir.resolve("ring");
        final MpscQueue created = MpscQueue.createFile(file, CAPACITY);
        assertEquals(SIZE, Files.size(file));
        assertThrows(FileAlreadyExistsException.class, () -> MpscQueue.createFile(file, CAPACITY));
        assertThrows(NoSuchFileException.class, () -> MpscQueue.attachFile(dir.resolve("absent")));
        final MpscQueue attached = MpscQueue.attachFile(file);
        assertEquals(created.creationId(), attached.creationId());
        final byte[] bytes = Records.payload(1, 77);
        Records.send(created.newProducer(), bytes);
        Records.expect(attached.consumer(), bytes);
        final Path small = Files.write(dir.resolve("small"), new byte[10]);
        refused(() -> MpscQueue.attachFile(small), "ring file " + small, "holds 10 bytes");
    }

    @Test
    @DisplayName("processes racing to create a ring file or attach to it all get the same whole ring, and no temporary file is left")
    void shouldLetCreatorsAndAttachersRace() throws Exception {
        for (int round = 0; round < 20; round++) {
            final Path file = dir.resolve("raced-" + round);
            final int racers = 4;
            final java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(racers);
            final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
            try {
                final java.util.List<java.util.concurrent.Future<Long>> ids = new java.util.ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    ids.add(pool.submit(() -> {
                        start.await();
                        try {
                            return MpscQueue.createFile(file, 1 << 20).creationId();
                        } catch (FileAlreadyExistsException exists) {
                            return MpscQueue.attachFile(file).creationId();
                        }
                    }));
                }
                final long first = ids.get(0).get(60, java.util.concurrent.TimeUnit.SECONDS);
                for (java.util.concurrent.Future<Long> id : ids) {
                    assertEquals(first, id.get(60, java.util.concurrent.TimeUnit.SECONDS), "one ring for all");
                }
            } finally {
                pool.shutdownNow();
            }
        }
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertEquals(java.util.List.of(), left.filter(p -> p.toString().endsWith(".creating")).toList());
        }
    }
}
