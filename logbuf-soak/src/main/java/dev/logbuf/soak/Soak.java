package dev.logbuf.soak;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The soak command: hammers an MPSC channel with several sender threads,
 * verifies every record on one receiver thread, and prints {@code SOAK PASSED}
 * or {@code SOAK FAILED}.
 *
 * <pre>
 * java -jar logbuf-soak/target/soak.jar --records 1e9
 * java -jar logbuf-soak/target/soak.jar --variant all --seconds 600
 * </pre>
 *
 * <p>Exit status: 0 when every record checked and the totals match; 1 when
 * anything was lost, duplicated, reordered or corrupted, an aborted claim was
 * delivered, the totals differ, the disconnect was not seen, a thread failed
 * or the run stalled; 2 for bad options. See {@code --help} and the module's
 * README for what is checked.
 */
public final class Soak {

    /** Exit status: everything checked. */
    public static final int PASSED = 0;
    /** Exit status: the soak found a fault, or the run went wrong. */
    public static final int FAILED = 1;
    /** Exit status: bad options. */
    public static final int USAGE = 2;

    private Soak() {
    }

    /**
     * Runs the soak and exits with its status.
     *
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the soak in this JVM.
     *
     * @param args the options
     * @param out where progress, the summary and the verdict go
     * @param err where a bad option is reported
     * @return the exit status: {@link #PASSED}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        final SoakOptions options;
        try {
            options = SoakOptions.parse(args);
        } catch (SoakOptions.UsageException e) {
            err.println("soak: " + e.getMessage() + " (see --help)");
            return USAGE;
        }
        if (options.help) {
            out.println(SoakOptions.usage());
            return PASSED;
        }
        out.println(header(options));
        final SoakRun.Result result;
        try {
            result = SoakRun.run(options, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("interrupted");
            out.println("SOAK FAILED");
            return FAILED;
        }
        report(result, options, out);
        return result.passed() ? PASSED : FAILED;
    }

    private static String header(SoakOptions o) {
        final StringBuilder s = new StringBuilder("logbuf-soak: variant ").append(o.variant.label())
                .append(", ").append(o.senders).append(o.senders == 1 ? " sender" : " senders")
                .append(" -> MPSC ring of ").append(size(o.capacity()))
                .append(" -> 1 receiver (").append(o.batch == 0 ? "recv() per record" : "tryRead batch " + o.batch)
                .append("), ");
        if (o.records != 0) {
            s.append(count(o.records)).append(" records");
        }
        if (o.nanos != 0) {
            s.append(o.records != 0 ? " or " : "").append(String.format(Locale.ROOT, "%.3f s", o.nanos / 1e9));
        }
        s.append(", lengths ").append(o.minLength).append("..").append(o.maxLength)
                .append(", seed ").append(o.seed);
        if (o.variant.aborts()) {
            s.append(", abort rate ").append(o.abortRate);
        }
        if (o.variant.churn()) {
            s.append(", churn 1..").append(o.churnMax).append(" records per sender");
        }
        if (o.fault != SoakOptions.Fault.NONE) {
            s.append(", INJECTING ").append(o.fault.label());
        }
        return s.toString();
    }

    private static void report(SoakRun.Result r, SoakOptions o, PrintStream out) {
        final long nanos = Math.max(1, r.elapsedNanos);
        out.println("summary");
        out.println("  records    " + count(r.sentRecords) + " committed, " + count(r.receivedRecords) + " received");
        out.println("  bytes      " + count(r.sentBytes) + " committed, " + count(r.receivedBytes)
                + String.format(Locale.ROOT, " received (%.2f GB payload)", r.receivedBytes / 1e9));
        out.println(String.format(Locale.ROOT, "  elapsed    %.3f s", nanos / 1e9));
        out.println(String.format(Locale.ROOT, "  rate       %,.0f records/s, %.2f GB/s",
                r.receivedRecords * 1e9 / nanos, r.receivedBytes / (double) nanos));
        out.println("  senders    " + o.senders + " threads, " + count(r.senderIds) + " sender ids");
        out.println("  ring full  " + count(r.ringFull) + " sends waited for room");
        out.println("  disconnect " + (r.disconnected ? "seen after the drain" : "NOT SEEN")
                + (r.afterDisconnect != 0 ? ", then " + r.afterDisconnect + " more records" : ""));
        out.println("  checks     lost=" + r.lost + " duplicated=" + r.duplicated + " reordered=" + r.reordered
                + " corrupted=" + r.corrupted + " aborted=" + r.aborted + " abortedSeen=" + r.abortedSeen
                + " mismatchedIds=" + r.mismatchedIds);
        for (String failure : r.failures) {
            out.println("  failure    " + failure);
        }
        for (String error : r.errors) {
            out.println("  error      " + error);
        }
        out.println(r.passed() ? "SOAK PASSED" : "SOAK FAILED");
        out.flush();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String size(int bytes) {
        if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= (1 << 10) && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
