package dev.logbuf.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logbuf-journal verify FILE}: checks an existing journal on its own evidence. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = Journal.Version.class,
        description = {
            "Reads a journal and checks every frame: the checksum, each producer's sequence order, "
                    + "every payload's pattern, and the trailer's totals. Prints VERIFIED, or the first "
                    + "mismatch naming the frame and its byte offset."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:VERIFIED",
            "1:the journal did not verify",
            "2:bad options",
            "3:the file cannot be read"})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the journal to check")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final long start = System.nanoTime();
        final JournalVerifier.Totals totals = JournalVerifier.verify(file);
        final PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: VERIFIED: %s frames, %s payload bytes, %d producers in order, totals match (%s)%n",
                file, Units.count(totals.frames()), Units.count(totals.payloadBytes()), totals.producers(),
                Units.seconds(System.nanoTime() - start));
        return Journal.VERIFIED;
    }
}
