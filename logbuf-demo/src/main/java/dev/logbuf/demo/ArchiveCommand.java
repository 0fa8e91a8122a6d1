package dev.logbuf.demo;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.QueueStats;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code logbuf-journal archive FILE}: the archiving process of the
 * two-process mode ({@link RingArchiver}). Takes the consumer role of the
 * ring in FILE, writes every record into a journal, stops when told to, then
 * verifies the journal as the in-process journal does.
 */
@Command(name = "archive",
        mixinStandardHelpOptions = true,
        versionProvider = Journal.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Journals what producers in other processes (logbuf-journal --ring FILE) send into the shared ring in "
                    + "FILE, then verifies the journal.",
            "",
            "Takes the ring's consumer role (creating the ring if FILE is absent) and writes every record into a "
                    + "journal, length, CRC32C, payload, as logbuf-journal does. Each read's records are written "
                    + "before the ring has them back, so an archiver that is killed loses nothing: the next one "
                    + "reads again what it had not written, and with --resume goes on with its journal, skipping "
                    + "what is there already. A write that fails is retried with the read still in the ring. "
                    + "Stops after --records, or once the ring has been empty with no producer attached for "
                    + "--until-idle; then verifies the journal: checksums, each producer's order, totals."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:VERIFIED",
            "1:the journal did not verify (the first mismatch is printed)",
            "2:bad options",
            "3:an I/O error or a failed run (the ring's consumer role is held by a live process, writes kept "
                    + "failing for longer than --retry-for, or the ring went idle before --records arrived)"})
final class ArchiveCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the ring file, as given to logbuf-journal --ring")
    Path ring;

    @Option(names = {"-n", "--records"}, paramLabel = "N",
            description = "stop once the journal holds N records (then the idle time applies only if given)")
    Long records;

    @Mixin
    RingDrainOptions drain;

    @Option(names = "--resume",
            description = "go on with the journal --out names if it exists without its trailer (an archiver was "
                    + "killed), skipping records it holds already")
    boolean resume;

    @Mixin
    JournalOptions journal;

    @Option(names = "--retry-for", paramLabel = "TIME", defaultValue = "30s",
            converter = Units.DurationConverter.class,
            description = "keep retrying a failing journal write this long before the archive fails; 0 gives up "
                    + "at the first failure (default: ${DEFAULT-VALUE})")
    Duration retryFor;

    @Option(names = "--no-progress", description = "no progress line on stderr (shown only on a terminal anyway)")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final RingArchiver.Settings settings = validate();
        final SharedRing.Opened opened = SharedRing.open(ring, drain.capacity, "FILE", spec.commandLine());
        final Path file = journal.file();
        final PrintWriter stdout = spec.commandLine().getOut();
        try {
            final JournalVerifier.Totals held = resume ? held(file) : null;
            final Consumer consumer;
            try {
                consumer = opened.queue().consumer();
            } catch (IllegalStateException e) {
                throw new JournalRun.RunFailedException("cannot archive " + ring + ": " + e.getMessage(), e);
            }
            final RingArchiver.Result result;
            try (consumer) { // gives the role back, also when the archive fails
                final JournalWriter writer = journal.open(file, held, spec.commandLine());
                stdout.printf("logbuf-journal archive: %s -> %s%s%n", opened.describe(), journal.describe(file),
                        held == null ? "" : ", going on after its " + Units.count(held.frames()) + " records");
                final Progress progress = new Progress(System.err, !noProgress && Progress.interactive(),
                        settings.records());
                try (writer) {
                    result = RingArchiver.run(consumer, writer, held, settings,
                            progress.monitor(spec.commandLine().getErr(), "logbuf-journal archive"));
                } finally {
                    progress.clear();
                }
            }
            final int status = report(stdout, settings, result, file);
            if (status == Journal.VERIFIED && result.stop() == RingArchiver.Stop.IDLE && settings.records() > 0) {
                throw new JournalRun.RunFailedException("only " + Units.count(result.frames()) + " of "
                        + Units.count(settings.records()) + " records arrived: the ring was empty, with no producer "
                        + "attached, for " + Units.seconds(Units.saturatedNanos(settings.untilIdle())), null);
            }
            return status;
        } finally {
            journal.discard(file);
        }
    }

    /** Checks the options against each other; returns what they say. */
    private RingArchiver.Settings validate() {
        if (records != null && records < 1) {
            throw usage("--records must be at least 1, not " + records);
        }
        if (retryFor.isNegative()) {
            throw usage("--retry-for must not be negative, not " + retryFor);
        }
        if (resume && journal.out == null) {
            throw usage("--resume needs the journal to go on with: --out FILE");
        }
        final Duration idle = drain.idle(records != null, spec.commandLine());
        return new RingArchiver.Settings(records == null ? 0 : records, idle, retryFor);
    }

    /**
     * What the journal at {@code file} holds, to go on with it; {@code null}
     * if it does not exist yet.
     */
    private JournalVerifier.Totals held(Path file) throws Exception {
        if (!Files.exists(file)) {
            return null;
        }
        final JournalVerifier.Totals held;
        try {
            held = JournalVerifier.resume(file);
        } catch (CorruptJournalException e) {
            throw usage("--resume: " + file + " cannot be resumed: " + e.getMessage());
        }
        if (held.complete()) {
            throw usage("--resume: " + file + " is complete (it ends with its trailer, after "
                    + Units.count(held.frames()) + " records): archive into a new journal");
        }
        return held;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private int report(PrintWriter stdout, RingArchiver.Settings settings, RingArchiver.Result result, Path file)
            throws Exception {
        stdout.printf("  records     %s from %d producers%s%n", Units.count(result.frames()), result.producers(),
                result.skipped() == 0 ? ""
                        : "; " + Units.count(result.skipped()) + " read again and skipped (the journal had them)");
        stdout.printf("  bytes       %s payload, %s in the file%n", Units.count(result.payloadBytes()),
                Units.count(Files.size(file)));
        Report.throughput(stdout, result.frames(), result.payloadBytes(), result.elapsedNanos());
        final QueueStats ring = result.ring();
        stdout.printf("  ring        %s records read; %s dead claims recovered, %s stalls; %s reads found it empty%n",
                Units.count(ring.consumed()), Units.count(ring.recovered()), Units.count(ring.stalls()),
                Units.count(result.emptyReads()));
        stdout.printf("  stopped     %s%n", result.stop() == RingArchiver.Stop.RECORDS
                ? "the journal holds the " + Units.count(settings.records()) + " records expected"
                : "the ring was empty, with no producer attached, for "
                        + Units.seconds(Units.saturatedNanos(settings.untilIdle())));
        Report.faults(stdout, result.writes(), journal.failWrites);
        return Report.verify(stdout, file, result.records(), result.bytes(), result.producers());
    }
}
