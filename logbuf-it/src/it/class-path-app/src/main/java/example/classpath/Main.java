package example.classpath;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.WriteClaim;

/**
 * The module-path application's checks, on the plain class path with no
 * module descriptor: the same jars work there. Prints one line starting "OK"
 * and exits 0 when every record arrived in order and logbuf was loaded from
 * the class path (the unnamed module), else prints "FAILED" and exits 1.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        final long queued = throughTheQueue(100);
        final long sent = throughTheChannel(2, 1_000);
        final Module queue = SpscQueue.class.getModule();
        final Module channel = MpscChannel.class.getModule();
        if (queue.isNamed() || channel.isNamed()) {
            fail("not on the class path: " + queue + ", " + channel);
        }
        System.out.println("OK " + queued + " records through the queue, " + sent
                + " through the channel, on the class path (" + channel + ")");
    }

    /** One thread claims, writes and commits, then reads everything back. */
    private static long throughTheQueue(int records) {
        final SpscQueue queue = SpscQueue.create(4096);
        long received = 0;
        for (int i = 0; i < records; i++) {
            try (WriteClaim claim = queue.producer().tryClaim(8 + i % 24)) {
                if (claim == null) {
                    fail("queue full at record " + i);
                }
                claim.putInt(0, i);
                claim.commit();
            }
            try (ReadClaim record = queue.consumer().tryClaim()) {
                if (record == null || record.getInt(0) != i || record.length() != 8 + i % 24) {
                    fail("queue record " + i + " lost or changed");
                }
                received++;
            }
        }
        return received;
    }

    /** Senders on their own threads, this thread receiving until every sender closed. */
    private static long throughTheChannel(int senders, int perSender) throws InterruptedException {
        final MpscChannel channel = MpscChannel.create(16 * 1024);
        final Thread[] threads = new Thread[senders];
        try (MpscSender origin = channel.newSender()) {
            for (int t = 0; t < senders; t++) {
                final int id = t;
                final MpscSender sender = origin.duplicate();
                threads[t] = new Thread(() -> {
                    try (sender) {
                        for (long seq = 0; seq < perSender; seq++) {
                            try (WriteClaim claim = sender.send(12 + (int) (seq % 40))) {
                                claim.putInt(0, id).putLong(4, seq);
                                claim.commit();
                            }
                            sender.wake();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                threads[t].start();
            }
        }
        final long[] next = new long[senders];
        long received = 0;
        try (Receiver receiver = channel.receiver()) {
            for (;;) {
                try (ReadClaim record = receiver.recv()) {
                    final int id = record.getInt(0);
                    final long seq = record.getLong(4);
                    if (seq != next[id]++ || record.length() != 12 + seq % 40) {
                        fail("sender " + id + " record " + seq + " out of order or changed");
                    }
                    received++;
                }
            }
        } catch (ChannelClosedException drained) {
            // every sender closed and everything was received
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (received != (long) senders * perSender) {
            fail(received + " of " + (long) senders * perSender + " records through the channel");
        }
        return received;
    }

    private static void fail(String why) {
        System.out.println("FAILED: " + why);
        System.exit(1);
    }
}
