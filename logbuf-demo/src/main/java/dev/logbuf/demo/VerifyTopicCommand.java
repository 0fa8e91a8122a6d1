package dev.logbuf.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code logbuf-journal verify-topic --bootstrap-server HOST:PORT --topic T}:
 * reads a topic that {@code ship} filled back from its start and checks every
 * record as {@code verify FILE} checks a journal's frames
 * ({@link KafkaJournal#verifyTopic}). Runs from the class-path launcher
 * {@code bin/logbuf-journal-kafka}, as {@code ship} does.
 */
@Command(name = "verify-topic",
        mixinStandardHelpOptions = true,
        versionProvider = Journal.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Reads a Kafka topic that `logbuf-journal ship` filled, from its start to its end, with "
                    + "isolation.level=read_committed, and checks every record: its logbuf headers (ring id and "
                    + "ring position), each producer's sequence order with no gap and no repeat, and every "
                    + "payload's pattern; with --records, the total too. Prints VERIFIED, or the first mismatch "
                    + "naming the partition and offset.",
            "",
            "With --at-least-once, a record that comes again (a shipper killed mid-batch sent it twice) is "
                    + "checked and counted instead of refused; a gap is still an error.",
            "",
            "Needs the Kafka client: run it with bin/logbuf-journal-kafka, beside the image's bin/logbuf-journal."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:VERIFIED",
            "1:the topic did not verify (the first mismatch is printed)",
            "2:bad options",
            "3:Kafka cannot be reached, the topic does not exist, its end was not reached within --timeout, or "
                    + "the Kafka client is missing"})
final class VerifyTopicCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", required = true,
            description = "the Kafka cluster to read (bootstrap.servers: one or more, comma-separated)")
    String servers;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "the topic to verify")
    String topic;

    @Option(names = {"-n", "--records"}, paramLabel = "N",
            description = "the records the topic must hold, repeats not counted")
    Long records;

    @Option(names = "--at-least-once",
            description = "count a record that comes again instead of refusing it (what a shipper in at-least-once "
                    + "mode may leave after a crash)")
    boolean atLeastOnce;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "30s", converter = Units.DurationConverter.class,
            description = "how long Kafka may take to answer, and the whole read (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (records != null && records < 0) {
            throw new ParameterException(spec.commandLine(), "--records must not be negative, not " + records);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive, not " + timeout);
        }
        ShipCommand.requireKafkaClient("verify-topic");
        final long start = System.nanoTime();
        final KafkaJournal.Read read = KafkaJournal.verifyTopic(new KafkaJournal.Target(servers, topic, timeout),
                atLeastOnce);
        final ProducerOrder order = read.order();
        if (records != null && order.records() != records) {
            throw new CorruptJournalException("totals: the topic holds " + Units.count(order.records())
                    + " records, not the " + Units.count(records) + " expected");
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.printf("topic %s at %s: VERIFIED: %s records in %d partition%s, %s payload bytes, %d producers in order%s "
                + "(%s)%n", topic, servers, Units.count(order.records()), read.partitions(),
                read.partitions() == 1 ? "" : "s",
                Units.count(order.payloadBytes()), order.producers(),
                atLeastOnce ? ", " + Units.count(order.repeats()) + " repeated" : ", none repeated",
                Units.seconds(System.nanoTime() - start));
        return Journal.VERIFIED;
    }
}
