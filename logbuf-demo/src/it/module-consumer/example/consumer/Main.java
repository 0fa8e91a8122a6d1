package example.consumer;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.lang.module.ModuleDescriptor;

/** Two threads send numbered records, this one receives and checks them; exit 0 and "OK" when all arrive in order. */
public final class Main {

    public static void main(String[] args) throws Exception {
        final int perSender = 10_000;
        final MpscChannel channel = MpscChannel.create(64 * 1024);
        final Thread[] threads = new Thread[2];
        try (MpscSender origin = channel.newSender()) {
            for (int t = 0; t < threads.length; t++) {
                final int id = t;
                final MpscSender sender = origin.duplicate();
                threads[t] = new Thread(() -> {
                    try (sender) {
                        for (long seq = 0; seq < perSender; seq++) {
                            try (WriteClaim claim = sender.send(12 + (int) (seq % 50))) {
                                claim.putInt(0, id).putLong(4, seq);
                                claim.commit();
                            }
                            sender.wake();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // stop sending: send() claimed nothing
                    }
                });
                threads[t].start();
            }
        }
        final long[] next = new long[threads.length];
        long received = 0;
        try (Receiver receiver = channel.receiver()) {
            for (;;) {
                try (ReadClaim record = receiver.recv()) {
                    final int id = record.getInt(0);
                    final long seq = record.getLong(4);
                    if (seq != next[id]++ || record.length() != 12 + seq % 50) {
                        System.out.println("FAILED: sender " + id + " record " + seq);
                        System.exit(1);
                    }
                    received++;
                }
            }
        } catch (ChannelClosedException drained) {
            // every sender closed, everything received
        }
        for (Thread thread : threads) {
            thread.join();
        }
        final Module module = MpscChannel.class.getModule();
        if (received != 2L * perSender || !module.isNamed() || !Main.class.getModule().isNamed()) {
            System.out.println("FAILED: " + received + " records, channel in " + module);
            System.exit(1);
        }
        System.out.println("OK " + received + " records via " + module.getName()
                + " (requires " + module.getDescriptor().requires().stream()
                        .filter(r -> !r.name().equals("java.base"))
                        .map(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)
                                ? "transitive " + r.name() : r.name())
                        .findFirst().orElse("")
                + ") from " + Main.class.getModule().getName());
    }
}
