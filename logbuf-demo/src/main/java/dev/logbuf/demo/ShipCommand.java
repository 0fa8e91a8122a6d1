package dev.logbuf.demo;

import java.io.PrintWriter;
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
 * {@code logbuf-journal ship RING --bootstrap-server HOST:PORT --topic T}:
 * the two-process mode's other consumer. Takes the consumer role of the ring
 * in RING, as {@code archive} does, and ships every record to a Kafka topic
 * with logbuf's {@code KafkaShipper} ({@link KafkaJournal#ship}) instead of
 * writing a journal file. {@code verify-topic} then reads the topic back.
 *
 * <p>The Kafka client cannot be linked into the jlink image, so this command
 * runs from the class-path launcher beside it,
 * {@code bin/logbuf-journal-kafka}; the image's own launcher says so.
 */
@Command(name = "ship",
        mixinStandardHelpOptions = true,
        versionProvider = Journal.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Ships what producers in other processes (logbuf-journal --ring RING) send into the shared ring in "
                    + "RING to a Kafka topic, one Kafka record per ring record.",
            "",
            "Takes the ring's consumer role (creating the ring if RING is absent) and ships with logbuf's Kafka "
                    + "shipper: a record leaves the ring only once Kafka has it, so a shipper that is killed or a "
                    + "broker that is down loses nothing; the records wait in the ring, and the producers see it "
                    + "full. At least once by default (a shipper killed mid-batch sends that batch again); with "
                    + "--exactly-once each batch is a Kafka transaction that also records how far the ring was "
                    + "shipped, and a restarted shipper goes on from there. Each producer's records carry its id "
                    + "as their key, so they stay in one partition, in order. Stops after --records, or once the "
                    + "ring has been empty, with no producer attached, for --until-idle. `logbuf-journal "
                    + "verify-topic` checks the topic.",
            "",
            "Needs the Kafka client: run it with bin/logbuf-journal-kafka, beside the image's bin/logbuf-journal."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every record shipped until the stop",
            "2:bad options",
            "3:a failed run: the ring's consumer role is held by a live process, Kafka cannot be reached or "
                    + "refused the shipper (the message says why; the records not shipped stay in the ring), "
                    + "the ring went idle before --records were shipped, or the Kafka client is missing"})
final class ShipCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RING", description = "the ring file, as given to logbuf-journal --ring")
    Path ring;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", required = true,
            description = "the Kafka cluster to ship to (bootstrap.servers: one or more, comma-separated)")
    String servers;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true,
            description = "the topic to ship to; it must exist (the shipper does not create topics)")
    String topic;

    @Option(names = "--exactly-once",
            description = "exactly once, with Kafka transactions; consumers of the topic read with "
                    + "isolation.level=read_committed (default: at least once)")
    boolean exactlyOnce;

    @Option(names = {"-n", "--records"}, paramLabel = "N",
            description = "stop once N records were shipped (then the idle time applies only if given)")
    Long records;

    @Mixin
    RingDrainOptions drain;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "30s", converter = Units.DurationConverter.class,
            description = "how long Kafka may take to answer before the first connection fails, and a send before "
                    + "it is retried (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (records != null && records < 1) {
            throw usage("--records must be at least 1, not " + records);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw usage("--timeout must be positive, not " + timeout);
        }
        final Duration idle = drain.idle(records != null, spec.commandLine());
        requireKafkaClient("ship");
        final SharedRing.Opened opened = SharedRing.open(ring, drain.capacity, "RING", spec.commandLine());
        final PrintWriter stdout = spec.commandLine().getOut();
        final KafkaJournal.Shipped shipped = KafkaJournal.ship(opened, new KafkaJournal.Target(servers, topic, timeout),
                exactlyOnce, records == null ? 0 : records, idle, stdout);
        stdout.printf("  records     %s shipped, %s payload bytes%s%n", Units.count(shipped.records()),
                Units.count(shipped.bytes()), shipped.resumedPast() == 0 ? ""
                        : "; " + Units.count(shipped.resumedPast()) + " found in the topic already (an earlier "
                                + "shipper's last batch) and released without sending them again");
        Report.throughput(stdout, shipped.records(), shipped.bytes(), shipped.elapsedNanos());
        stdout.printf("  kafka       %s batches sent again after a transient failure%s%n",
                Units.count(shipped.retries()), shipped.lastError() == null ? ""
                        : "; last error: " + shipped.lastError());
        stdout.printf("  stopped     %s%n", shipped.stoppedByCount()
                ? Units.count(records) + " records shipped, as asked"
                : "the ring was empty, with no producer attached, for " + Units.seconds(Units.saturatedNanos(idle)));
        if (!shipped.stoppedByCount() && records != null) {
            throw new JournalRun.RunFailedException("only " + Units.count(shipped.records()) + " of "
                    + Units.count(records) + " records were shipped: the ring was empty, with no producer attached, "
                    + "for " + Units.seconds(Units.saturatedNanos(idle)), null);
        }
        return Journal.VERIFIED;
    }

    /**
     * Fails with a clear message when the Kafka client or logbuf-kafka is not
     * in this runtime, as in the jlink image. Loads nothing from either (the
     * classes that use them, {@link KafkaJournal}, are loaded only after this).
     *
     * @param command the command, for the message
     * @throws JournalRun.RunFailedException if either is missing
     */
    static void requireKafkaClient(String command) throws JournalRun.RunFailedException {
        final ClassLoader loader = ShipCommand.class.getClassLoader();
        for (String name : new String[] {"org.apache.kafka.clients.producer.KafkaProducer",
            "dev.logbuf.kafka.KafkaShipper"}) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new JournalRun.RunFailedException("this command needs the Kafka client and logbuf-kafka, which "
                        + "this runtime does not have (" + name + " is missing): the jlink image cannot link the "
                        + "Kafka client, which is no named module. Run bin/logbuf-journal-kafka " + command
                        + " instead, beside bin/logbuf-journal in the image", e);
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
