package dev.logbuf.ipc;

import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.ReadClaim;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A consumer process: attaches to a ring file, takes the consumer role and
 * checks every record it reads ({@link RecordChecker}): well-formed, each
 * producer's sequences complete and in order, and at the end exactly the
 * records expected, no more.
 *
 * <p>Arguments ({@code key=value}): {@code kind} (spsc|mpsc), {@code ring},
 * {@code seed}, {@code expect} (producer id to record count, as
 * {@code 1:500000,2:500000}), {@code progress} (print a line every so many
 * records), {@code deadline} (seconds), and optionally:
 * <ul>
 * <li>{@code out=FILE}: exactly-once mode. Records are taken one by one
 *     ({@code tryClaim}) and each is written to an {@link OutputLog} with its
 *     ring position before it is released. Entries already in the file (a
 *     killed predecessor's) are replayed into the check first, and a record
 *     at a position no greater than the last entry's is skipped: it was
 *     written but not released when the predecessor died. Without
 *     {@code out}, records are read in batches.</li>
 * <li>{@code mode=hold}: take the consumer role, print
 *     {@code HOLDING pid=…} and block until killed.</li>
 * </ul>
 *
 * <p>It prints {@code ATTACHED pid=… head=… resumed=… last=…}, then
 * {@code PROGRESS records=…} lines, and, once it has the expected count and
 * no producer holds a slot any more (and a last look finds nothing),
 * {@code RESULT records=… bytes=… faults=… producers=id:count,… skipped=… millis=…}
 * (millis from its first record to the end);
 * the faults go to stderr. Exit status 0 only when the run checks out.
 */
public final class ConsumerProcess {

    /** Records per batch read. */
    private static final int BATCH = 64;
    /** What {@link #readOne} did. */
    private static final int NONE = 0;
    private static final int TAKEN = 1;
    private static final int SKIPPED = 2;

    private ConsumerProcess() {
    }

    public static void main(String[] args) {
        ChildMain.run(args, ConsumerProcess::run);
    }

    private static int run(ChildMain.Args args) throws Exception {
        final SharedRing ring = SharedRing.attach(args.kind(), args.path("ring"));
        final Consumer consumer = ring.consumer();
        if (args.string("mode", "run").equals("hold")) {
            ChildMain.say("HOLDING pid=" + ProcessHandle.current().pid());
            ChildMain.awaitKill(args, "holding the consumer role");
        }
        final Map<Integer, Long> expected = expected(args.string("expect"));
        final long total = expected.values().stream().mapToLong(Long::longValue).sum();
        final long progress = args.longValue("progress", 0);
        final RecordChecker checker = new RecordChecker(args.longValue("seed"));
        final Tally tally = checker.tally();
        final String out = args.string("out", null);
        try (OutputLog log = out == null ? null
                : OutputLog.open(args.path("out"), e -> tally.accept(e.id(), e.sequence(), e.length()))) {
            ChildMain.say("ATTACHED pid=" + ProcessHandle.current().pid() + " head=" + consumer.position()
                    + " resumed=" + (log == null ? 0 : log.entriesAtOpen())
                    + " last=" + (log == null ? -1 : log.lastPosition()));
            long started = 0; // at the first record: the producers may start after this consumer
            long skipped = 0;
            long nextProgress = progress > 0 ? (tally.records() / progress + 1) * progress : Long.MAX_VALUE;
            boolean lastLook = false;
            final Backoff backoff = ChildMain.backoff();
            for (;;) {
                final boolean read;
                if (log == null) {
                    read = consumer.read(checker, BATCH) > 0;
                } else {
                    final int outcome = readOne(consumer, checker, log);
                    skipped += outcome == SKIPPED ? 1 : 0;
                    read = outcome != NONE;
                }
                if (read) {
                    backoff.reset();
                    if (started == 0) {
                        started = System.nanoTime();
                    }
                    if (tally.records() >= nextProgress) {
                        ChildMain.say("PROGRESS records=" + tally.records());
                        nextProgress += progress;
                    }
                    continue;
                }
                if (lastLook) {
                    break; // nothing more after the producers had all gone
                }
                if (tally.records() >= total && consumer.isDisconnected()) {
                    lastLook = true; // their last records are visible now: one more read to be sure
                    continue;
                }
                if (args.deadlinePassed()) {
                    tally.fault("gave up waiting after " + tally.records() + " of " + total + " records (stats "
                            + ring.stats() + ")");
                    break;
                }
                backoff.idle();
            }
            final long millis = started == 0 ? 0 : (System.nanoTime() - started) / 1_000_000;
            tally.expectExactly(expected);
            consumer.close(); // gives the role back
            ChildMain.say("RESULT " + tally.summary() + " skipped=" + skipped + " millis=" + millis);
            for (String message : tally.messages()) {
                System.err.println(message);
            }
            return tally.clean() ? ChildMain.OK : ChildMain.FAULT;
        }
    }

    /**
     * Takes one record, checks it and writes its entry, then releases it.
     *
     * @return {@link #NONE} if no record was waiting, {@link #SKIPPED} if it
     *         had been written already, else {@link #TAKEN}
     */
    private static int readOne(Consumer consumer, RecordChecker checker, OutputLog log) throws IOException {
        try (ReadClaim record = consumer.tryClaim()) {
            if (record == null) {
                return NONE;
            }
            final long position = record.position();
            if (position <= log.lastPosition()) {
                return SKIPPED; // written by a consumer killed before it released it: released now, not again
            }
            if (checker.check(record)) {
                log.append(position, checker.id(), checker.sequence(), checker.length());
            } // else a fault, counted by the checker; nothing to write
            return TAKEN;
        } // released only here, after the entry was written
    }

    /** Parses {@code id:count,id:count}. */
    static Map<Integer, Long> expected(String spec) {
        final Map<Integer, Long> expected = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            final String[] idCount = pair.split(":");
            expected.put(Integer.parseInt(idCount[0]), Long.parseLong(idCount[1]));
        }
        return expected;
    }
}
