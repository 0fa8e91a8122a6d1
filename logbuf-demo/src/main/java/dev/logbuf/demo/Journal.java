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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code logbuf-journal}: runs the journal (see {@link JournalRun}) into a
 * file, verifies the file ({@link JournalVerifier}) and prints a summary;
 * {@code logbuf-journal verify FILE} checks an existing journal.
 *
 * <p>Two-process mode: {@code logbuf-journal --ring FILE} runs only the
 * producers, into a ring mapped from FILE ({@link RingProducers}), and
 * {@code logbuf-journal archive FILE} ({@link ArchiveCommand}), in another
 * process, journals and verifies what they send; {@code logbuf-journal ship
 * FILE} ({@link ShipCommand}) ships it to a Kafka topic instead, and
 * {@code logbuf-journal verify-topic} ({@link VerifyTopicCommand}) checks the
 * topic as {@code verify} checks a file.
 *
 * <p>Exit status: 0 verified, 1 the journal did not verify, 2 bad options,
 * 3 an I/O error or a failed run. Every failure is one line on stderr.
 */
@Command(name = "logbuf-journal",
        mixinStandardHelpOptions = true,
        versionProvider = Journal.Version.class,
        subcommands = {VerifyCommand.class, ArchiveCommand.class, ShipCommand.class, VerifyTopicCommand.class},
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
            "Two processes: with --ring FILE only the producers run, sending into a ring in FILE (a mapped file, "
                    + "created if absent) that `logbuf-journal archive FILE` journals and verifies in another "
                    + "process, or that `logbuf-journal ship FILE` ships to a Kafka topic (then `logbuf-journal "
                    + "verify-topic` checks the topic; both run from bin/logbuf-journal-kafka).",
            "",
            "With no options it runs for a few seconds and deletes its journal afterwards."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:VERIFIED; with --ring, every record sent",
            "1:the journal did not verify (the first mismatch is printed)",
            "2:bad options",
            "3:an I/O error or a failed run (such as writes that kept failing for longer than --retry-for, or, "
                    + "with --ring, no archiver while the ring was full for as long)"})
public final class Journal implements Callable<Integer> {

    static final int VERIFIED = 0;
    /** With {@code --ring}: every record sent (the archiver verifies). */
    static final int SENT = 0;
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

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1994",
            description = "seed of the record lengths (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"-c", "--capacity"}, paramLabel = "SIZE", defaultValue = "4MiB",
            converter = Units.SizeConverter.class,
            description = "ring capacity, rounded up to a power of two: 65536, 64k, 4MiB; with --ring, of a ring "
                    + "this process creates (default: ${DEFAULT-VALUE})")
    int capacity;

    @Option(names = "--ring", paramLabel = "FILE",
            description = "two-process mode: run only the producers, sending into the shared ring in FILE (created "
                    + "if absent) for `logbuf-journal archive FILE` to journal and verify in another process")
    Path ring;

    @Mixin
    JournalOptions journal;

    @Option(names = "--retry-for", paramLabel = "TIME", defaultValue = "30s",
            converter = Units.DurationConverter.class,
            description = "keep retrying a failing journal write this long before the run fails; 0 gives up at "
                    + "the first failure; with --ring, how long the producers wait for an archiver while the ring "
                    + "is full (default: ${DEFAULT-VALUE})")
    Duration retryFor;

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
        validate(records, duration);
        if (ring != null) {
            return produce(records, duration);
        }
        final MpscChannel channel = channel();
        final Path file = journal.file();
        final PrintWriter stdout = spec.commandLine().getOut();
        try {
            final JournalWriter writer = journal.open(file, null, spec.commandLine());
            stdout.printf("logbuf-journal: %d producers -> MPSC ring of %s -> %s%n", producers,
                    Units.size(channel.receiver().capacity()), journal.describe(file));
            final JournalRun.Settings settings = settings(records, duration);
            final Progress progress = progress(duration == null ? records : 0);
            final JournalRun.Result result;
            try (writer) {
                result = JournalRun.run(settings, channel, writer,
                        progress.monitor(spec.commandLine().getErr(), "logbuf-journal"));
            } finally {
                progress.clear();
            }
            return report(stdout, settings, result, file);
        } finally {
            journal.discard(file); // Ctrl-C skips this: the file is deleted on exit then
        }
    }

    /**
     * Two-process mode: the producers send into the shared ring in
     * {@code --ring FILE}, for {@code logbuf-journal archive FILE} to journal.
     */
    private int produce(long records, Duration duration) throws Exception {
        if (journal.out != null || journal.failWrites != null) {
            throw usage((journal.out != null ? "--out" : "--fail-writes") + " does not apply with --ring: the "
                    + "archiver writes the journal (logbuf-journal archive " + ring + " --out FILE)");
        }
        final SharedRing.Opened opened = SharedRing.open(ring, capacity, "--ring", spec.commandLine());
        checkMaxLength(opened.queue().maxRecordLength(), opened.queue().capacity());
        final int firstId = SharedRing.reserveIds(ring, producers);
        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("logbuf-journal: %d producers (ids %d..%d, pid %d) -> %s%n", producers, firstId,
                firstId + producers - 1, ProcessHandle.current().pid(), opened.describe());
        final JournalRun.Settings settings = settings(records, duration);
        final Progress progress = progress(0); // the producers' counts are theirs until they end
        final RingProducers.Result result;
        try {
            result = RingProducers.run(settings, opened.queue(), firstId,
                    progress.monitor(spec.commandLine().getErr(), "logbuf-journal"),
                    "logbuf-journal archive " + ring);
        } finally {
            progress.clear();
        }
        final JournalRun.Sent sent = result.sent();
        stdout.printf("  records     %s sent (payloads of %d..%d bytes, seed %d)%n", Units.count(sent.totalRecords()),
                minLength, maxLength, seed);
        stdout.printf("  bytes       %s payload%n", Units.count(sent.totalBytes()));
        Report.throughput(stdout, sent.totalRecords(), sent.totalBytes(), result.elapsedNanos());
        Report.ringFull(stdout, sent);
        for (int i = 0; i < producers; i++) {
            final long count = sent.records()[i];
            stdout.printf("  %-11s %s records, %s payload bytes, last sequence %s%n", "producer " + (firstId + i),
                    Units.count(count), Units.count(sent.bytes()[i]), count == 0 ? "none" : Units.count(count - 1));
        }
        stdout.printf("  ring        %s bytes not archived yet; `logbuf-journal archive %s` journals and verifies "
                + "them%n", Units.count(opened.queue().size()), ring);
        return SENT;
    }

    /** Checks the options against each other. */
    private void validate(long records, Duration duration) {
        if (producers < 1 || producers > RecordPattern.MAX_PRODUCERS) {
            throw usage("--producers must be 1.." + RecordPattern.MAX_PRODUCERS + ", not " + producers);
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
        if (minLength < RecordPattern.MIN_LENGTH) {
            throw usage("--min-length must be at least " + RecordPattern.MIN_LENGTH
                    + " (the record's producer and sequence tag), not " + minLength);
        }
        if (maxLength < minLength) {
            throw usage("--max-length " + maxLength + " is below --min-length " + minLength);
        }
    }

    /** The channel the options describe. */
    private MpscChannel channel() {
        final MpscChannel channel;
        try {
            channel = MpscChannel.create(capacity);
        } catch (IllegalArgumentException e) {
            throw usage("--capacity: " + e.getMessage());
        }
        checkMaxLength(channel.maxRecordLength(), channel.capacity());
        return channel;
    }

    private void checkMaxLength(int maxRecord, int ringCapacity) {
        if (maxLength > maxRecord) {
            throw usage("--max-length " + maxLength + " is above the ring's maxRecordLength() " + maxRecord
                    + " (capacity " + Units.size(ringCapacity) + ")");
        }
    }

    private JournalRun.Settings settings(long records, Duration duration) {
        return new JournalRun.Settings(producers, records, duration, minLength, maxLength, seed, retryFor);
    }

    private Progress progress(long target) {
        return new Progress(System.err, !noProgress && Progress.interactive(), target);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private int report(PrintWriter stdout, JournalRun.Settings settings, JournalRun.Result result, Path file)
            throws IOException {
        stdout.printf("  records     %s (payloads of %d..%d bytes, seed %d)%n", Units.count(result.frames()),
                settings.minLength(), settings.maxLength(), settings.seed());
        stdout.printf("  bytes       %s payload, %s in the file%n", Units.count(result.payloadBytes()),
                Units.count(Files.size(file)));
        Report.throughput(stdout, result.frames(), result.payloadBytes(), result.elapsedNanos());
        Report.ringFull(stdout, result.sent());
        final QueueStats queue = result.channel().queue();
        stdout.printf("  channel     %s committed, %s received; %s claims found the ring full (%s attempts refused), "
                + "%s aborted; %s dead claims recovered, %s stalls; receiver parked %s times, senders unparked it %s "
                + "times%n",
                Units.count(queue.committed()), Units.count(queue.consumed()), Units.count(queue.full()),
                Units.count(queue.refused()), Units.count(queue.aborted()), Units.count(queue.recovered()), Units.count(queue.stalls()),
                Units.count(result.channel().parks()), Units.count(result.channel().wakeups()));
        Report.faults(stdout, result.writes(), journal.failWrites);
        return Report.verify(stdout, file, result.sent().records(), result.sent().bytes(), settings.producers());
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
