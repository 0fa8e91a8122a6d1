package dev.logbuf.bench;

import dev.logbuf.kafka.Guarantee;
import dev.logbuf.kafka.KafkaShipper;
import dev.logbuf.kafka.ShipperStats;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.WriteClaim;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the hot thread pays to get a record to Kafka (issue 22, item 5): one
 * subject, one record size, one offered rate per JVM, against a real
 * single-node broker started in this JVM ({@link BenchBroker}), one topic of
 * one partition per run.
 *
 * <ul>
 * <li>{@code subject=logbuf}: the hot thread claims, writes and commits the
 *     record into an {@link MpscQueue} (32 MiB by default) that a
 *     {@link KafkaShipper} (at least once) drains on its own thread;
 *     {@code logbuf-eos} the same with the shipper exactly once. While the
 *     ring is full the hot thread yields and tries again (counted,
 *     and inside the timed operation).</li>
 * <li>{@code subject=send}: the hot thread calls
 *     {@code KafkaProducer.send(new ProducerRecord<>(topic, bytes), callback)}
 *     with the shipper's client settings: {@code acks=all}, idempotent,
 *     {@code linger.ms=5}, {@code batch.size=256 KiB}, the default 32 MiB
 *     {@code buffer.memory} (send blocks while it is full).</li>
 * </ul>
 *
 * <p>The timed operation is claim, write, commit (respectively the
 * {@code send} call), {@code System.nanoTime()} on either side. With
 * {@code rate > 0} the hot thread follows a schedule of one record every
 * {@code 1/rate} s (while early it yields, or with {@code pace=spin} spins) and a second histogram holds the
 * response time from the record's intended start, so a stall also counts for
 * the records it delayed (coordinated omission corrected). With {@code rate=0}
 * it sends as fast as it can: saturation, where the acknowledged records per
 * second is the end-to-end throughput. The hot thread's allocation over the
 * measured window comes from {@code ThreadMXBean.getCurrentThreadAllocatedBytes}
 * ({@code B/op}); {@code jvmB/op} is every live thread's, broker included,
 * per record sent (JMH 1.37's {@code -prof gc} counts all threads too, so it
 * would not tell the hot thread's apart). {@code batch=N} sets the shipper's
 * records per batch (8192 by default).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.logbuf.bench.KafkaHotPath
 * subject=logbuf size=64 rate=100000 warmup=5 seconds=10}. One line starting
 * {@code RESULT} sums the run up.
 */
public final class KafkaHotPath {

    static final String[] SUBJECTS = {"logbuf", "logbuf-eos", "send"};

    private KafkaHotPath() {
    }

    /** Acknowledgements of the direct client's sends; written by its I/O thread only. */
    static final class Acks implements Callback {
        volatile long acked;
        volatile long failed;
        volatile Exception lastError;

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                acked++;
            } else {
                failed++;
                lastError = exception;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        final Map<String, String> opts = new HashMap<>();
        for (String arg : args) {
            final int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected name=value, got " + arg);
            }
            opts.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        final String subject = Params.oneOf("KafkaHotPath", "subject", opts.getOrDefault("subject", "logbuf"),
                SUBJECTS);
        final int size = Integer.parseInt(opts.getOrDefault("size", "64"));
        final long rate = Long.parseLong(opts.getOrDefault("rate", "0"));
        final long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(opts.getOrDefault("warmup", "5")));
        final long measureNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(opts.getOrDefault("seconds", "10")));
        final boolean spin = "spin".equals(Params.oneOf("KafkaHotPath", "pace", opts.getOrDefault("pace", "yield"),
                "spin", "yield"));
        final int batchRecords = Integer.parseInt(opts.getOrDefault("batch", "8192"));
        final int ringBytes = Integer.parseInt(opts.getOrDefault("ring", Integer.toString(32 << 20)));
        if (size < 8 || size > 1 << 20) {
            throw new IllegalArgumentException("size must be 8..1048576 bytes, got " + size);
        }

        final String servers = BenchBroker.servers();
        final String topic = BenchBroker.newTopic("hot-" + subject + "-" + size);
        final byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }

        final Hot hot;
        final Runnable stop;
        if (subject.startsWith("logbuf")) {
            final MpscQueue queue = MpscQueue.create(ringBytes);
            final KafkaShipper shipper = KafkaShipper.builder(queue.consumer())
                    .bootstrapServers(servers)
                    .topic(topic)
                    .guarantee(subject.equals("logbuf-eos") ? Guarantee.EXACTLY_ONCE : Guarantee.AT_LEAST_ONCE)
                    .timeout(Duration.ofSeconds(30))
                    .batchRecords(batchRecords)
                    .build();
            final Thread shipping = new Thread(shipper::run, "shipper");
            shipping.setDaemon(true);
            shipping.start();
            hot = new LogbufHot(queue.newProducer(), payload, shipper);
            stop = shipper::close;
        } else {
            final Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
            final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                    new ByteArraySerializer());
            producer.partitionsFor(topic); // connect and fetch metadata before the clock starts
            hot = new SendHot(producer, topic, payload);
            stop = () -> producer.close(Duration.ofSeconds(30));
        }

        final Histogram service = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
        final Histogram response = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        threads.getCurrentThreadAllocatedBytes(); // its first call may allocate: not in the window
        allThreadsAllocated(threads);
        final long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        long seq = 0;
        // warm-up: the same loop, nothing recorded
        long start = System.nanoTime();
        long intended = start;
        while (System.nanoTime() - start < warmupNanos) {
            if (interval > 0) {
                intended += interval;
                while (System.nanoTime() < intended) {
                    pause(spin);
                }
            }
            hot.send(seq++);
        }
        // measurement
        final long ackedBefore = hot.acked();
        final long fullBefore = hot.fullSpins();
        // every thread's first (it allocates arrays, and on first use more), the hot thread's own last
        final long jvmAllocatedBefore = allThreadsAllocated(threads);
        final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        final long sentBefore = seq;
        start = System.nanoTime();
        intended = start;
        final long end = start + measureNanos;
        long now = start;
        while (now < end) {
            if (interval > 0) {
                intended += interval;
                while ((now = System.nanoTime()) < intended) {
                    pause(spin);
                }
            } else {
                now = System.nanoTime();
                intended = now;
            }
            hot.send(seq++);
            final long done = System.nanoTime();
            service.recordValue(Math.min(done - now, service.getHighestTrackableValue()));
            response.recordValue(Math.min(done - intended, response.getHighestTrackableValue()));
            now = done;
        }
        final long window = now - start;
        final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        final long jvmAllocated = allThreadsAllocated(threads) - jvmAllocatedBefore;
        final long sent = seq - sentBefore;
        final long ackedInWindow = hot.acked() - ackedBefore;
        final long full = hot.fullSpins() - fullBefore;

        // let the rest reach the broker, for the check that everything sent was acknowledged
        final long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (hot.acked() < seq && System.nanoTime() < drainUntil && hot.error() == null) {
            Thread.sleep(10);
        }
        final long ackedTotal = hot.acked();
        final Object error = hot.error();
        stop.run();

        final double seconds = window / 1e9;
        final double ackedPerSec = ackedInWindow / seconds;
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "RESULT subject=%s size=%d rate=%s batch=%d jdk=%s sent/s=%.0f acked/s=%.0f MB/s=%.2f B/op=%.2f"
                        + " jvmB/op=%.0f full=%d svc_ns[p50=%d p99=%d p99.9=%d max=%d]",
                subject, size, rate == 0 ? "max" : rate + (spin ? "/spin" : ""), batchRecords,
                Runtime.version().feature(),
                sent / seconds, ackedPerSec, ackedPerSec * size / 1e6, (double) allocated / sent,
                (double) jvmAllocated / sent, full,
                service.getValueAtPercentile(50), service.getValueAtPercentile(99),
                service.getValueAtPercentile(99.9), service.getMaxValue()));
        if (rate > 0) {
            out.append(String.format(Locale.ROOT, " resp_ns[p50=%d p99=%d p99.9=%d max=%d]",
                    response.getValueAtPercentile(50), response.getValueAtPercentile(99),
                    response.getValueAtPercentile(99.9), response.getMaxValue()));
        }
        out.append(String.format(Locale.ROOT, " acked_all=%s", ackedTotal >= seq));
        if (error != null) {
            out.append(" error=").append(error);
        }
        System.out.println(out);
        System.out.flush();
        BenchBroker.stop(); // halt runs no shutdown hook: the broker's directory would stay behind
        Runtime.getRuntime().halt(ackedTotal >= seq && error == null ? 0 : 1);
    }

    /**
     * Bytes allocated so far by the JVM's live threads (the hot thread, the
     * shipper, the Kafka client's I/O thread, the broker's): what JMH's
     * {@code -prof gc} reports per operation, which is not the hot thread's.
     */
    private static long allThreadsAllocated(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(bytes, 0);
        }
        return sum;
    }

    private static void pause(boolean spin) {
        if (spin) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** The hot thread's one operation, per subject. */
    interface Hot {
        void send(long seq);

        long acked();

        long fullSpins();

        Object error();
    }

    static final class LogbufHot implements Hot {
        private final MpscProducer producer;
        private final byte[] payload;
        private final KafkaShipper shipper;
        private long full;

        LogbufHot(MpscProducer producer, byte[] payload, KafkaShipper shipper) {
            this.producer = producer;
            this.payload = payload;
            this.shipper = shipper;
        }

        @Override
        public void send(long seq) {
            WriteClaim claim;
            while ((claim = producer.tryClaim(payload.length)) == null) {
                full++;
                Thread.yield();
            }
            claim.put(payload).putLong(0, seq);
            claim.commit();
        }

        @Override
        public long acked() {
            return shipper.stats().shipped();
        }

        @Override
        public long fullSpins() {
            return full;
        }

        @Override
        public Object error() {
            final ShipperStats stats = shipper.stats();
            return stats.retries() > 0 ? stats.lastError() : null;
        }
    }

    static final class SendHot implements Hot {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final byte[] payload;
        private final Acks acks = new Acks();

        SendHot(KafkaProducer<byte[], byte[]> producer, String topic, byte[] payload) {
            this.producer = producer;
            this.topic = topic;
            this.payload = payload;
        }

        @Override
        public void send(long seq) {
            // send() serializes and copies the value into its batch before it returns: reusing the array is safe
            // (and spares the direct client the per-record array a real caller would allocate)
            putLong(payload, seq);
            producer.send(new ProducerRecord<>(topic, payload), acks);
        }

        private static void putLong(byte[] into, long value) {
            for (int i = 0; i < Long.BYTES; i++) {
                into[i] = (byte) (value >>> (8 * i));
            }
        }

        @Override
        public long acked() {
            return acks.acked;
        }

        @Override
        public long fullSpins() {
            return 0;
        }

        @Override
        public Object error() {
            return acks.failed > 0 ? acks.failed + " failed, last " + acks.lastError : null;
        }
    }
}
