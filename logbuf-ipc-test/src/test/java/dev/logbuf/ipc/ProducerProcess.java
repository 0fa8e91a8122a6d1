package dev.logbuf.ipc;

import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.Producer;
import dev.logbuf.queue.WriteClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A producer process: attaches to a ring file and writes records of
 * {@link RecordFormat}, one producer (and thread) per id.
 *
 * <p>Arguments ({@code key=value}): {@code kind} (spsc|mpsc), {@code ring}
 * (the file), {@code seed}, {@code id} (the first producer id),
 * {@code threads} (1; ids id, id+1, ...), {@code records} (per thread),
 * {@code progress} (print a line every so many records; 0 for none),
 * {@code work} (nanoseconds spent inside each claim before it is committed,
 * as a producer formatting in place would; 0 by default),
 * {@code deadline} (seconds), and {@code mode}:
 * <ul>
 * <li>{@code run}: each thread commits sequences 0..records-1, prints
 *     {@code DONE id=… records=…}; then the producers are closed and the
 *     process prints {@code EXIT} and exits 0.</li>
 * <li>{@code endless}: as {@code run}, but without end, until killed (the
 *     deadline ends it with status 4).</li>
 * <li>{@code hang}: claims record 0 of {@code id}, writes part of it, prints
 *     {@code CLAIMED id=… length=…} and blocks for ever, never committing: a
 *     producer that will die mid-claim.</li>
 * </ul>
 * Every mode first prints {@code ATTACHED pid=…} once its producers hold
 * their slots.
 */
public final class ProducerProcess {

    private ProducerProcess() {
    }

    public static void main(String[] args) {
        ChildMain.run(args, ProducerProcess::run);
    }

    private static int run(ChildMain.Args args) throws Exception {
        final SharedRing ring = SharedRing.attach(args.kind(), args.path("ring"));
        final int firstId = args.intValue("id", 1);
        final int threads = args.intValue("threads", 1);
        final String mode = args.string("mode", "run");
        final long records = mode.equals("run") ? args.longValue("records") : Long.MAX_VALUE;
        final long seed = args.longValue("seed");
        final long progress = args.longValue("progress", 0);
        final long work = args.longValue("work", 0);

        final List<Producer> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            producers.add(ring.newProducer());
        }
        ChildMain.say("ATTACHED pid=" + ProcessHandle.current().pid() + " producers=" + threads);

        if (mode.equals("hang")) {
            hang(producers.get(0), firstId, seed, args);
            return ChildMain.FAULT; // not reached: hang() returns only by throwing
        }

        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final Producer producer = producers.get(t);
            final int id = firstId + t;
            final Thread worker = new Thread(() -> {
                try {
                    produce(producer, id, records, seed, progress, work, args);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "producer " + id);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            if (failure.get() instanceof ChildMain.DeadlineException) {
                throw (ChildMain.DeadlineException) failure.get();
            }
            throw new Exception("a producer thread failed", failure.get());
        }
        for (Producer producer : producers) {
            producer.close(); // gives the slot back: the consumer sees the disconnect once all have
        }
        ChildMain.say("EXIT");
        return ChildMain.OK;
    }

    /** Commits sequences 0..records-1 of {@code id}, waiting with a backoff while the ring is full. */
    private static void produce(Producer producer, int id, long records, long seed, long progress, long work,
            ChildMain.Args args) {
        final RecordFormat format = new RecordFormat(seed);
        final Backoff backoff = ChildMain.backoff();
        for (long seq = 0; seq < records;) {
            final WriteClaim claim = producer.tryClaim(format.length(id, seq));
            if (claim == null) {
                args.checkDeadline("producer " + id + " waited for room for seq " + seq);
                backoff.idle();
                continue;
            }
            backoff.reset();
            format.write(claim, id, seq);
            if (work > 0) {
                final long until = System.nanoTime() + work;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait(); // more time inside the claim: a kill at a random time lands there
                }
            }
            claim.commit();
            seq++;
            if (progress > 0 && seq % progress == 0) {
                ChildMain.say("PROGRESS id=" + id + " committed=" + seq);
            }
        }
        ChildMain.say("DONE id=" + id + " records=" + records);
    }

    /** Claims record 0, writes part of it, says so, and never ends the claim. */
    private static void hang(Producer producer, int id, long seed, ChildMain.Args args) throws InterruptedException {
        final RecordFormat format = new RecordFormat(seed);
        final int length = format.length(id, 0);
        final Backoff backoff = ChildMain.backoff();
        WriteClaim claim;
        while ((claim = producer.tryClaim(length)) == null) {
            args.checkDeadline("producer " + id + " waited for room to claim");
            backoff.idle();
        }
        format.writePart(claim, id, 0);
        ChildMain.say("CLAIMED id=" + id + " length=" + length);
        ChildMain.awaitKill(args, "holding the claim of producer " + id);
    }
}
