package example.mailbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The mailbox's own API, beside the contracts, in the same suite and engine. */
class MailboxTest {

    @Example
    void anEmptyMailboxPollsNull() {
        assertNull(Mailbox.create(64).poll());
    }

    @Property(tries = 50)
    void whatIsOfferedComesOutInOrder(@ForAll @Size(min = 1, max = 8) List<@Size(min = 1, max = 40) byte[]> messages) {
        final Mailbox mailbox = Mailbox.create(1024);
        for (byte[] message : messages) {
            assertTrue(mailbox.offer(message));
        }
        for (byte[] message : messages) {
            assertArrayEquals(message, mailbox.poll());
        }
        assertNull(mailbox.poll());
    }

    @Example
    void aFullMailboxRefusesAnOffer() {
        final Mailbox mailbox = Mailbox.create(64);
        assertTrue(mailbox.offer(new byte[mailbox.maxMessageLength()]));
        assertFalse(mailbox.offer(new byte[1]));
    }
}
