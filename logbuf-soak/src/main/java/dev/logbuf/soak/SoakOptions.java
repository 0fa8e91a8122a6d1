package dev.logbuf.soak;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's settings, parsed from the command line and checked together.
 * Immutable once parsed; {@link #usage()} is the {@code --help} text.
 */
final class SoakOptions {

    /** Bad options: the message is one line for the user; the command exits with status 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** A deliberate fault, injected once by sender thread 0 to show that the verifier and the exit status bite. */
    enum Fault {
        NONE, SKIP, DUPLICATE, REORDER, CORRUPT, SHOW_ABORTED;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Records when neither --records nor --seconds is given. */
    static final long DEFAULT_RECORDS = 10_000_000L;
    static final int MAX_SENDERS = 4096;
    static final int MIN_RING = 16;
    static final int MAX_RING = 1 << 30;

    private static final Pattern SIZE =
            Pattern.compile("(\\d{1,10})\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", Pattern.CASE_INSENSITIVE);

    Variant variant = Variant.PLAIN;
    int senders = 4;
    /** The total to commit, or 0 when only --seconds bounds the run. */
    long records;
    /** The time bound in nanoseconds, or 0 when only --records bounds the run. */
    long nanos;
    int ring = 2 << 20;
    int minLength = 8;
    int maxLength = 1024;
    long seed = 1994;
    double abortRate = 0.01;
    int churnMax = 10_000;
    /** Receiver batch limit for tryRead; 0 means record by record with recv(). */
    int batch = 16;
    /** Seconds between progress lines; 0 for none. */
    double progressSeconds = 10;
    /** Seconds without a received record, while senders are still due, that count as a stall. */
    double stallSeconds = 60;
    Fault fault = Fault.NONE;
    boolean help;

    /** Defaults, as with no arguments. */
    SoakOptions() {
        records = DEFAULT_RECORDS;
    }

    /**
     * Parses {@code args} ({@code --name value} or {@code --name=value}).
     *
     * @throws UsageException naming the first bad option
     */
    static SoakOptions parse(String... args) throws UsageException {
        final SoakOptions o = new SoakOptions();
        boolean recordsGiven = false;
        boolean secondsGiven = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = null;
            final int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("-h") || name.equals("--help")) {
                o.help = true;
                continue;
            }
            if (!name.startsWith("-")) {
                throw new UsageException("unexpected argument '" + name + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    if (!isOption(name)) {
                        throw new UsageException("unknown option " + name);
                    }
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--variant":
                    o.variant = Variant.of(value);
                    if (o.variant == null) {
                        throw new UsageException("--variant must be plain, aborts, churn or all, not '" + value + "'");
                    }
                    break;
                case "--senders":
                    o.senders = (int) integer(name, value, 1, MAX_SENDERS);
                    break;
                case "--records":
                    o.records = count(name, value);
                    recordsGiven = true;
                    break;
                case "--seconds":
                    o.nanos = (long) (decimal(name, value, 0.001, 1e7) * 1e9);
                    secondsGiven = true;
                    break;
                case "--ring":
                    o.ring = size(name, value);
                    break;
                case "--min-length":
                    o.minLength = (int) integer(name, value, PayloadFormat.TAG_LENGTH, MAX_RING);
                    break;
                case "--max-length":
                    o.maxLength = (int) integer(name, value, PayloadFormat.TAG_LENGTH, MAX_RING);
                    break;
                case "--seed":
                    o.seed = integer(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
                    break;
                case "--abort-rate":
                    o.abortRate = decimal(name, value, 0, 0.9);
                    break;
                case "--churn-max":
                    o.churnMax = (int) integer(name, value, 1, Integer.MAX_VALUE);
                    break;
                case "--batch":
                    o.batch = (int) integer(name, value, 0, 1 << 20);
                    break;
                case "--progress":
                    o.progressSeconds = decimal(name, value, 0, 1e6);
                    break;
                case "--stall-seconds":
                    o.stallSeconds = decimal(name, value, 1, 1e6);
                    break;
                case "--inject":
                    o.fault = fault(value);
                    break;
                default:
                    throw new UsageException("unknown option " + name);
            }
        }
        if (secondsGiven && !recordsGiven) {
            o.records = 0; // the time alone bounds the run
        }
        final int capacity = roundUp(o.ring);
        if (o.maxLength < o.minLength) {
            throw new UsageException("--max-length " + o.maxLength + " is below --min-length " + o.minLength);
        }
        if (o.maxLength > capacity - 8) {
            throw new UsageException("--max-length " + o.maxLength + " does not fit the ring: at most "
                    + (capacity - 8) + " for a ring of " + capacity + " bytes");
        }
        return o;
    }

    /** The ring's capacity as the channel makes it: rounded up to a power of two. */
    int capacity() {
        return roundUp(ring);
    }

    /** The --help text. */
    static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: java -jar soak.jar [options]",
                "",
                "Hammers an MPSC channel with several sender threads and verifies every record on",
                "one receiver thread: sender id, per-sender sequence (lost, duplicated, reordered),",
                "length and every payload byte; at the end the receiver must drain and see the",
                "disconnect, and what the senders committed must equal what arrived, per sender id.",
                "Prints SOAK PASSED (exit 0) or SOAK FAILED (exit 1); bad options exit 2.",
                "",
                "Options:",
                "  --variant NAME        plain | aborts | churn | all                   (plain)",
                "                          aborts: ~1% of claims aborted, never to be seen",
                "                          churn:  senders duplicate()d, used, closed mid-run",
                "                          all:    aborts and churn",
                "  --records N           records to commit in all: 1000000000, 1e9, 1_000_000_000",
                "                        (" + String.format(Locale.ROOT, "%,d", DEFAULT_RECORDS)
                        + " when neither --records nor --seconds is given)",
                "  --seconds S           stop sending after S seconds (decimals allowed);",
                "                        with --records too, whichever comes first",
                "  --senders N           sender threads, 1.." + MAX_SENDERS + "                              (4)",
                "  --ring SIZE           ring capacity, rounded up to a power of two:",
                "                        65536, 64k, 2m, 2MiB; 16 bytes..1 GiB                (2MiB)",
                "  --min-length N        shortest payload, at least 8                       (8)",
                "  --max-length N        longest payload, at most ring - 8                  (1024)",
                "  --seed N              seed of lengths, contents, aborts, churn           (1994)",
                "  --abort-rate R        share of claims aborted (aborts, all), 0..0.9      (0.01)",
                "  --churn-max N         records per sender incarnation: random 1..N (churn, all)",
                "                                                                           (10000)",
                "  --batch N             receiver: tryRead batches of up to N records, recv() when",
                "                        idle; 0 = recv() and one ReadClaim per record      (16)",
                "  --progress S          a progress line every S seconds, 0 for none        (10)",
                "  --stall-seconds S     fail if no record arrives for S seconds while senders",
                "                        are still sending                                  (60)",
                "  --inject FAULT        testing the soak itself: sender 0 injects one fault,",
                "                        skip | duplicate | reorder | corrupt | show-aborted,",
                "                        which must make the soak fail",
                "  -h, --help            this text");
    }

    private static boolean isOption(String name) {
        switch (name) {
            case "--variant": case "--senders": case "--records": case "--seconds": case "--ring":
            case "--min-length": case "--max-length": case "--seed": case "--abort-rate": case "--churn-max":
            case "--batch": case "--progress": case "--stall-seconds": case "--inject":
                return true;
            default:
                return false;
        }
    }

    private static int roundUp(int ring) {
        return ring <= 1 ? 1 : Integer.highestOneBit(ring - 1) << 1;
    }

    private static Fault fault(String value) throws UsageException {
        for (Fault f : Fault.values()) {
            if (f.label().equalsIgnoreCase(value)) {
                return f;
            }
        }
        throw new UsageException("--inject must be none, skip, duplicate, reorder, corrupt or show-aborted, not '"
                + value + "'");
    }

    /** A whole number; underscores and commas between digits are allowed. */
    private static long integer(String name, String value, long min, long max) throws UsageException {
        final long n;
        try {
            n = Long.parseLong(value.trim().replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": '" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new UsageException(name + " must be " + min + ".." + max + ", not " + n);
        }
        return n;
    }

    /** A positive whole count: 1000000000, 1_000_000_000, 1,000,000,000, 1e9, 2.5e6. */
    private static long count(String name, String value) throws UsageException {
        final BigDecimal n;
        try {
            n = new BigDecimal(value.trim().replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": '" + value + "' is not a number (examples: 1000000, 1e9)");
        }
        try {
            final long count = n.stripTrailingZeros().longValueExact();
            if (count >= 1) {
                return count;
            }
        } catch (ArithmeticException e) {
            if (n.signum() > 0 && n.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new UsageException(name + ": '" + value + "' is too large");
            }
            throw new UsageException(name + ": '" + value + "' is not a whole number");
        }
        throw new UsageException(name + " must be at least 1, not " + value);
    }

    private static double decimal(String name, String value, double min, double max) throws UsageException {
        final double d;
        try {
            d = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": '" + value + "' is not a number");
        }
        if (!(d >= min && d <= max)) { // NaN fails too
            throw new UsageException(name + " must be " + plain(min) + ".." + plain(max) + ", not " + value);
        }
        return d;
    }

    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** Bytes: 65536, 64k, 64KiB, 2m, 2MiB, 1g. Suffixes are binary (k = 1024). */
    private static int size(String name, String value) throws UsageException {
        final Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new UsageException(name + ": '" + value + "' is not a size (examples: 65536, 64k, 2MiB)");
        }
        final String unit = m.group(2).toLowerCase(Locale.ROOT);
        final int shift = unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : unit.startsWith("g") ? 30 : 0;
        final long bytes = Long.parseLong(m.group(1)) << shift;
        if (bytes < MIN_RING || bytes > MAX_RING) {
            throw new UsageException(name + " must be 16 bytes..1 GiB, not " + value);
        }
        return (int) bytes;
    }
}
