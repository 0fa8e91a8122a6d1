package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two-process mode as it ships: the archiver ({@code logbuf-journal
 * archive FILE}) and the producers ({@code logbuf-journal --ring FILE}) in
 * separate JVMs of the jlink image, over a ring file under target/. The
 * journal verifies and holds exactly what the producers say they sent, from
 * one producing process or two at once, and also when the archiver is
 * killed with SIGKILL part-way and a new one resumes its journal.
 *
 * <p>Each process is the image's {@code java} running the journal's module,
 * as the {@code bin/logbuf-journal} launcher does; the launcher is a shell
 * script that does not {@code exec}, and a SIGKILL must reach the JVM itself.
 */
@Timeout(120)
class TwoProcessIT {

    private static final int RECORDS = 40_000;

    private final Path image = Launch.property("logbuf.image");
    private final Path work = Launch.property("logbuf.it.work").resolve("two-process");

    @BeforeEach
    void clean() throws Exception {
        Launch.emptyDirectory(work);
    }

    private List<String> journal(String... args) {
        return Launch.imageJournal(image, args);
    }

    /** Starts an archiver and waits until it holds the ring (its first line is out), so it creates the ring. */
    private Launch.Running archiver(String... args) throws Exception {
        final Launch.Running archiver = Launch.start(work, journal(args));
        Launch.await(archiver, "holding the ring", 30, () -> archiver.outSoFar().startsWith("logbuf-journal archive: "));
        return archiver;
    }

    @Test
    void archiverInOneProcessJournalsAndVerifiesWhatProducersInAnotherSend() throws Exception {
        final Path journal = work.resolve("journal.lbj");
        final Launch.Running archiving = archiver("archive", "ring.lbr", "--out", journal.toString(),
                "--records", String.valueOf(RECORDS), "--until-idle", "60s", "--capacity", "64k");
        final Launch.Outcome sent = Launch.succeed(work, journal("--ring", "ring.lbr", "--records",
                String.valueOf(RECORDS), "--producers", "2"));
        final Launch.Outcome archived = Launch.finish(archiving);
        assertEquals(0, archived.exit(), archived::toString);
        assertEquals("", sent.err() + archived.err(), () -> sent + "\n" + archived);

        assertTrue(archived.out().startsWith("logbuf-journal archive: shared MPSC ring of 64 KiB in ring.lbr "
                + "(created) -> " + journal), archived::toString);
        assertTrue(sent.out().startsWith("logbuf-journal: 2 producers (ids 0..1, pid "), sent::toString);
        assertTrue(sent.out().contains("  records     40,000 sent "), sent::toString);
        assertTrue(archived.out().contains("  records     40,000 from 2 producers\n"), archived::toString);
        assertTrue(archived.out().contains("  verify      VERIFIED: 40,000 frames, every checksum, 2 producers in "
                + "order, totals match"), archived::toString);
        assertSameTotals(journal, sent);
        print("one producing process", sent, archived);
    }

    @Test
    void producersInTwoProcessesAtOnceKeepTheirOwnIdsAndOrder() throws Exception {
        final Path journal = work.resolve("two.lbj");
        final Launch.Running archiving = archiver("archive", "ring.lbr", "--out", journal.toString(),
                "--records", String.valueOf(2 * RECORDS), "--until-idle", "60s", "--capacity", "64k");
        final Launch.Running first = Launch.start(work, journal("--ring", "ring.lbr", "-n", String.valueOf(RECORDS),
                "-p", "2"));
        final Launch.Running second = Launch.start(work, journal("--ring", "ring.lbr", "-n", String.valueOf(RECORDS),
                "-p", "2"));
        final Launch.Outcome one = Launch.finish(first);
        final Launch.Outcome two = Launch.finish(second);
        final Launch.Outcome archived = Launch.finish(archiving);
        assertEquals(0, one.exit() + two.exit() + archived.exit(), () -> one + "\n" + two + "\n" + archived);
        assertTrue(archived.out().contains("  records     80,000 from 4 producers\n"), archived::toString);
        assertTrue(archived.out().contains("VERIFIED: 80,000 frames, every checksum, 4 producers in order"),
                archived::toString);
        final boolean firstCameFirst = one.out().contains("(ids 0..1, ");
        assertTrue((firstCameFirst ? two : one).out().contains("(ids 2..3, "), () -> one + "\n" + two);
        final JournalVerifier.Totals totals = JournalVerifier.verify(journal);
        final long[][] a = perProducer(one.out());
        final long[][] b = perProducer(two.out());
        assertArrayEquals(firstCameFirst ? concat(a[0], b[0]) : concat(b[0], a[0]), totals.records());
        assertArrayEquals(firstCameFirst ? concat(a[1], b[1]) : concat(b[1], a[1]), totals.bytes());
    }

    @Test
    void archiverKilledPartWayIsResumedAndTheJournalHoldsEveryRecordOnce() throws Exception {
        final Path journal = work.resolve("resumed.lbj");
        final int records = 5 * RECORDS;
        final Launch.Running killed = archiver("archive", "ring.lbr", "--out", journal.toString(),
                "--records", String.valueOf(records), "--capacity", "64k");
        final Launch.Running producing = Launch.start(work, journal("--ring", "ring.lbr", "-n",
                String.valueOf(records), "-p", "2", "--max-length", "200"));
        // a tenth of the journal or so, then SIGKILL: the producers wait for the next archiver meanwhile
        Launch.await(killed, "a tenth of the way", 60, () -> Files.size(journal) > records * 110L / 10);
        Launch.kill(killed);
        final long left = Files.size(journal);

        final Launch.Outcome resumed = Launch.run(work, journal("archive", "ring.lbr", "--out", journal.toString(),
                "--resume", "--records", String.valueOf(records)));
        final Launch.Outcome sent = Launch.finish(producing);
        assertEquals(0, sent.exit(), sent::toString);
        assertEquals(0, resumed.exit(), resumed::toString);
        final Matcher going = Pattern.compile("-> " + Pattern.quote(journal.toString())
                + ", going on after its ([\\d,]+) records\n").matcher(resumed.out());
        assertTrue(going.find(), resumed::toString);
        assertTrue(number(going.group(1)) > 0 && number(going.group(1)) < records, resumed::toString);
        assertTrue(resumed.out().contains("  records     200,000 from 2 producers"), resumed::toString);
        assertTrue(resumed.out().contains("VERIFIED: 200,000 frames, every checksum, 2 producers in order"),
                resumed::toString);
        assertSameTotals(journal, sent);
        print("archiver killed at " + left + " journal bytes, then resumed", sent, resumed);
    }

    /** The journal holds, producer by producer, what the producing process says it sent. */
    private static void assertSameTotals(Path journal, Launch.Outcome sent) throws Exception {
        final JournalVerifier.Totals totals = JournalVerifier.verify(journal);
        final long[][] claimed = perProducer(sent.out());
        assertArrayEquals(claimed[0], totals.records(), sent::toString);
        assertArrayEquals(claimed[1], totals.bytes(), sent::toString);
    }

    /** {records, bytes} by producer, from the producers' own lines, in id order. */
    private static long[][] perProducer(String out) {
        final Matcher m = Pattern.compile("  producer \\d+ +([\\d,]+) records, ([\\d,]+) payload bytes, last sequence ")
                .matcher(out);
        final List<long[]> found = new ArrayList<>();
        while (m.find()) {
            found.add(new long[] {number(m.group(1)), number(m.group(2))});
        }
        assertTrue(!found.isEmpty(), out);
        final long[][] counts = new long[2][found.size()];
        for (int i = 0; i < found.size(); i++) {
            counts[0][i] = found.get(i)[0];
            counts[1][i] = found.get(i)[1];
        }
        return counts;
    }

    private static long[] concat(long[] a, long[] b) {
        final long[] both = new long[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static long number(String grouped) {
        return Long.parseLong(grouped.replace(",", ""));
    }

    /** The figures, for the build log. */
    private static void print(String title, Launch.Outcome sent, Launch.Outcome archived) {
        System.out.println("TwoProcessIT, " + title + ":\n" + sent.out() + archived.out());
    }
}
