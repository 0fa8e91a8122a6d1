package dev.logbuf.kafka;

import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Producers in a JVM of their own, for {@link SecondJvmShipperTest}: attaches
 * the ring file, takes one producer handle per thread, and has thread
 * {@code p} write producer {@code p}'s records 0 to count - 1 with
 * {@link TestRecords#send} (spinning while the ring is full); then closes the
 * handles, prints {@code WROTE} with the counts, and exits 0, or 1 (the error
 * on standard error) if a thread failed.
 *
 * <p>Arguments: the ring file, the number of threads, the records per thread.
 */
public final class ProducerProcess {

    private ProducerProcess() {
    }

    public static void main(String[] args) throws Exception {
        final MpscQueue queue = MpscQueue.attachFile(Path.of(args[0]));
        final int threads = Integer.parseInt(args[1]);
        final long perThread = Long.parseLong(args[2]);
        final MpscProducer first = queue.newProducer();
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        final AtomicLong fullSpins = new AtomicLong();
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < threads; p++) {
            final int id = p;
            final MpscProducer handle = p == 0 ? first : first.duplicate();
            final Thread thread = new Thread(() -> {
                long spins = 0;
                for (long seq = 0; seq < perThread; seq++) {
                    spins += TestRecords.send(handle, id, seq);
                }
                handle.close();
                fullSpins.addAndGet(spins);
            }, "producer-" + p);
            thread.setUncaughtExceptionHandler((t, e) -> failed.compareAndSet(null, e));
            producers.add(thread);
        }
        final long start = System.nanoTime();
        producers.forEach(Thread::start);
        for (Thread thread : producers) {
            thread.join();
        }
        final Throwable failure = failed.get();
        if (failure != null) {
            failure.printStackTrace();
            System.exit(1);
        }
        System.out.println("WROTE " + threads * perThread + " records from " + threads + " threads in "
                + (System.nanoTime() - start) / 1_000_000 + " ms; " + fullSpins.get() + " claims found the ring full");
        System.out.flush();
    }
}
