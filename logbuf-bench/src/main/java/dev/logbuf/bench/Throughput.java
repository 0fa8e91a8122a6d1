package dev.logbuf.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Cross-thread throughput, the original's method: producers write records as
 * fast as the queue takes them (spinning on full), one consumer drains and
 * verifies them (spinning on empty), through a 2 MiB ring.
 *
 * <p>Three JMH groups: {@code spsc} (1 producer, 1 consumer), {@code mpsc1}
 * and {@code mpsc2} (1 or 2 producers on the MPSC variant, 1 consumer).
 * {@code size} is {@code random} (uniform 8..1024 bytes from a fixed-seed
 * table) or {@code 64}. Object queues get as many messages as fit the ring's
 * bytes at the table's mean record size ({@link Payloads#elementsFor}): 4096
 * for random, 32768 for 64 bytes. {@code reader} is {@code verify} (the
 * consumer reads each record's stamp and last byte) or {@code crc32c} (it also
 * computes a CRC32C over every payload byte, as a journal does, so the ring's
 * own cost is measured next to real work on the consumer's side).
 *
 * <p><b>Read the {@code bytes} and {@code records} counters</b> (per second,
 * counted by the consumer after verification). The group's primary score
 * counts invocations of both sides and means nothing.
 *
 * <p>No invocation waits: a producer invocation makes one attempt (a full
 * queue returns at once, so the loop around it is the spin), and a consumer
 * invocation drains what is there (up to {@value #READ_LIMIT} records). A
 * producer descheduled between claim and commit (three busy threads on two
 * cores, in {@code mpsc2}) therefore cannot hang the end of an iteration:
 * whichever thread JMH stops first, the others finish their invocation and
 * stop too, and records left in the ring are drained in the next iteration
 * (every state lives for the whole trial, so sequences carry on).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public class Throughput {

    /** The most records one consumer invocation takes; Agrona's and logbuf's batch limit alike. */
    static final int READ_LIMIT = 256;

    /** The queue of one group, shared by its producers and its consumer. */
    @State(Scope.Group)
    public static class Ring {

        @Param({"logbuf", "agrona", "jctools", "abq", "channel"})
        public String subject;

        @Param({"random", "64"})
        public String size;

        /**
         * What the consumer does with each record: {@code verify} reads the
         * stamp and the last byte; {@code crc32c} also reads every other byte,
         * a CRC32C over the payload checked against the source's, as a journal
         * that checksums what it stores does.
         */
        @Param({"verify", "crc32c"})
        public String reader;

        Subject queue;
        int[] lengths;
        final AtomicInteger producerIds = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            Params.oneOf("Throughput", "subject", subject, Subjects.NAMES);
            Params.oneOf("Throughput", "reader", reader, "verify", "crc32c");
            lengths = Params.lengths("Throughput", "size", size, true);
            final boolean multiProducer = !params.getBenchmark().endsWith(".spsc");
            queue = Subjects.create(subject, multiProducer, Payloads.RING_BYTES,
                    Payloads.elementsFor(Payloads.RING_BYTES, lengths));
        }
    }

    /** One producing thread: walks the length table, one attempt per invocation. */
    @State(Scope.Thread)
    public static class Producing {
        private Subject.Sender sender;
        private int[] lengths;
        private int mask;
        private int id;
        private long sequence;

        @Setup(Level.Trial)
        public void setUp(Ring ring) {
            id = ring.producerIds.getAndIncrement();
            sender = ring.queue.sender(id);
            lengths = ring.lengths;
            mask = lengths.length - 1;
        }

        void offer() {
            final long sequence = this.sequence;
            if (sender.offer(Payloads.SOURCE, lengths[(int) sequence & mask], Payloads.stamp(id, sequence))) {
                this.sequence = sequence + 1;
            }
        }
    }

    /** The consuming thread, and the counters it reports per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Consuming {
        /** Payload bytes received and verified. */
        public long bytes;
        /** Records received and verified. */
        public long records;

        private Verifier verifier;
        private Subject.Receiver receiver;
        private long bytesBefore;

        @Setup(Level.Trial)
        public void setUp(Ring ring) {
            verifier = new Verifier(ring.lengths, switch (ring.reader) {
                case "verify" -> false;
                case "crc32c" -> true;
                default -> throw new IllegalArgumentException("unknown reader " + ring.reader + " (verify, crc32c)");
            });
            receiver = ring.queue.receiver(verifier);
        }

        @Setup(Level.Iteration)
        public void resetCounters() {
            bytes = 0;
            records = 0;
            bytesBefore = verifier.bytes;
        }

        void drain() {
            final int n = receiver.drain(READ_LIMIT);
            if (n != 0) {
                records += n;
                bytes = verifier.bytes - bytesBefore;
            }
        }
    }

    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public void spscProduce(Producing producer) {
        producer.offer();
    }

    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public void spscConsume(Consuming consumer) {
        consumer.drain();
    }

    @Benchmark
    @Group("mpsc1")
    @GroupThreads(1)
    public void mpsc1Produce(Producing producer) {
        producer.offer();
    }

    @Benchmark
    @Group("mpsc1")
    @GroupThreads(1)
    public void mpsc1Consume(Consuming consumer) {
        consumer.drain();
    }

    @Benchmark
    @Group("mpsc2")
    @GroupThreads(2)
    public void mpsc2Produce(Producing producer) {
        producer.offer();
    }

    @Benchmark
    @Group("mpsc2")
    @GroupThreads(1)
    public void mpsc2Consume(Consuming consumer) {
        consumer.drain();
    }
}
