package dev.logbuf.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real single-node Kafka broker (KRaft, broker and controller combined)
 * inside the benchmark JVM, started with Kafka's own test kit as
 * logbuf-kafka's tests do: internal topics with replication factor 1 and
 * min ISR 1, no topic auto-creation, its logs in a temporary directory
 * (or under {@code -Dbench.kafka.dir}) deleted when the JVM exits.
 */
final class BenchBroker {

    private static KafkaClusterTestKit cluster;
    private static Path base;

    private BenchBroker() {
    }

    /** The broker's bootstrap servers, starting it on first use. */
    static synchronized String servers() {
        if (cluster == null) {
            cluster = start();
        }
        return cluster.bootstrapServers();
    }

    private static KafkaClusterTestKit start() {
        try {
            final String dir = System.getProperty("bench.kafka.dir");
            base = dir == null
                    ? Files.createTempDirectory("logbuf-bench-kafka-")
                    : Files.createDirectories(Path.of(dir, "broker-" + UUID.randomUUID()));
            final TestKitNodes.Builder builder = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(base.toAbsolutePath());
            // as the tests: the latest production metadata version. MetadataVersion is in kafka-server-common,
            // a runtime-only dependency of the test kit, so it is reached reflectively (no version to pin here)
            final Class<?> metadataVersion = Class.forName("org.apache.kafka.server.common.MetadataVersion");
            TestKitNodes.Builder.class.getMethod("setBootstrapMetadataVersion", metadataVersion)
                    .invoke(builder, metadataVersion.getMethod("latestProduction").invoke(null));
            final TestKitNodes nodes = builder.build();
            final KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setDeleteOnClose(true)
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(BenchBroker::stop, "stop-bench-broker"));
            return kit;
        } catch (Exception e) {
            throw new IllegalStateException("the benchmark's Kafka broker did not start", e);
        }
    }

    /**
     * Stops the broker and deletes its directory (hundreds of MB after a
     * saturation run), also when closing failed. Runs from the shutdown hook;
     * a caller that ends the JVM with {@code Runtime.halt}, which runs no
     * hooks, calls it first.
     */
    static synchronized void stop() {
        final KafkaClusterTestKit kit = cluster;
        cluster = null;
        if (kit == null) {
            return;
        }
        try {
            kit.close();
        } catch (Exception e) {
            // deleted below all the same
        }
        if (!Files.exists(base)) {
            return; // the test kit deleted it on close
        }
        try (var paths = Files.walk(base)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("could not delete the broker's directory " + base + ": " + e);
        }
    }

    /** Creates a topic of one partition; returns its name. */
    static String newTopic(String prefix) {
        final String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
        return name;
    }
}
