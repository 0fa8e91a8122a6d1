package dev.logbuf.demo;

import dev.logbuf.kafka.Guarantee;
import dev.logbuf.kafka.KafkaShipper;
import dev.logbuf.kafka.RecordKey;
import dev.logbuf.kafka.ShipperException;
import dev.logbuf.kafka.ShipperStats;
import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.Payload;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The journal's Kafka side, the only class of the demo that uses the Kafka
 * client: {@code ship} drains the shared ring into a topic with
 * {@link KafkaShipper}, and {@code verify-topic} reads the topic back and
 * checks it with {@link ProducerOrder}, as {@code verify} checks a journal.
 *
 * <p>Nothing else loads it: the commands check first that the client is
 * there ({@link ShipCommand#requireKafkaClient}), since the jlink image runs
 * without it.
 */
final class KafkaJournal {

    /** Where the records go, and how long Kafka may take to answer. */
    record Target(String servers, String topic, Duration timeout) {
    }

    /**
     * What a {@code ship} did: the records and payload bytes shipped, those
     * found in the topic already and released unsent (exactly once), the
     * batches sent again, the time from the first record shipped to the last,
     * the last transient error ({@code null} for none), and whether it stopped
     * because the count was reached (rather than an idle ring).
     */
    record Shipped(long records, long bytes, long resumedPast, long retries, long elapsedNanos, String lastError,
                   boolean stoppedByCount) {
    }

    /** What {@code verify-topic} read: the records, checked, and the topic's partitions. */
    record Read(ProducerOrder order, int partitions) {
    }

    private KafkaJournal() {
    }

    /**
     * Takes the consumer role of the ring {@code opened} and ships its records
     * to {@code target}'s topic until {@code records} were shipped (0 for no
     * such bound), or until the ring has been empty, with no producer
     * attached, for {@code idle} ({@code null} for never).
     *
     * @throws JournalRun.RunFailedException if the role is held by a live
     *         process, or the shipper stops (Kafka unreachable, an unknown
     *         topic, a refusal): the records it did not ship stay in the ring
     */
    static Shipped ship(SharedRing.Opened opened, Target target, boolean exactlyOnce, long records, Duration idle,
                        PrintWriter out) throws JournalRun.RunFailedException {
        final Consumer consumer;
        try {
            consumer = opened.queue().consumer();
        } catch (IllegalStateException e) {
            throw new JournalRun.RunFailedException("cannot ship " + opened.file() + ": " + e.getMessage(), e);
        }
        try (consumer) { // gives the role back, also when shipping fails
            consumer.unblockAfter(SharedRing.UNBLOCK_AFTER); // steps over claims of producers that died
            final KafkaShipper shipper = KafkaShipper.builder(consumer)
                    .bootstrapServers(target.servers())
                    .topic(target.topic())
                    .guarantee(exactlyOnce ? Guarantee.EXACTLY_ONCE : Guarantee.AT_LEAST_ONCE)
                    .key(new ProducerKeys())
                    .timeout(target.timeout())
                    .build();
            try (shipper) {
                out.printf("logbuf-journal ship: %s -> topic %s at %s, %s%n", opened.describe(), target.topic(),
                        target.servers(), exactlyOnce ? "exactly once (transactional id "
                                + shipper.transactionalId() + ")" : "at least once");
                out.flush();
                return drain(consumer, shipper, records, idle);
            } catch (ShipperException e) {
                throw new JournalRun.RunFailedException(e.getMessage() + "; shipped "
                        + Units.count(shipper.stats().shipped()) + " records before it", e);
            }
        }
    }

    /** Ships until the count or the idle time says stop; see {@link #ship}. */
    private static Shipped drain(Consumer consumer, KafkaShipper shipper, long records, Duration idle) {
        final long idleNanos = idle == null ? Long.MAX_VALUE : Units.saturatedNanos(idle);
        final Backoff backoff = SharedRing.backoff();
        long firstAt = 0;
        long lastAt = 0;
        long nextLook = System.nanoTime();
        long idleSince = 0;
        boolean idling = false;
        boolean byCount = false;
        for (;;) {
            if (records > 0 && shipper.stats().shipped() >= records) {
                byCount = true;
                break;
            }
            final long before = System.nanoTime();
            if (shipper.shipOnce() != 0) {
                firstAt = firstAt == 0 ? before : firstAt;
                lastAt = System.nanoTime();
                idling = false;
                backoff.reset();
                continue;
            }
            if (before - nextLook >= 0) {
                nextLook = before + SharedRing.LOOK_NANOS;
                // idle: nothing left to ship (a batch that failed is still in the ring) and no producer attached
                if (shipper.stats().lagBytes() != 0 || !consumer.isDisconnected()) {
                    idling = false;
                } else if (!idling) {
                    idling = true;
                    idleSince = before;
                } else if (before - idleSince >= idleNanos) {
                    break;
                }
            }
            backoff.idle();
        }
        final ShipperStats stats = shipper.stats();
        return new Shipped(stats.shipped(), stats.shippedBytes(), stats.resumedPast(), stats.retries(),
                lastAt - firstAt, stats.lastError() == null ? null : String.valueOf(stats.lastError()), byCount);
    }

    /**
     * The key of a journal record: its producer id, two bytes, so each
     * producer's records go to one partition and keep their order. One
     * array per producer, made when it is first seen.
     */
    private static final class ProducerKeys implements RecordKey {
        private final byte[][] keys = new byte[RecordPattern.MAX_PRODUCERS][];

        @Override
        public byte[] of(Payload payload) {
            if (payload.length() < RecordPattern.MIN_LENGTH) {
                return null; // no tag: verify-topic names it
            }
            final int producer = RecordPattern.producer(payload.getLong(0));
            byte[] key = keys[producer];
            if (key == null) {
                key = new byte[] {(byte) (producer >>> 8), (byte) producer};
                keys[producer] = key;
            }
            return key;
        }
    }

    /**
     * Reads {@code target}'s topic from its start to the end it had when the
     * read began, {@code read_committed}, and checks every record: both
     * logbuf headers, ring positions rising within a partition (repeats
     * aside), and each producer's order and pattern ({@link ProducerOrder}).
     *
     * @param repeatsAllowed whether a record that comes again is counted
     *        rather than refused (at least once)
     * @throws CorruptJournalException at the first record that does not verify
     * @throws JournalRun.RunFailedException if Kafka cannot be reached, the
     *         topic does not exist, or the read goes {@code target.timeout()}
     *         without a record before it reaches the end
     */
    static Read verifyTopic(Target target, boolean repeatsAllowed)
            throws CorruptJournalException, JournalRun.RunFailedException, InterruptedException {
        final int partitions = partitions(target);
        final Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.servers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(target.timeout()),
                ConsumerConfig.CLIENT_ID_CONFIG, "logbuf-journal-verify-topic");
        final ProducerOrder order = new ProducerOrder(repeatsAllowed);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(target.topic(), p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            // read_committed: the end of what committed transactions hold (the last stable offset)
            final Map<TopicPartition, Long> end = consumer.endOffsets(all, target.timeout());
            final long[] lastRing = new long[partitions];
            final long[] lastPosition = new long[partitions];
            Arrays.fill(lastPosition, -1);
            long lastNews = System.nanoTime();
            while (!reached(consumer, end)) {
                final var polled = consumer.poll(Duration.ofMillis(200));
                if (polled.isEmpty()) {
                    if (System.nanoTime() - lastNews > target.timeout().toNanos()) {
                        throw new JournalRun.RunFailedException("topic " + target.topic() + " at " + target.servers()
                                + ": no record came for " + target.timeout() + " before its end (" + end
                                + "); read " + Units.count(order.records()) + " records", null);
                    }
                    continue;
                }
                lastNews = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : polled) {
                    final int p = record.partition();
                    final String where = "partition " + p + " offset " + record.offset();
                    final long ring;
                    final long position;
                    try {
                        ring = KafkaShipper.longHeader(record.headers(), KafkaShipper.RING_HEADER);
                        position = KafkaShipper.longHeader(record.headers(), KafkaShipper.POSITION_HEADER);
                    } catch (IllegalArgumentException e) {
                        throw new CorruptJournalException(where + ": not shipped from a logbuf ring: " + e.getMessage());
                    }
                    if (!repeatsAllowed && ring == lastRing[p] && position <= lastPosition[p]) {
                        throw new CorruptJournalException(where + ": ring position " + position
                                + " is not above the previous record's " + lastPosition[p] + " (shipped twice?)");
                    }
                    lastRing[p] = ring;
                    lastPosition[p] = position;
                    final byte[] value = record.value() == null ? new byte[0] : record.value();
                    order.check(ByteBuffer.wrap(value).order(JournalFormat.ORDER), 0, value.length, where);
                }
            }
        } catch (KafkaException e) {
            throw new JournalRun.RunFailedException("reading topic " + target.topic() + " at " + target.servers()
                    + " failed: " + e, e);
        }
        return new Read(order, partitions);
    }

    /** Whether the consumer's position reached {@code end} in every partition. */
    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The topic's partition count; a clear error if Kafka does not answer or does not have it. */
    private static int partitions(Target target) throws JournalRun.RunFailedException, InterruptedException {
        final Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.servers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(target.timeout()),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(target.timeout()));
        try (Admin admin = Admin.create(config)) {
            final TopicDescription described = admin.describeTopics(List.of(target.topic())).allTopicNames()
                    .get(target.timeout().toMillis(), TimeUnit.MILLISECONDS).get(target.topic());
            return described.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new JournalRun.RunFailedException("topic " + target.topic() + " does not exist at "
                        + target.servers(), e.getCause());
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(target, e.getCause());
            }
            throw new JournalRun.RunFailedException("Kafka at " + target.servers() + " could not describe topic "
                    + target.topic() + ": " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(target, e);
        }
    }

    private static JournalRun.RunFailedException unreachable(Target target, Throwable cause) {
        return new JournalRun.RunFailedException("no Kafka broker answered at " + target.servers() + " within "
                + target.timeout() + " (is the address right, and is the broker up?)", cause);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
