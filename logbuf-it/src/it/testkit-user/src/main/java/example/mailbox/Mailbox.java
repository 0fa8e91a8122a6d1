package example.mailbox;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;

/**
 * A user's own wrapper: a mailbox of byte messages over an MPSC channel, with
 * the plain offer/poll API the rest of the application uses, and the
 * channel's handles for the code (and the tests) that work with claims.
 */
public final class Mailbox {

    private final MpscSender sender;
    private final Receiver receiver;

    private Mailbox(MpscChannel channel) {
        this.sender = channel.newSender();
        this.receiver = channel.receiver();
    }

    /**
     * A mailbox of at least the given capacity.
     *
     * @param capacity bytes, rounded up to a power of two
     * @return the mailbox
     */
    public static Mailbox create(int capacity) {
        return new Mailbox(MpscChannel.create(capacity));
    }

    /**
     * Copies a message in, if it fits now, and wakes the receiver.
     *
     * @param message the bytes, 1 to {@code maxMessageLength()}
     * @return false when the mailbox is full
     */
    public boolean offer(byte[] message) {
        try (WriteClaim claim = sender.trySend(message.length)) {
            if (claim == null) {
                return false;
            }
            claim.put(message);
            claim.commit();
        }
        sender.wake();
        return true;
    }

    /**
     * The next message, if there is one.
     *
     * @return a copy of it, or null when the mailbox is empty
     * @throws ChannelClosedException once every sender closed and all was taken
     */
    public byte[] poll() {
        try (ReadClaim record = receiver.tryRecv()) {
            if (record == null) {
                return null;
            }
            final byte[] message = new byte[record.length()];
            record.get(message);
            return message;
        }
    }

    /**
     * The longest message.
     *
     * @return bytes
     */
    public int maxMessageLength() {
        return sender.maxRecordLength();
    }

    /**
     * The first sender: duplicate it for each further producing thread.
     *
     * @return the sender
     */
    public MpscSender sender() {
        return sender;
    }

    /**
     * The one receiver.
     *
     * @return the receiver
     */
    public Receiver receiver() {
        return receiver;
    }
}
