package example.classpath;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;

/**
 * A user's application on the plain class path, with no module-info: the same
 * jars work there. Two threads send numbered records, this one receives and
 * checks them; exit 0 and "OK" when all arrive in order.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        final int perSender = 10_000;
        final MpscChannel channel = MpscChannel.create(64 * 1024);
        final Thread[] threads = new Thread[2];
        final MpscSender origin = channel.newSender();
        for (int t = 0; t < threads.length; t++) {
            final int id = t;
            final MpscSender sender = origin.duplicate();
            threads[t] = new Thread(() -> {
                try {
                    for (long seq = 0; seq < perSender; seq++) {
                        final WriteClaim claim = sender.send(12 + (int) (seq % 50));
                        try {
                            claim.putInt(0, id).putLong(4, seq);
                            claim.commit();
                        } finally {
                            claim.close();
                        }
                        sender.wake();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // stop sending: send() claimed nothing
                } finally {
                    sender.close();
                }
            });
            threads[t].start();
        }
        origin.close();
        final long[] next = new long[threads.length];
        long received = 0;
        final Receiver receiver = channel.receiver();
        try {
            for (;;) {
                final ReadClaim record = receiver.recv();
                try {
                    final int id = record.getInt(0);
                    final long seq = record.getLong(4);
                    if (seq != next[id]++ || record.length() != 12 + seq % 50) {
                        System.out.println("FAILED: sender " + id + " record " + seq);
                        System.exit(1);
                    }
                    received++;
                } finally {
                    record.close();
                }
            }
        } catch (ChannelClosedException drained) {
            // every sender closed, everything received
        } finally {
            receiver.close();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (received != 2L * perSender || MpscChannel.class.getModule().isNamed()) {
            System.out.println("FAILED: " + received + " records, channel in " + MpscChannel.class.getModule());
            System.exit(1);
        }
        System.out.println("OK " + received + " records via the class path (" + MpscChannel.class.getModule() + ")");
    }
}
