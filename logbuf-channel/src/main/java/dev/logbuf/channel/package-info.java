/**
 * Senders and a receiver over the logbuf rings.
 *
 * <pre>{@code
 * MpscChannel channel = MpscChannel.create(1 << 20);
 * MpscSender sender = channel.newSender();        // one per producing thread, closed when done
 *
 * // a hot thread
 * try (WriteClaim claim = sender.send(12)) {      // spins, then yields, while full (interruptible)
 *     claim.putLong(0, System.nanoTime()).putInt(8, 42);
 *     claim.commit();                             // wakes the receiver if it is parked
 * }
 *
 * // the background thread
 * Receiver receiver = channel.receiver();
 * try (ReadClaim record = receiver.recv()) {      // parks while idle
 *     long stamp = record.getLong(0);
 * }
 * }</pre>
 *
 * <h2>Outcomes and errors</h2>
 * {@code null} means full ({@code trySend}) or timed out / nothing yet
 * ({@code send(length, timeout)}, {@code recv(timeout)}, {@code tryRecv}).
 * {@link java.lang.InterruptedException} means the thread was interrupted
 * while it waited ({@code send}, {@code recv}); nothing was claimed or lost. {@link
 * dev.logbuf.channel.ChannelClosedException} means the other side is gone:
 * for senders, the receiver closed; for the receiver, every sender closed and
 * every committed record received. {@link java.lang.IllegalArgumentException}
 * is a bad length, {@link java.lang.IllegalStateException} a misuse (a
 * second open claim, a closed handle).
 */
package dev.logbuf.channel;
