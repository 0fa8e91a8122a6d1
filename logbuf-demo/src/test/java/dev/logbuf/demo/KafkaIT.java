package dev.logbuf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logbuf.kafka.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The journal's Kafka side as it ships, against a real single-node Kafka
 * broker started in this JVM (logbuf-kafka's {@link TestBroker}): producers
 * in one process of the image ({@code logbuf-journal --ring FILE}), the
 * shipper in another ({@code bin/logbuf-journal-kafka ship FILE}), then
 * {@code verify-topic} reading the topic back, in a third. At least once,
 * and exactly once with the shipper killed with SIGKILL part-way and
 * restarted. verify-topic must refuse a topic with a record shipped twice or
 * a record that no shipper wrote. The image's own launcher, which has no
 * Kafka client, must say where ship runs.
 */
@Timeout(180)
class KafkaIT {

    private static final int RECORDS = 40_000;

    private final Path image = Launch.property("logbuf.image");
    private final Path work = Launch.property("logbuf.it.work").resolve("kafka");

    @BeforeEach
    void clean() throws Exception {
        Launch.emptyDirectory(work);
    }

    /** The producers, into ring.lbr: the journal's module in the image's java. */
    private List<String> producers(String... args) {
        final List<String> command = Launch.imageJournal(image, "--ring", "ring.lbr");
        command.addAll(List.of(args));
        return command;
    }

    /** The class-path launcher, which execs its JVM: a SIGKILL reaches the JVM itself. */
    private List<String> kafka(String... args) {
        final List<String> command = new ArrayList<>(List.of(image.resolve("bin").resolve("logbuf-journal-kafka")
                .toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts a shipper and waits until it holds the ring (its first line is out), so it creates the ring, of
     * {@code capacity}.
     */
    private Launch.Running shipper(String topic, String capacity, String... more) throws Exception {
        final List<String> args = new ArrayList<>(List.of("ship", "ring.lbr", "--bootstrap-server",
                TestBroker.servers(), "--topic", topic, "--capacity", capacity));
        args.addAll(List.of(more));
        final Launch.Running shipper = Launch.start(work, kafka(args.toArray(String[]::new)));
        Launch.await(shipper, "holding the ring", 60,
                () -> shipper.outSoFar().startsWith("logbuf-journal ship: "));
        return shipper;
    }

    private Launch.Outcome verifyTopic(String topic, String... more) throws Exception {
        final List<String> args = new ArrayList<>(List.of("verify-topic", "--bootstrap-server", TestBroker.servers(),
                "--topic", topic));
        args.addAll(List.of(more));
        return Launch.run(work, kafka(args.toArray(String[]::new)));
    }

    @Test
    void shipsWhatProducersInAnotherProcessSendAndVerifyTopicFindsEachRecordOnceAndRefusesARepeat()
            throws Exception {
        final String topic = TestBroker.newTopic("journal-at-least-once", 2, Map.of());
        final Launch.Running shipping = shipper(topic, "64k", "--records", String.valueOf(RECORDS));
        final Launch.Outcome sent = Launch.succeed(work, producers("--records", String.valueOf(RECORDS),
                "--producers", "2"));
        final Launch.Outcome shipped = Launch.finish(shipping);
        assertEquals(0, shipped.exit(), shipped::toString);
        assertEquals("", sent.err() + shipped.err(), () -> sent + "\n" + shipped);
        assertTrue(shipped.out().startsWith("logbuf-journal ship: shared MPSC ring of 64 KiB in ring.lbr (created) "
                + "-> topic " + topic + " at " + TestBroker.servers() + ", at least once\n"), shipped::toString);
        assertTrue(shipped.out().contains("  records     40,000 shipped, "), shipped::toString);
        assertTrue(shipped.out().contains("  stopped     40,000 records shipped, as asked"), shipped::toString);

        final Launch.Outcome verified = verifyTopic(topic, "--records", String.valueOf(RECORDS));
        assertEquals(0, verified.exit(), verified::toString);
        assertTrue(verified.out().startsWith("topic " + topic + " at " + TestBroker.servers() + ": VERIFIED: 40,000 "
                + "records in 2 partitions, " + payloadBytes(sent) + " payload bytes, 2 producers in order, none "
                + "repeated"), verified::toString);
        print("at least once", sent, shipped, verified);
        final Launch.Outcome fewer = verifyTopic(topic, "--records", String.valueOf(RECORDS - 1));
        assertEquals(1, fewer.exit(), fewer::toString);
        assertTrue(fewer.err().contains("NOT VERIFIED: totals: the topic holds 40,000 records, not the 39,999 "
                + "expected"), fewer::toString);

        // one record shipped twice: refused by default, counted with --at-least-once
        final ConsumerRecord<byte[], byte[]> first = TestBroker.readCommitted(topic, 1, Duration.ofSeconds(10)).get(0);
        append(topic, new ProducerRecord<>(topic, first.partition(), first.key(), first.value(), first.headers()));
        final Launch.Outcome twice = verifyTopic(topic);
        assertEquals(1, twice.exit(), twice::toString);
        assertTrue(twice.err().contains("NOT VERIFIED: partition " + first.partition() + " offset "), twice::toString);
        assertTrue(twice.err().contains("(shipped twice?)"), twice::toString);
        final Launch.Outcome counted = verifyTopic(topic, "--at-least-once", "--records", String.valueOf(RECORDS));
        assertEquals(0, counted.exit(), counted::toString);
        assertTrue(counted.out().contains(": VERIFIED: 40,000 records in 2 partitions, "), counted::toString);
        assertTrue(counted.out().contains("2 producers in order, 1 repeated"), counted::toString);

        // a record no shipper wrote (no logbuf headers)
        append(topic, new ProducerRecord<>(topic, 0, null, new byte[16]));
        final Launch.Outcome foreign = verifyTopic(topic, "--at-least-once");
        assertEquals(1, foreign.exit(), foreign::toString);
        assertTrue(foreign.err().contains(": not shipped from a logbuf ring: no 8-byte header logbuf.ring"),
                foreign::toString);
    }

    @Test
    void exactlyOnceShipperKilledPartWayIsRestartedAndTheTopicHoldsEveryRecordOnce() throws Exception {
        final String topic = TestBroker.newTopic("journal-exactly-once", 2, Map.of());
        // a transaction per batch: a ring that holds whole batches of 8192 records keeps them few
        final Launch.Running killed = shipper(topic, "1MiB", "--exactly-once");
        // producers that send for a while, so the shipper is killed while there is more to ship
        final Launch.Running producing = Launch.start(work, producers("--duration", "5s", "--producers", "2",
                "--max-length", "200"));
        // SIGKILL once a first transaction is committed
        Launch.await(killed, "a batch committed", 90,
                () -> !TestBroker.readCommitted(topic, 1, Duration.ofMillis(100)).isEmpty());
        final boolean stillSending = producing.process().isAlive();
        Launch.kill(killed);

        final Launch.Outcome restarted = Launch.run(work, kafka("ship", "ring.lbr", "--bootstrap-server",
                TestBroker.servers(), "--topic", topic, "--exactly-once", "--until-idle", "2s"));
        final Launch.Outcome sent = Launch.finish(producing);
        assertEquals(0, sent.exit(), sent::toString);
        assertEquals(0, restarted.exit(), restarted::toString);
        final Matcher total = Pattern.compile("  records     ([\\d,]+) sent ").matcher(sent.out());
        assertTrue(total.find(), sent::toString);
        final long records = Long.parseLong(total.group(1).replace(",", ""));
        assertTrue(restarted.out().startsWith("logbuf-journal ship: shared MPSC ring of 1 MiB in ring.lbr "
                + "(attached) -> topic " + topic + " at " + TestBroker.servers() + ", exactly once (transactional id "
                + "logbuf-"), restarted::toString);
        final Matcher shipped = Pattern.compile("  records     ([\\d,]+) shipped, ").matcher(restarted.out());
        assertTrue(shipped.find(), restarted::toString);
        final long second = Long.parseLong(shipped.group(1).replace(",", ""));
        assertTrue(second < records, () -> "the restarted shipper went on past the committed batches: " + restarted);
        if (stillSending) { // (on a machine so slow that the producers were done, the first may have shipped all)
            assertTrue(second > 0, () -> "the producers sent on after the kill: " + restarted);
        }

        final Launch.Outcome verified = verifyTopic(topic, "--records", String.valueOf(records));
        assertEquals(0, verified.exit(), verified::toString);
        assertTrue(verified.out().contains(": VERIFIED: " + total.group(1) + " records in 2 partitions, "
                + payloadBytes(sent) + " payload bytes, 2 producers in order, none repeated"), verified::toString);
        print("exactly once, the shipper killed and restarted", sent, restarted, verified);
    }

    @Test
    void theImagesOwnLauncherSaysShipRunsFromTheClassPathLauncher() throws Exception {
        final Launch.Outcome outcome = Launch.run(work, List.of(image.resolve("bin").resolve("logbuf-journal")
                .toString(), "ship", "ring.lbr", "--bootstrap-server", "localhost:9", "--topic", "t"));
        assertEquals(3, outcome.exit(), outcome::toString);
        assertEquals("logbuf-journal ship: this command needs the Kafka client and logbuf-kafka, which this runtime "
                + "does not have (org.apache.kafka.clients.producer.KafkaProducer is missing): the jlink image cannot "
                + "link the Kafka client, which is no named module. Run bin/logbuf-journal-kafka ship instead, "
                + "beside bin/logbuf-journal in the image\n", outcome.err(), outcome::toString);
        assertTrue(Files.notExists(work.resolve("ring.lbr")), "nothing was created before the check");
    }

    private static void append(String topic, ProducerRecord<byte[], byte[]> record) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestBroker.servers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record).get();
        }
    }

    /** The payload bytes the producing process says it sent. */
    private static String payloadBytes(Launch.Outcome sent) {
        final Matcher m = Pattern.compile("  bytes       ([\\d,]+) payload").matcher(sent.out());
        assertTrue(m.find(), sent::toString);
        return m.group(1);
    }

    private static void print(String what, Launch.Outcome... outcomes) {
        System.out.println("--- " + what);
        for (Launch.Outcome outcome : outcomes) {
            System.out.print(outcome.out());
        }
    }
}
