/**
 * Channels over the logbuf rings: hot threads send records without waiting on
 * anything but free space, and one background thread receives them, sleeping
 * when idle.
 *
 * <p>The module exports {@link dev.logbuf.channel}: {@link
 * dev.logbuf.channel.SpscChannel} and {@link dev.logbuf.channel.MpscChannel},
 * their {@link dev.logbuf.channel.Sender}s, the shared {@link
 * dev.logbuf.channel.Receiver} and {@link
 * dev.logbuf.channel.ChannelClosedException}. Records are written and read
 * through the claim types of {@code dev.logbuf.queue}, which this module
 * requires transitively.
 *
 * <p>Threading contract: a sender is used by one thread at a time (an MPSC
 * sender is duplicated per producing thread); the receiver by one thread at a
 * time. Senders spin and yield while the ring is full and never park (a
 * waiting {@code send} answers an interrupt, and a timed one gives up); the
 * receiver spins briefly, then parks until a sender's {@code wake()}.
 */
module dev.logbuf.channel {
    requires transitive dev.logbuf.queue;

    exports dev.logbuf.channel;
}
