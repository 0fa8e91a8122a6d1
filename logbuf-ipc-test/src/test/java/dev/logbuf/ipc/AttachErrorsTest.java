package dev.logbuf.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.queue.Consumer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attaching to a file that is not a ring of the kind asked for is an
 * {@link IllegalArgumentException} that says what was found: random bytes,
 * another layout version, a truncated file, a file too short for a header,
 * a ring of the other kind. Taking the consumer role while a live process
 * holds it is an {@link IllegalStateException} naming that process; once it
 * is dead the role can be taken over. Messages are checked for the words
 * that matter, not word for word.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // bounds a hang; these take well under a second each
class AttachErrorsTest extends IpcTestSupport {

    private static final int CAPACITY = 1 << 16;
    /**
     * Where a ring file keeps its layout version: a 4-byte int in the
     * machine's byte order right after the 8-byte magic (the layout drawn in
     * the queue's {@code RingFile}).
     */
    private static final int VERSION_AT = 8;

    @ParameterizedTest
    @EnumSource(SharedRing.Kind.class)
    void shouldRefuseAFileOfRandomBytes(SharedRing.Kind kind) throws IOException {
        final byte[] junk = new byte[(int) SharedRing.sharedSize(kind, CAPACITY)];
        random.nextBytes(junk);
        Files.write(ring, junk);
        assertMentions(assertThrows(IllegalArgumentException.class, () -> SharedRing.attach(kind, ring)),
                "not a logbuf ring", "magic");
    }

    @ParameterizedTest
    @EnumSource(SharedRing.Kind.class)
    void shouldRefuseARingOfAnotherLayoutVersion(SharedRing.Kind kind) throws IOException {
        SharedRing.create(kind, ring, CAPACITY);
        try (FileChannel file = FileChannel.open(ring, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 99), VERSION_AT);
        }
        assertMentions(assertThrows(IllegalArgumentException.class, () -> SharedRing.attach(kind, ring)),
                "version", "99");
    }

    @ParameterizedTest
    @EnumSource(SharedRing.Kind.class)
    void shouldRefuseATruncatedRing(SharedRing.Kind kind) throws IOException {
        SharedRing.create(kind, ring, CAPACITY);
        final long half = SharedRing.sharedSize(kind, CAPACITY) / 2;
        try (FileChannel file = FileChannel.open(ring, StandardOpenOption.WRITE)) {
            file.truncate(half);
        }
        assertMentions(assertThrows(IllegalArgumentException.class, () -> SharedRing.attach(kind, ring)),
                "truncated", Long.toString(half), Integer.toString(CAPACITY));
    }

    @ParameterizedTest
    @EnumSource(SharedRing.Kind.class)
    void shouldRefuseAFileTooShortForAHeader(SharedRing.Kind kind) throws IOException {
        for (int size : new int[] {0, 100}) {
            Files.write(ring, new byte[size]);
            assertMentions(assertThrows(IllegalArgumentException.class, () -> SharedRing.attach(kind, ring),
                    () -> "a file of " + size + " bytes"), size + " bytes");
        }
    }

    @ParameterizedTest
    @EnumSource(SharedRing.Kind.class)
    void shouldRefuseARingOfTheOtherKind(SharedRing.Kind kind) throws IOException {
        SharedRing.create(kind, ring, CAPACITY);
        final SharedRing.Kind other = kind == SharedRing.Kind.SPSC ? SharedRing.Kind.MPSC : SharedRing.Kind.SPSC;
        assertMentions(assertThrows(IllegalArgumentException.class, () -> SharedRing.attach(other, ring)),
                kind.name(), other.name());
    }

    @ParameterizedTest
    @EnumSource(SharedRing.Kind.class)
    void shouldNameTheLiveProcessHoldingTheConsumerRoleAndLetItBeTakenOverOnceDead(SharedRing.Kind kind)
            throws Exception {
        SharedRing.create(kind, ring, CAPACITY);
        final Child holder = startConsumer("holder", kind, "mode=hold");
        final long pid = field(holder.awaitLine("HOLDING", STARTUP), "pid");
        final SharedRing attached = SharedRing.attach(kind, ring);
        assertMentions(assertThrows(IllegalStateException.class, attached::consumer), Long.toString(pid));

        holder.kill();
        final Consumer consumer = attached.consumer(); // the holder is dead: taken over
        assertEquals(0, consumer.position(), this::context);
        consumer.close();
        // given back: another queue object (as another process would) takes it
        SharedRing.attach(kind, ring).consumer().close();
    }

    @Test
    void shouldNameThisProcessWhenASecondQueueObjectAsksForTheConsumerRole() throws IOException {
        SharedRing.create(SharedRing.Kind.MPSC, ring, CAPACITY);
        final Consumer first = SharedRing.attach(SharedRing.Kind.MPSC, ring).consumer();
        final SharedRing second = SharedRing.attach(SharedRing.Kind.MPSC, ring);
        assertMentions(assertThrows(IllegalStateException.class, second::consumer),
                Long.toString(ProcessHandle.current().pid()));
        first.close();
        second.consumer().close();
    }

    @ParameterizedTest
    @EnumSource(SharedRing.Kind.class)
    void shouldAttachToTheRingItsCreatorMade(SharedRing.Kind kind) throws IOException {
        final SharedRing created = SharedRing.create(kind, ring, CAPACITY);
        final SharedRing attached = SharedRing.attach(kind, ring);
        assertTrue(created.isShared() && attached.isShared());
        assertTrue(created.creationId() != 0, "a creation id is never 0");
        assertEquals(created.creationId(), attached.creationId());
        assertEquals(SharedRing.sharedSize(kind, CAPACITY), Files.size(ring));
    }

    @Test
    void shouldReportAMissingFileAndRefuseToCreateOverAnExistingOne() throws IOException {
        for (SharedRing.Kind kind : SharedRing.Kind.values()) {
            assertThrows(NoSuchFileException.class, () -> SharedRing.attach(kind, ring));
            SharedRing.create(kind, ring, CAPACITY);
            assertThrows(FileAlreadyExistsException.class, () -> SharedRing.create(kind, ring, CAPACITY));
            Files.delete(ring);
        }
    }

    /** Asserts the exception's message contains each of {@code words}, ignoring case. */
    private void assertMentions(Exception e, String... words) {
        final String message = String.valueOf(e.getMessage());
        for (String word : words) {
            assertTrue(message.toLowerCase(Locale.ROOT).contains(word.toLowerCase(Locale.ROOT)),
                    () -> "the message should mention \"" + word + "\": " + message + "\n" + context());
        }
    }
}
