package dev.logbuf.kafka.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One real single-node Kafka broker (KRaft, broker and controller combined)
 * for every test of this module, started inside the test JVM on first use
 * (about 5 s) with Kafka's own test kit, its logs under {@code target/}, and
 * stopped when the JVM exits. Single-node settings: the offsets and
 * transaction-state topics have replication factor 1 and min ISR 1; topics
 * are never created on first use, so an unknown topic stays unknown. An ACL
 * authorizer runs and allows whatever no ACL concerns (every client connects
 * over PLAINTEXT as {@code User:ANONYMOUS}, and the broker's own traffic has
 * no ACL), so a test can refuse rights on a topic of its own
 * ({@link #deniedTopic}). Public for the journal's Kafka IT (logbuf-demo),
 * which takes it from this module's {@code -tests} jar.
 */
public final class TestBroker {

    private static KafkaClusterTestKit cluster;

    private TestBroker() {
    }

    /** The broker's bootstrap servers, starting it on first use. */
    public static synchronized String servers() {
        if (cluster == null) {
            cluster = start();
        }
        return cluster.bootstrapServers();
    }

    private static KafkaClusterTestKit start() {
        try {
            final Path base = Path.of("target", "kafka-broker-" + UUID.randomUUID());
            Files.createDirectories(base);
            final TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setBaseDirectory(base.toAbsolutePath())
                    .build();
            final KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // ACLs: everything is allowed where no ACL says otherwise, so a test can refuse rights
                    .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .setConfigProp("allow.everyone.if.no.acl.found", "true")
                    .setDeleteOnClose(true)
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    kit.close();
                } catch (Exception e) {
                    // the JVM is exiting: the directory is under target/ and goes with the next clean
                }
            }, "stop-test-broker"));
            return kit;
        } catch (Exception e) {
            throw new AssertionError("the test broker did not start", e);
        }
    }

    /**
     * Stops the broker (the controller goes on), runs {@code whileDown}, then
     * starts the broker again on the same log directories and port, and waits
     * until it is ready.
     */
    public static synchronized void restart(ThrowingRunnable whileDown) throws Exception {
        servers();
        final kafka.server.BrokerServer broker = cluster.brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
        try {
            whileDown.run();
        } finally {
            broker.startup();
            cluster.waitForReadyBrokers();
        }
    }

    /** What runs while the broker is down. */
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Creates a topic of one partition, with the given topic settings; returns its name. */
    public static String newTopic(String prefix, Map<String, String> settings) {
        return newTopic(prefix, 1, settings);
    }

    /** Creates a topic of {@code partitions} partitions, with the given topic settings; returns its name. */
    public static String newTopic(String prefix, int partitions, Map<String, String> settings) {
        final String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(settings)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not create topic " + name, e);
        }
        return name;
    }

    public static String newTopic(String prefix) {
        return newTopic(prefix, Map.of());
    }

    /** The principal every client of the test broker is: PLAINTEXT, no authentication. */
    public static final String CLIENTS = "User:ANONYMOUS";

    /**
     * Creates a topic of one partition on which the clients ({@value #CLIENTS})
     * may do everything but {@code denied} ({@link #deny}), and returns its name.
     */
    public static String deniedTopic(String prefix, AclOperation denied) {
        final String name = newTopic(prefix);
        deny(name, denied);
        return name;
    }

    /**
     * From now on the clients ({@value #CLIENTS}) may do everything but
     * {@code denied} on topic {@code name}; returns once the broker enforces
     * that. The topic gets two ACLs, an ALLOW of ALL and a DENY of
     * {@code denied} (a DENY wins): a DENY alone would refuse every operation
     * on it, since the authorizer allows everyone only on resources that no
     * ACL concerns. Enforced means the broker says so to the clients: the
     * topic's authorized operations, as a describe reports them, lack
     * {@code denied} and include DESCRIBE ({@code DESCRIBE} denied: the
     * describe itself is refused).
     */
    public static void deny(String name, AclOperation denied) {
        final ResourcePattern topic = new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers()))) {
            admin.createAcls(List.of(
                    new AclBinding(topic, new AccessControlEntry(CLIENTS, "*", AclOperation.ALL,
                            AclPermissionType.ALLOW)),
                    new AclBinding(topic, new AccessControlEntry(CLIENTS, "*", denied, AclPermissionType.DENY))))
                    .all().get(30, TimeUnit.SECONDS);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Set<AclOperation> allowed = null;
            while (System.nanoTime() < deadline) {
                try {
                    allowed = admin.describeTopics(List.of(name),
                            new DescribeTopicsOptions().includeAuthorizedOperations(true))
                            .allTopicNames().get(30, TimeUnit.SECONDS).get(name).authorizedOperations();
                    if (allowed != null && !allowed.contains(denied) && allowed.contains(AclOperation.DESCRIBE)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicAuthorizationException)) {
                        throw e;
                    }
                    if (denied == AclOperation.DESCRIBE) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the broker still allows " + denied + " on topic " + name
                    + " 30 s after its ACL was created; authorized operations: " + allowed);
        } catch (Exception e) {
            throw new AssertionError("could not deny " + denied + " on topic " + name, e);
        }
    }

    /**
     * Reads the topic's one partition from the start with a
     * {@code read_committed} consumer until {@code expected} records came or
     * nothing more came for {@code quiet}; returns what it read.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, long expected, Duration quiet) {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        final List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long lastNews = System.nanoTime();
            while (read.size() < expected || expected < 0) {
                final var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    if (System.nanoTime() - lastNews > quiet.toNanos()) {
                        break;
                    }
                    continue;
                }
                lastNews = System.nanoTime();
                records.forEach(read::add);
            }
            if (expected >= 0 && read.size() >= expected) {
                // a short look for more: a duplicate behind the expected count would be missed otherwise
                final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                while (System.nanoTime() < until) {
                    consumer.poll(Duration.ofMillis(100)).forEach(read::add);
                }
            }
        }
        return read;
    }

    /** The sum of the end offsets of every partition of {@code topic}: records written, committed or not. */
    public static long endOffsets(String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers()))) {
            final int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            final Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long sum = 0;
            for (var offset : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values()) {
                sum += offset.offset();
            }
            return sum;
        } catch (Exception e) {
            throw new AssertionError("could not read the end offsets of " + topic, e);
        }
    }
}
