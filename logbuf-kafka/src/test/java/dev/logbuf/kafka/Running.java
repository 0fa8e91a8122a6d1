package dev.logbuf.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** A shipper's {@code run()} on a thread of its own, with what stopped it, for the tests. */
final class Running {

    private final KafkaShipper shipper;
    private final Thread thread;
    private final AtomicReference<Throwable> failed = new AtomicReference<>();

    private Running(KafkaShipper shipper) {
        this.shipper = shipper;
        this.thread = new Thread(() -> {
            try {
                shipper.run();
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "shipper");
    }

    static Running start(KafkaShipper shipper) {
        final Running running = new Running(shipper);
        running.thread.start();
        return running;
    }

    /** Waits until the shipper has shipped {@code records}, it failed, or {@code timeout} passed. */
    void awaitShipped(long records, Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (shipper.stats().shipped() < records && failed.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** Waits for run() to return by itself; asserts it did, and did not fail. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        assertFalse(thread.isAlive(), "run() did not return within " + timeout);
        assertNull(failed.get(), () -> "the shipper stopped: " + failed.get());
    }

    /** Closes the shipper, waits for run() to return, and asserts it did not fail. */
    void closeAndCheck() throws InterruptedException {
        shipper.close();
        awaitEnd(Duration.ofSeconds(30));
    }
}
