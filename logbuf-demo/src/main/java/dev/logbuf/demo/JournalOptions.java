package dev.logbuf.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The journal file's options, which the journal and {@code archive} share
 * (a picocli mixin): where the journal goes, and write failures to inject;
 * and how the journal file is opened from them.
 */
final class JournalOptions {

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "write the journal here and keep it (default: a temporary file, deleted afterwards)")
    Path out;

    @Option(names = "--fail-writes", paramLabel = "N[@M]", converter = FailingSink.PlanConverter.class,
            description = "make N journal writes in a row fail, from write M (default 1; retries count), each "
                    + "after writing half its bytes, as a disk that fills up and is cleared would: watch the "
                    + "journal hold every record, retry and verify")
    FailingSink.Plan failWrites;

    /**
     * The journal's path: {@code --out}, or a new temporary file, deleted
     * when the JVM exits (also on Ctrl-C) if {@link #discard} did not.
     *
     * @throws IOException if the temporary file cannot be created
     */
    Path file() throws IOException {
        if (out != null) {
            return out;
        }
        final Path file = Files.createTempFile("logbuf-journal-", ".lbj");
        file.toFile().deleteOnExit();
        return file;
    }

    /** {@code FILE}, or {@code FILE (deleted afterwards)} for a temporary one. */
    String describe(Path file) {
        return file + (out == null ? " (deleted afterwards)" : "");
    }

    /**
     * Deletes the journal if it is a temporary one.
     *
     * @throws IOException if that fails
     */
    void discard(Path file) throws IOException {
        if (out == null) {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A writer of the journal at {@code file}, behind a {@link FailingSink}
     * when {@code --fail-writes} asks for one: a fresh journal, or, with
     * {@code held}, one that goes on after the whole frames
     * {@link JournalVerifier#resume} found.
     *
     * @param held the journal's whole frames, or {@code null} to create (or truncate) it
     * @throws ParameterException if the file cannot be opened for writing
     */
    JournalWriter open(Path file, JournalVerifier.Totals held, CommandLine commandLine) {
        final JournalSink sink;
        try {
            sink = held == null ? JournalSink.create(file) : JournalSink.resume(file, held.fileBytes());
        } catch (IOException e) {
            throw new ParameterException(commandLine, "cannot write the journal: " + Units.describe(e));
        }
        final JournalSink journal = failWrites == null ? sink : new FailingSink(sink, failWrites);
        return held == null ? new JournalWriter(journal, JournalWriter.STAGE_BYTES)
                : new JournalWriter(journal, JournalWriter.STAGE_BYTES, held);
    }
}
