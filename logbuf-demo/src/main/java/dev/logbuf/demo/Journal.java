package dev.logbuf.demo;

import dev.logbuf.channel.MpscChannel;
import dev.logbuf.queue.QueueStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code logbuf-journal}: runs the journal (see {@link JournalRun}) into a
 * file, verifies the file ({@link JournalVerifier}) and prints a summary;
 * {@code logbuf-journal verify FILE} checks an existing journal.
 *
 * <p>Exit status: 0 verified, 1 the journal did not verify, 2 bad options,
 * 3 an I/O error or a failed run. Every failure is one line on stderr.
 */
@Command(name = "logbuf-journal",
        mixinStandardHelpOptions = true,
        versionProvider = Journal.Version.class,
        subcommands = VerifyCommand.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Producer threads send sequence-numbered records of random length through a logbuf MPSC channel "
                    + "to one receiver thread, which takes them in controlled reads, stages each one (length, "
                    + "CRC32C, payload) in a buffer of its own and writes them to a journal file, one write per "
                    + "read. The journal is then read back and every frame verified: checksum, each producer's "
                    + "order, and the totals the producers sent.",
            "",
            "When a write fails, nothing is lost: the receiver stops taking records (what it staged stays "
                    + "staged, the record in hand stays in the ring, the producers wait in send), prints one "
                    + "line on stderr, retries with a backoff (10 ms doubling to 1 s) and goes on once a write "
                    + "succeeds, rewriting any torn frame in place. If the writes fail for longer than "
                    + "--retry-for, the run fails (exit status 3) and says how many records were left "
                    + "unwritten. --fail-writes shows it with a disk that fails for a while.",
            "",
            "With no options it runs for a few seconds and deletes its journal afterwards."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:VERIFIED",
            "1:the journal did not verify (the first mismatch is printed)",
            "2:bad options",
            "3:an I/O error or a failed run (such as writes that kept failing for longer than --retry-for)"})
public final class Journal implements Callable<Integer> {

    static final int VERIFIED = 0;
    static final int NOT_VERIFIED = 1;
    static final int BAD_USAGE = 2;
    static final int FAILED = 3;

    static final long DEFAULT_RECORDS = 500_000;

    @Option(names = {"-p", "--producers"}, paramLabel = "N",
            description = "producer threads (default: one per processor, at least 2; here ${DEFAULT-VALUE})")
    int producers = Math.max(2, Runtime.getRuntime().availableProcessors());

    @ArgGroup(exclusive = true)
    Amount amount;

    /** How much to send: a record count or a duration, not both. */
    static final class Amount {
        @Option(names = {"-n", "--records"}, paramLabel = "N", required = true,
                description = "records to send, shared among the producers (default: " + DEFAULT_RECORDS + ")")
        long records;

        @Option(names = {"-d", "--duration"}, paramLabel = "TIME", required = true,
                converter = Units.DurationConverter.class,
                description = "send for this long instead (500ms, 3s, 2m)")
        Duration duration;
    }

    @Option(names = "--min-length", paramLabel = "BYTES", defaultValue = "8",
            description = "shortest record payload, at least 8 (default: ${DEFAULT-VALUE})")
    int minLength;

    @Option(names = "--max-length", paramLabel = "BYTES", defaultValue = "1024",
            description = "longest record payload, at most the ring's maxRecordLength() (default: ${DEFAULT-VALUE})")
    int maxLength;

    @Option(names = {"-c", "--capacity"}, paramLabel = "SIZE", defaultValue = "4MiB",
            converter = Units.SizeConverter.class,
            description = "ring capacity, rounded up to a power of two: 65536, 64k, 4MiB (default: ${DEFAULT-VALUE})")
    int capacity;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "write the journal here and keep it (default: a temporary file, deleted afterwards)")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1994",
            description = "seed of the record lengths (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--retry-for", paramLabel = "TIME", defaultValue = "30s",
            converter = Units.DurationConverter.class,
            description = "keep retrying a failing journal write this long before the run fails; 0 gives up at "
                    + "the first failure (default: ${DEFAULT-VALUE})")
    Duration retryFor;

    @Option(names = "--fail-writes", paramLabel = "N[@M]", converter = FailingSink.PlanConverter.class,
            description = "make N journal writes in a row fail, from write M (default 1; retries count), each "
                    + "after writing half its bytes, as a disk that fills up and is cleared would: watch the "
                    + "journal hold every record, retry and verify")
    FailingSink.Plan failWrites;

    @Option(names = "--no-progress", description = "no progress line on stderr (shown only on a terminal anyway)")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit status. */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        final CommandLine commandLine = new CommandLine(new Journal());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            final CommandLine failed = e.getCommandLine();
            final String name = failed.getCommandSpec().qualifiedName();
            failed.getErr().println(name + ": " + e.getMessage() + " (see " + name + " --help)");
            return BAD_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parsed) -> {
            final PrintWriter errors = failed.getErr();
            final String name = failed.getCommandSpec().qualifiedName();
            if (e instanceof CorruptJournalException) {
                errors.println(name + ": NOT VERIFIED: " + e.getMessage());
                return NOT_VERIFIED;
            }
            if (e instanceof JournalRun.RunFailedException) {
                errors.println(name + ": " + e.getMessage());
                return FAILED;
            }
            if (e instanceof IOException) {
                errors.println(name + ": " + Units.describe((IOException) e));
                return FAILED;
            }
            errors.println(name + ": failed: " + e);
            return FAILED;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        final long records = amount == null ? DEFAULT_RECORDS : amount.records;
        final Duration duration = amount == null ? null : amount.duration;
        final MpscChannel channel = validate(records, duration);
        final Path file = out != null ? out : Files.createTempFile("logbuf-journal-", ".lbj");
        if (out == null) {
            file.toFile().deleteOnExit(); // also on Ctrl-C, which skips the finally below
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter stderr = spec.commandLine().getErr();
        try {
            final JournalWriter journal = create(file);
            stdout.printf("logbuf-journal: %d producers -> MPSC ring of %s -> %s%s%n", producers,
                    Units.size(channel.receiver().capacity()), file, out == null ? " (deleted afterwards)" : "");
            final JournalRun.Settings settings = new JournalRun.Settings(producers, records, duration,
                    minLength, maxLength, seed, retryFor);
            final Progress progress = new Progress(System.err, !noProgress && Progress.interactive(),
                    duration == null ? records : 0);
            final JournalRun.Monitor monitor = new JournalRun.Monitor() {
                @Override
                public void update(long records, long payloadBytes, long elapsedNanos) {
                    progress.update(records, payloadBytes, elapsedNanos);
                }

                @Override
                public void writesFailing(String note) {
                    progress.clear(); // the line goes above the progress line, which is drawn again next time
                    stderr.println("logbuf-journal: " + note);
                }
            };
            final JournalRun.Result result;
            try (journal) {
                result = JournalRun.run(settings, channel, journal, monitor);
            } finally {
                progress.clear();
            }
            return report(stdout, settings, result, file);
        } finally {
            if (out == null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Checks the options against each other and the ring; returns the channel they describe. */
    private MpscChannel validate(long records, Duration duration) {
        if (producers < 1 || producers > Payload.MAX_PRODUCERS) {
            throw usage("--producers must be 1.." + Payload.MAX_PRODUCERS + ", not " + producers);
        }
        if (duration == null && records < 0) {
            throw usage("--records must not be negative, not " + records);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw usage("--duration must be positive, not " + duration);
        }
        if (retryFor.isNegative()) {
            throw usage("--retry-for must not be negative, not " + retryFor);
        }
        if (minLength < Payload.MIN_LENGTH) {
            throw usage("--min-length must be at least " + Payload.MIN_LENGTH
                    + " (the record's producer and sequence tag), not " + minLength);
        }
        if (maxLength < minLength) {
            throw usage("--max-length " + maxLength + " is below --min-length " + minLength);
        }
        final MpscChannel channel;
        try {
            channel = MpscChannel.create(capacity);
        } catch (IllegalArgumentException e) {
            throw usage("--capacity: " + e.getMessage());
        }
        final int maxRecord = channel.sender().maxRecordLength();
        if (maxLength > maxRecord) {
            throw usage("--max-length " + maxLength + " is above the ring's maxRecordLength() " + maxRecord
                    + " (capacity " + Units.size(channel.sender().capacity()) + ")");
        }
        return channel;
    }

    private JournalWriter create(Path file) {
        final JournalSink sink;
        try {
            sink = JournalSink.create(file);
        } catch (IOException e) {
            throw usage("cannot write the journal: " + Units.describe(e));
        }
        return new JournalWriter(failWrites == null ? sink : new FailingSink(sink, failWrites),
                JournalWriter.STAGE_BYTES);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private int report(PrintWriter stdout, JournalRun.Settings settings, JournalRun.Result result, Path file)
            throws IOException {
        final long elapsed = result.elapsedNanos();
        final long ringFull = result.ringFull();
        final long sent = result.totalRecords();
        stdout.printf("  records     %s (payloads of %d..%d bytes, seed %d)%n", Units.count(result.frames()),
                settings.minLength(), settings.maxLength(), settings.seed());
        stdout.printf("  bytes       %s payload, %s in the file%n", Units.count(result.payloadBytes()),
                Units.count(Files.size(file)));
        stdout.printf("  elapsed     %s%n", Units.seconds(elapsed));
        stdout.printf("  throughput  %s MB/s, %s records/s%n", Units.rate(result.payloadBytes() / 1e6, elapsed, 1),
                Units.rate(result.frames(), elapsed, 0));
        stdout.printf("  ring full   %s of %s sends found the ring full (%.2f%%) and waited %s in all, %s at most%n",
                Units.count(ringFull), Units.count(sent), sent == 0 ? 0.0 : ringFull * 100.0 / sent,
                Units.seconds(result.sendWaitNanos()), Units.seconds(result.longestSendWaitNanos()));
        final QueueStats queue = result.channel().queue();
        stdout.printf("  channel     %s committed, %s received; %s claim attempts refused (full), %s aborted; "
                + "%s dead claims recovered, %s stalls; receiver parked %s times, senders unparked it %s times%n",
                Units.count(queue.committed()), Units.count(queue.consumed()), Units.count(queue.full()),
                Units.count(queue.aborted()), Units.count(queue.recovered()), Units.count(queue.stalls()),
                Units.count(result.channel().parks()), Units.count(result.channel().wakeups()));
        final JournalRun.Writes writes = result.writes();
        if (writes.failed() > 0 || failWrites != null) {
            // "paused", not "stalls": the channel line's stalls are claims held by live producers
            stdout.printf("  faults      %s of %s writes failed%s; receiving paused %s %s, %s in all, %s %s; %s %s "
                    + "put back in the ring%n", Units.count(writes.failed()), Units.count(writes.attempts()),
                    failWrites == null ? "" : " (injected: " + failWrites
                            + (writes.attempts() < failWrites.from() ? ", never reached" : "") + ")",
                    Units.count(writes.stalls()), writes.stalls() == 1 ? "time" : "times",
                    Units.seconds(writes.stalledNanos()),
                    Units.count(writes.retries()), writes.retries() == 1 ? "retry" : "retries",
                    Units.count(writes.refused()), writes.refused() == 1 ? "record" : "records");
        }
        final long start = System.nanoTime();
        try {
            final JournalVerifier.Totals totals = JournalVerifier.verify(file, result.records(), result.bytes());
            stdout.printf("  verify      VERIFIED: %s frames, every checksum, %d producers in order, "
                    + "totals match (read back in %s)%n", Units.count(totals.frames()), settings.producers(),
                    Units.seconds(System.nanoTime() - start));
            return VERIFIED;
        } catch (CorruptJournalException e) {
            stdout.printf("  verify      NOT VERIFIED: %s%n", e.getMessage());
            return NOT_VERIFIED;
        }
    }

    /** The version recorded in the module descriptor (Maven's project version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = Journal.class.getModule().getDescriptor() == null ? "(class path)"
                    : Journal.class.getModule().getDescriptor().rawVersion().orElse("(unversioned)");
            return new String[] {"logbuf-journal " + version + " (dev.logbuf.demo) on Java "
                    + Runtime.version() + ", " + String.join(", ", Arrays.asList(
                            System.getProperty("java.vm.name"), System.getProperty("os.arch")))};
        }
    }
}
