package dev.logbuf.channel;

/**
 * The other side of a channel is gone: thrown to senders once the receiver is
 * closed, and to the receiver once every sender is closed <em>and</em> every
 * record they committed has been received.
 *
 * <p>Unchecked, like {@link java.util.concurrent.RejectedExecutionException}:
 * it ends a channel's life once, it is not an outcome of each call.
 */
public final class ChannelClosedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what closed, for the log
     */
    public ChannelClosedException(String message) {
        super(message);
    }
}
