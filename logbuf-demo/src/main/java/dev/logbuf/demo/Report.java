package dev.logbuf.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The lines of the summaries the journal's commands print, each a label in
 * a 12-column field and the figures: the ones more than one command prints.
 */
final class Report {

    private Report() {
    }

    /** {@code elapsed} and {@code throughput} (payload MB/s, records/s) over {@code elapsedNanos}. */
    static void throughput(PrintWriter out, long records, long payloadBytes, long elapsedNanos) {
        out.printf("  elapsed     %s%n", Units.seconds(elapsedNanos));
        out.printf("  throughput  %s MB/s, %s records/s%n", Units.rate(payloadBytes / 1e6, elapsedNanos, 1),
                Units.rate(records, elapsedNanos, 0));
    }

    /** {@code ring full}: how many sends found the ring full, and how long they waited. */
    static void ringFull(PrintWriter out, JournalRun.Sent sent) {
        final long ringFull = sent.ringFull();
        final long sends = sent.totalRecords();
        out.printf("  ring full   %s of %s sends found the ring full (%.2f%%) and waited %s in all, %s at most%n",
                Units.count(ringFull), Units.count(sends), sends == 0 ? 0.0 : ringFull * 100.0 / sends,
                Units.seconds(sent.waitNanos()), Units.seconds(sent.longestWaitNanos()));
    }

    /** {@code faults}, when a write failed or failures were injected: the journal's writes and stalls. */
    static void faults(PrintWriter out, JournalRun.Writes writes, FailingSink.Plan injected) {
        if (writes.failed() == 0 && injected == null) {
            return;
        }
        // "paused", not "stalls": the ring's stalls are claims held by live producers
        out.printf("  faults      %s of %s writes failed%s; receiving paused %s %s, %s in all, %s %s; %s %s "
                + "put back in the ring%n", Units.count(writes.failed()), Units.count(writes.attempts()),
                injected == null ? "" : " (injected: " + injected
                        + (writes.attempts() < injected.from() ? ", never reached" : "") + ")",
                Units.count(writes.stalls()), writes.stalls() == 1 ? "time" : "times",
                Units.seconds(writes.stalledNanos()),
                Units.count(writes.retries()), writes.retries() == 1 ? "retry" : "retries",
                Units.count(writes.refused()), writes.refused() == 1 ? "record" : "records");
    }

    /**
     * Reads the journal back ({@link JournalVerifier}) against each producer's
     * {@code records} and {@code bytes}, and prints {@code verify VERIFIED: …}
     * or {@code verify NOT VERIFIED: } and the first mismatch.
     *
     * @param producers the producers to name in the line
     * @return {@link Journal#VERIFIED} or {@link Journal#NOT_VERIFIED}
     * @throws IOException if the journal cannot be read
     */
    static int verify(PrintWriter out, Path file, long[] records, long[] bytes, int producers) throws IOException {
        final long start = System.nanoTime();
        try {
            final JournalVerifier.Totals totals = JournalVerifier.verify(file, records, bytes);
            out.printf("  verify      VERIFIED: %s frames, every checksum, %d producers in order, "
                    + "totals match (read back in %s)%n", Units.count(totals.frames()), producers,
                    Units.seconds(System.nanoTime() - start));
            return Journal.VERIFIED;
        } catch (CorruptJournalException e) {
            out.printf("  verify      NOT VERIFIED: %s%n", e.getMessage());
            return Journal.NOT_VERIFIED;
        }
    }
}
