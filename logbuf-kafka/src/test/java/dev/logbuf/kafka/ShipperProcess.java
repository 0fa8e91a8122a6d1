package dev.logbuf.kafka;

import dev.logbuf.queue.MpscQueue;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A shipper in a JVM of its own, for {@link ShipperCrashTest}: attaches the
 * ring file, takes its consumer role (taking over from a dead holder), prints
 * {@code SHIPPING}, and ships until its standard input closes or it is killed.
 *
 * <p>Arguments: the ring file, the bootstrap servers, the topic, the
 * guarantee's name.
 */
public final class ShipperProcess {

    private ShipperProcess() {
    }

    public static void main(String[] args) throws Exception {
        final MpscQueue queue = MpscQueue.attachFile(Path.of(args[0]));
        final KafkaShipper shipper = KafkaShipper.builder(queue.consumer())
                .bootstrapServers(args[1])
                .topic(args[2])
                .guarantee(Guarantee.valueOf(args[3]))
                .batchRecords(2048)
                .timeout(Duration.ofSeconds(20))
                .build();
        final Thread stopper = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // until the parent closes our input
                }
            } catch (java.io.IOException e) {
                // the parent is gone: stop too
            }
            shipper.close();
        }, "stopper");
        stopper.setDaemon(true);
        stopper.start();
        System.out.println("SHIPPING");
        System.out.flush();
        shipper.run();
        System.out.println("STOPPED " + shipper.stats());
        System.out.flush();
    }
}
