package dev.logbuf.kafka;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.Receiver;
import dev.logbuf.queue.Backoff;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.Payload;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.RecordHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Drains a logbuf {@link Consumer} into one Kafka topic: one Kafka record
 * per logbuf record, the value its payload, with two headers,
 * {@value #RING_HEADER} (the ring's id, {@link Consumer#ringId()}) and
 * {@value #POSITION_HEADER} (the record's ring position), each an 8-byte
 * big-endian long, and an optional key computed from the payload.
 *
 * <pre>{@code
 * MpscQueue queue = MpscQueue.createFile(Path.of("/dev/shm/orders.ring"), 1 << 30);
 * try (KafkaShipper shipper = KafkaShipper.builder(queue.consumer())
 *         .bootstrapServers("kafka-1:9092")
 *         .topic("orders")
 *         .guarantee(Guarantee.EXACTLY_ONCE)
 *         .build()) {
 *     shipper.run();                               // until close(), from another thread
 * }
 * }</pre>
 *
 * <p><b>The ring is the only buffer.</b> The shipper {@linkplain Consumer#hold
 * holds} a batch of records, sends it, and releases it from the ring only once
 * Kafka has acknowledged every record of it ({@link Guarantee#AT_LEAST_ONCE})
 * or committed the transaction holding it ({@link Guarantee#EXACTLY_ONCE}).
 * While the broker is unreachable or slow, records wait in the ring and
 * nowhere else: the client's own buffer holds at most two batches (at least
 * once, {@link #run()} sends the next batch while Kafka acknowledges the last,
 * and releases them in ring order; otherwise one), and the
 * producers of the ring see it full and choose at their send site. The
 * shipper retries a batch that failed for a transient reason (an outage, a
 * timeout) after a backoff that doubles from the minimum to the maximum
 * configured, for as long as it runs, and counts the retries.
 *
 * <p><b>Errors.</b> Before it ships anything the shipper checks, within
 * {@link Builder#timeout(Duration)}, that a broker answers and that the
 * topic exists; either failure is a {@link ShipperException} that names the
 * servers or the topic. Once it has connected, a broker that stops
 * answering is an outage: the shipper reconnects with the backoff, however
 * long it takes. A record Kafka refuses for itself (larger than the
 * topic accepts) stops the shipper with a {@code ShipperException} naming its
 * ring position, or is stepped over and counted ({@link BadRecords}). A
 * refused authorisation, and fencing by another shipper of the same ring,
 * stop it too. Whatever stops it, the records it did not ship are still in
 * the ring.
 *
 * <p><b>Exactly once.</b> Each batch is a Kafka transaction holding its
 * records and, as the committed offset of the consumer group
 * {@code logbuf-shipper-<ring id in hex>} on partition 0 of the topic, the
 * ring position the batch ends at. When it starts, the shipper initialises
 * its transactional id ({@code logbuf-<ring id in hex>} unless set), which
 * aborts what an earlier incarnation left open and fences it, then reads that
 * position and releases the records before it without sending them: a
 * shipper that crashed after Kafka committed a batch and before it released
 * it from the ring does not ship it twice. Consumers of the topic read with
 * {@code isolation.level=read_committed}.
 *
 * <p>Threading: {@link #run()} and {@link #shipOnce()} are called by one
 * thread at a time, the one that uses the consumer; {@link #stats()} and
 * {@link #close()} by any thread. The shipper allocates on its own thread
 * (the Kafka client copies each record); the ring's producers pay nothing
 * for it.
 */
public final class KafkaShipper implements AutoCloseable {

    /** The header holding the ring's id, an 8-byte big-endian long. */
    public static final String RING_HEADER = "logbuf.ring";

    /** The header holding the record's ring position, an 8-byte big-endian long. */
    public static final String POSITION_HEADER = "logbuf.position";

    /** Client settings the guarantee decides, which {@link Builder#clientConfig} refuses. */
    private static final Set<String> DECIDED = Set.of(ProducerConfig.ACKS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);

    private final Source source;
    private final String topic;
    private final String servers;
    private final Guarantee guarantee;
    private final RecordKey key;
    private final BadRecords badRecords;
    private final int batchRecords;
    private final Duration timeout;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    private final Map<String, Object> clientConfig;
    private final String transactionalId;
    private final String groupId;
    private final TopicPartition positionPartition;

    /**
     * At least once, in {@link #run()}: the batches sent and not yet released, oldest first, at most
     * {@value #PIPELINE}; each is released once Kafka has answered for every record of it.
     */
    static final int PIPELINE = 2;

    /** The batch being sent, or (in failed()) the one that failed; reused unless pipelined. */
    private Batch batch = new Batch();
    private final ArrayDeque<Batch> pipeline = new ArrayDeque<>(PIPELINE);
    private final Backoff idle = Backoff.progressive(64, 16, Duration.ofMillis(1), Duration.ofMillis(20));

    /** Created by the first batch; owned by the shipping thread. */
    private KafkaProducer<byte[], byte[]> producer;
    /** Exactly once: positions below this were committed to the topic by an earlier shipper. */
    private long resumeFrom = -1;
    /** Whether a first connection succeeded: later failures to connect are outages, retried. */
    private boolean connected;
    /** A record refused for itself, stepped over when its batch is sent again (SKIP). */
    private long skipPosition = -1;
    private long backoffNanos;

    private volatile boolean stopping;
    private volatile boolean closed;
    /** Counted down when run() returns, so close() can wait for it. */
    private final CountDownLatch ran = new CountDownLatch(1);
    private volatile boolean running;

    // counters: written by the shipping thread only, read by stats() from any thread
    private volatile long shipped;
    private volatile long shippedBytes;
    private volatile long retries;
    private volatile long skipped;
    private volatile long resumedPast;
    private volatile int inFlight;
    private volatile Throwable lastError;

    private KafkaShipper(Builder builder) {
        this.source = builder.source;
        this.topic = builder.topic;
        this.servers = builder.servers;
        this.guarantee = builder.guarantee;
        this.key = builder.key;
        this.badRecords = builder.badRecords;
        this.batchRecords = builder.batchRecords;
        this.timeout = builder.timeout;
        this.minBackoffNanos = builder.minBackoff.toNanos();
        this.maxBackoffNanos = builder.maxBackoff.toNanos();
        this.clientConfig = Map.copyOf(builder.clientConfig);
        final String ring = Long.toHexString(source.ringId());
        this.transactionalId = builder.transactionalId != null ? builder.transactionalId : "logbuf-" + ring;
        this.groupId = "logbuf-shipper-" + ring;
        this.positionPartition = new TopicPartition(topic, 0);
        this.backoffNanos = minBackoffNanos;
    }

    /**
     * Starts building a shipper of {@code source}'s records.
     *
     * @param source the consumer to drain: an in-process queue's, or a ring
     *        shared between processes (whose consumer role this process then
     *        holds); the shipper becomes the only user of it
     * @return a builder
     */
    public static Builder builder(Consumer source) {
        return new Builder(new ConsumerSource(Objects.requireNonNull(source, "source")));
    }

    /**
     * Starts building a shipper of a channel's records. {@link #run()} then
     * parks in the receiver while the channel is idle (woken by the senders'
     * commits) instead of polling, and returns once every sender has closed
     * and every record has been shipped.
     *
     * @param source the channel's receiver; the shipper becomes the only user of it
     * @return a builder
     */
    public static Builder builder(Receiver source) {
        return new Builder(new ReceiverSource(Objects.requireNonNull(source, "source")));
    }

    /** What the shipper drains: a queue's consumer or a channel's receiver, seen the same way. */
    private interface Source {
        /** Hands out and holds up to {@code limit} records; may wait a little when {@code wait}. */
        int hold(RecordHandler handler, int limit, boolean wait);

        void releaseHeld();

        /** Releases the oldest {@code records} held. */
        void releaseHeld(int records);

        void rewindHeld();

        long ringId();

        QueueStats stats();

        /** Whether {@link #hold} with {@code wait} parks by itself while there is nothing to hold. */
        boolean waits();
    }

    private static final class ConsumerSource implements Source {
        private final Consumer consumer;

        ConsumerSource(Consumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public int hold(RecordHandler handler, int limit, boolean wait) {
            return consumer.hold(handler, limit);
        }

        @Override
        public void releaseHeld() {
            consumer.releaseHeld();
        }

        @Override
        public void releaseHeld(int records) {
            consumer.releaseHeld(records);
        }

        @Override
        public void rewindHeld() {
            consumer.rewindHeld();
        }

        @Override
        public long ringId() {
            return consumer.ringId();
        }

        @Override
        public QueueStats stats() {
            return consumer.stats();
        }

        @Override
        public boolean waits() {
            return false;
        }
    }

    private static final class ReceiverSource implements Source {
        /** How long one waiting hold parks at most, so run() notices close() soon. */
        private static final Duration WAIT = Duration.ofMillis(50);
        private final Receiver receiver;

        ReceiverSource(Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public int hold(RecordHandler handler, int limit, boolean wait) {
            if (!wait) {
                return receiver.tryHold(handler, limit);
            }
            try {
                return receiver.hold(handler, limit, WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }

        @Override
        public void releaseHeld() {
            receiver.releaseHeld();
        }

        @Override
        public void releaseHeld(int records) {
            receiver.releaseHeld(records);
        }

        @Override
        public void rewindHeld() {
            receiver.rewindHeld();
        }

        @Override
        public long ringId() {
            return receiver.ringId();
        }

        @Override
        public QueueStats stats() {
            return receiver.stats().queue();
        }

        @Override
        public boolean waits() {
            return true;
        }
    }

    /**
     * Ships until {@link #close()} is called (from another thread), an
     * error stops it, or (a channel's receiver as the source) every sender
     * has closed and every record was shipped. While the ring is empty it
     * waits: a queue's consumer with a backoff (spins, yields, then parks up
     * to 20 ms), a channel's receiver parked until a commit wakes it. Closes
     * the Kafka client when it returns.
     *
     * @throws ShipperException what stopped it; the records not shipped are
     *         still in the ring
     * @throws IllegalStateException if the shipper is closed or already running
     */
    public void run() {
        if (closed) {
            throw new IllegalStateException("this shipper is closed");
        }
        if (running) {
            throw new IllegalStateException("this shipper is already running");
        }
        running = true;
        try {
            final boolean waits = source.waits();
            while (!stopping) {
                if (ship(waits, guarantee == Guarantee.AT_LEAST_ONCE) != 0) {
                    idle.reset();
                } else if (!waits) {
                    idle.idle();
                }
            }
        } catch (ChannelClosedException ended) {
            // a channel whose senders all closed, every record shipped: done
        } finally {
            settle();
            closeClient();
            running = false;
            ran.countDown();
        }
    }

    /**
     * Ships one batch: holds up to the batch size of records, sends them,
     * waits for Kafka, then releases them; after a transient failure, waits
     * the backoff and leaves the records in the ring for the next call. The
     * first call connects (see the class documentation).
     *
     * @return the records released from the ring (shipped, skipped, or found
     *         already shipped); 0 when the ring was empty or the batch failed
     *         and will be sent again
     * @throws ShipperException when the shipper cannot go on
     * @throws ChannelClosedException when the source is a channel whose
     *         senders have all closed and every record was shipped
     */
    public int shipOnce() {
        return ship(false, false);
    }

    /**
     * Ships a batch; {@code pipelined} (at least once, in run()) returns once
     * it is sent, with up to {@value #PIPELINE} batches in flight, and
     * returns the records released or sent.
     */
    private int ship(boolean wait, boolean pipelined) {
        if (producer == null) {
            try {
                start();
            } catch (ShipperException e) {
                if (!connected || isFatal(e.getCause())) {
                    throw e; // the first connection: a wrong address or topic is reported, not retried
                }
                // connected before: an outage; the records wait in the ring
                lastError = e;
                retries++;
                pause();
                return 0;
            }
            connected = true;
        }
        if (pipelined) {
            return shipPipelined(wait);
        }
        batch.begin();
        final int held;
        try {
            held = source.hold(batch, batchRecords, wait);
        } catch (KafkaException e) {
            // send() itself refused (a synchronous failure): what was held before it is sent again
            return failed(e, batch.current);
        }
        if (held == 0) {
            return 0;
        }
        inFlight = held;
        try {
            if (guarantee == Guarantee.EXACTLY_ONCE) {
                if (batch.sent > 0) {
                    // the position the batch ends at, in the same transaction as its records
                    producer.sendOffsetsToTransaction(
                            Map.of(positionPartition, new OffsetAndMetadata(batch.end, "ring " + source.ringId())),
                            new ConsumerGroupMetadata(groupId));
                    producer.commitTransaction();
                }
            } else {
                producer.flush();
            }
        } catch (KafkaException e) {
            return failed(e, batch.failedAt);
        }
        // the callbacks ran before flush/commit returned
        final Exception failure = batch.failure;
        if (failure != null) {
            return failed(failure, batch.failedAt);
        }
        return released(held);
    }

    /**
     * At least once, pipelined: releases the oldest batches Kafka has answered
     * for, waiting for the oldest while {@value #PIPELINE} are in flight, then
     * holds and sends the next batch without waiting for its answer.
     *
     * @return the records released, plus those held and sent by this call
     */
    private int shipPipelined(boolean wait) {
        int moved = 0;
        for (;;) {
            final Batch oldest = pipeline.peekFirst();
            if (oldest != null && oldest.answered()) {
                if (oldest.failure != null) {
                    return moved + failedInFlight(oldest.failure, oldest.failedAt, oldest);
                }
                moved += release(pipeline.pollFirst());
                continue;
            }
            if (pipeline.size() < PIPELINE) {
                break;
            }
            awaitAnswered(oldest);
        }
        final Batch next = new Batch();
        next.begin();
        final int held;
        try {
            // parks in a channel's receiver only when nothing is in flight, to be released meanwhile
            held = source.hold(next, batchRecords, wait && pipeline.isEmpty());
        } catch (KafkaException e) {
            // send() itself refused: what was held before it is sent again, with the batches still in flight
            return moved + failedInFlight(e, next.current, next);
        }
        if (held == 0) {
            if (!pipeline.isEmpty()) {
                // nothing more to send: push out what lingers in the client, then release what was answered
                producer.flush();
                return moved + shipPipelined(false);
            }
            return moved;
        }
        next.held = held;
        next.sealed = true;
        pipeline.addLast(next);
        inFlight += held;
        return moved + held;
    }

    /** Waits until Kafka has answered for every record of {@code sent} (its delivery timeout bounds this). */
    private static void awaitAnswered(Batch sent) {
        while (!sent.answered()) {
            java.util.concurrent.locks.LockSupport.parkNanos(AWAIT_NANOS);
        }
    }

    private static final long AWAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /**
     * A pipelined batch failed ({@code failing}, in flight or being held):
     * waits for every answer, releases the batches before it that Kafka
     * acknowledged whole, then leaves the rest to {@link #failed}, which
     * gives them back to the ring unreleased.
     */
    private int failedInFlight(Exception thrown, long position, Batch failing) {
        producer.flush(); // every callback has run after this
        int released = 0;
        for (Batch first = pipeline.peekFirst(); first != null && first != failing && first.failure == null;
                first = pipeline.peekFirst()) {
            released += release(pipeline.pollFirst());
        }
        pipeline.clear();
        batch = failing; // failed() reads the failure the batch's callbacks noted
        return released + failed(thrown, position);
    }

    /** Releases the oldest batch in flight: Kafka acknowledged each of its records. */
    private int release(Batch oldest) {
        source.releaseHeld(oldest.held);
        inFlight -= oldest.held;
        count(oldest);
        return oldest.held;
    }

    /**
     * The shipping thread is leaving run(): waits for Kafka's answers to the
     * batches in flight and releases those acknowledged whole, oldest first;
     * the rest stay in the ring.
     */
    private void settle() {
        if (pipeline.isEmpty() || producer == null) {
            return;
        }
        try {
            producer.flush();
            for (Batch first = pipeline.peekFirst(); first != null && first.failure == null;
                    first = pipeline.peekFirst()) {
                release(pipeline.pollFirst());
            }
        } catch (KafkaException e) {
            lastError = e;
        } finally {
            pipeline.clear();
            source.rewindHeld();
            inFlight = 0;
        }
    }

    /** The batch reached Kafka (or was stepped over): give it back to the ring. */
    private int released(int held) {
        source.releaseHeld();
        inFlight = 0;
        count(batch);
        return held;
    }

    /** Adds a released batch to the counters. */
    private void count(Batch batch) {
        shipped += batch.sent;
        shippedBytes += batch.sentBytes;
        if (batch.stepped > 0) {
            skipped += batch.stepped;
            skipPosition = -1;
        }
        resumedPast += batch.resumed;
        backoffNanos = minBackoffNanos;
    }

    /**
     * A batch failed: decides whether to stop, to step over a refused record
     * (its batch is sent again without it), or to send the batch again after
     * the backoff. The held records go back to the ring unreleased, whatever
     * is decided.
     */
    private int failed(Exception thrown, long position) {
        inFlight = 0;
        // a callback's error says which record; a transaction's later sends only say it was aborted
        final Exception noted = batch.failure;
        final boolean useNoted = noted != null && !(noted instanceof TransactionAbortedException);
        final Exception e = useNoted ? noted : thrown;
        final long at = useNoted ? batch.failedAt : position;
        lastError = e;
        if (isFatal(e) || isFatal(thrown)) {
            source.rewindHeld();
            throw stop(isFatal(e) ? e : thrown, at);
        }
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            abortTransaction();
        }
        source.rewindHeld();
        final Throwable refused = isRefusedRecord(e) ? e : isRefusedRecord(e.getCause()) ? e.getCause() : null;
        if (refused != null && at >= 0) {
            if (badRecords == BadRecords.STOP) {
                throw new ShipperException("Kafka refused the record at ring position " + at + " for topic " + topic
                        + " (" + describe(refused) + "); it and every record after it are still in the ring", at, e);
            }
            // sent again without it; at least once, the records acknowledged before it come twice
            skipPosition = at;
            return 0;
        }
        // transient: an outage, a timeout; the records wait in the ring
        retries++;
        pause();
        return 0;
    }

    private static boolean isFatal(Throwable e) {
        return e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException
                || e instanceof OutOfOrderSequenceException || e instanceof AuthorizationException
                || e instanceof AuthenticationException || e instanceof UnsupportedVersionException;
    }

    private static boolean isRefusedRecord(Throwable e) {
        return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidRecordException;
    }

    private ShipperException stop(Exception e, long position) {
        if (e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException) {
            return new ShipperException("fenced: another shipper with transactional id " + transactionalId
                    + " took over this ring; this one stops without writing (" + describe(e) + ")", -1, e);
        }
        if (e instanceof AuthorizationException || e instanceof AuthenticationException) {
            return new ShipperException("Kafka at " + servers + " refused this shipper's credentials or rights for"
                    + " topic " + topic + " (" + describe(e) + "); nothing was released from the ring", position, e);
        }
        return new ShipperException("the Kafka producer cannot go on (" + describe(e) + "); nothing was released"
                + " from the ring that Kafka did not have", position, e);
    }

    private void abortTransaction() {
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw stop(e, -1);
        } catch (KafkaException | IllegalStateException e) {
            // the producer is in a state it cannot abort from (a fatal error, or a commit that timed
            // out, which the client allows only to be retried): start again with a new one. Its
            // initTransactions() completes or aborts what this one left, and the committed position
            // read after it says which: a batch whose commit did land is stepped over, not sent twice
            lastError = e;
            closeClient();
        }
    }

    /** Waits the backoff, doubling it for next time up to the maximum; returns early when stopping. */
    private void pause() {
        final long deadline = System.nanoTime() + backoffNanos;
        for (long left = backoffNanos; left > 0 && !stopping; left = deadline - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
        backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2);
    }

    /** Connects: checks the servers and the topic; exactly once, takes over the transactional id and resumes. */
    private void start() {
        try (Admin admin = Admin.create(adminConfig())) {
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                final Throwable cause = e.getCause();
                if (cause instanceof UnknownTopicOrPartitionException) {
                    throw new ShipperException("topic " + topic + " does not exist on the Kafka cluster at " + servers
                            + " (create it first; the shipper does not create topics)", -1, cause);
                }
                if (cause instanceof AuthorizationException || cause instanceof AuthenticationException) {
                    throw stop((Exception) cause, -1);
                }
                if (cause instanceof TimeoutException) {
                    // the admin client's own deadline (the same timeout) ran out before ours
                    throw unreachable(cause);
                }
                throw new ShipperException("Kafka at " + servers + " could not describe topic " + topic + ": "
                        + describe(cause), -1, cause);
            } catch (java.util.concurrent.TimeoutException e) {
                throw unreachable(e);
            }
            final KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(producerConfig());
            try {
                if (guarantee == Guarantee.EXACTLY_ONCE) {
                    // aborts what an earlier shipper of this id left open, and fences it
                    created.initTransactions();
                    resumeFrom = committedPosition(admin);
                }
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                if (e instanceof AuthorizationException || e instanceof ProducerFencedException) {
                    throw stop(e, -1);
                }
                throw new ShipperException("could not start a Kafka transaction with id " + transactionalId + " at "
                        + servers + " within " + timeout + " (" + describe(e) + ")", -1, e);
            }
            producer = created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShipperException("interrupted while connecting to Kafka at " + servers, -1, e);
        }
    }

    private ShipperException unreachable(Throwable cause) {
        return new ShipperException("no Kafka broker answered at " + servers + " within " + timeout
                + " (is the address right, and is the broker up?)", -1, cause);
    }

    /** The ring position the last committed batch ended at, or -1 when nothing was committed yet. */
    private long committedPosition(Admin admin) throws InterruptedException {
        try {
            // stable: waits out a transaction still open (initTransactions has aborted an old one)
            final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                    Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(positionPartition))),
                    new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata(groupId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            final OffsetAndMetadata committed = offsets.get(positionPartition);
            return committed == null ? -1 : committed.offset();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ShipperException("could not read the ring position committed for consumer group " + groupId
                    + " at " + servers + " (" + describe(cause) + ")", -1, cause);
        }
    }

    private Map<String, Object> adminConfig() {
        final Map<String, Object> config = new HashMap<>();
        for (Map.Entry<String, Object> e : clientConfig.entrySet()) {
            if (AdminClientConfig.configNames().contains(e.getKey())) {
                config.put(e.getKey(), e.getValue());
            }
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        final int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        return config;
    }

    private Map<String, Object> producerConfig() {
        final Map<String, Object> config = new HashMap<>();
        // defaults a user may change
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        final long millis = Math.max(1, timeout.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, millis));
        // at least linger.ms + request.timeout.ms, as the client requires
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, 2 * millis + 5));
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.min(Integer.MAX_VALUE, 4 * millis));
        }
        config.putAll(clientConfig);
        // what the guarantee decides
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return config;
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * A snapshot of the counters; any thread.
     *
     * @return the snapshot
     */
    public ShipperStats stats() {
        final QueueStats queue = source.stats();
        return new ShipperStats(shipped, shippedBytes, inFlight, retries, skipped, resumedPast,
                queue.tail() - queue.head(), lastError);
    }

    /**
     * The transactional id the shipper uses in exactly-once mode.
     *
     * @return the id
     */
    public String transactionalId() {
        return transactionalId;
    }

    /**
     * Stops {@link #run()} after the batch in progress (which is shipped or
     * left in the ring, never half-released) and waits for it to return, up
     * to the configured timeout; then closes the Kafka client. Records not
     * shipped stay in the ring. Closing again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        if (running) {
            try {
                ran.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            closeClient();
        }
    }

    private void closeClient() {
        final KafkaProducer<byte[], byte[]> open = producer;
        producer = null;
        if (open != null) {
            open.close(timeout);
        }
    }

    /** The batch in progress: sends each record hold() hands out; callbacks note the first failure. */
    private final class Batch implements RecordHandler {
        /** Records and payload bytes sent in this batch. */
        int sent;
        long sentBytes;
        /** Records released without being sent: a refused one stepped over, or ones already committed. */
        int stepped;
        int resumed;
        /** The ring position after the last record handed out: where the next batch starts. */
        long end;
        /** The position of the record being sent (a synchronous failure concerns it). */
        long current = -1;
        boolean transactionOpen;
        /** The first failure a callback reported, and its record's position. */
        volatile Exception failure;
        volatile long failedAt = -1;
        /** Pipelined: the records hold() handed out (sent or stepped over), and whether hold() returned. */
        int held;
        boolean sealed;
        /** Callbacks run, successful or not: written by the client's I/O thread only. */
        volatile int answers;

        /** Whether Kafka has answered for every record sent (once hold() returned). */
        boolean answered() {
            return sealed && answers == sent;
        }

        void begin() {
            sent = 0;
            sentBytes = 0;
            stepped = 0;
            resumed = 0;
            current = -1;
            failure = null;
            failedAt = -1;
            transactionOpen = false;
            held = 0;
            sealed = false;
            answers = 0;
        }

        @Override
        public void onRecord(Payload payload) {
            final long position = payload.position();
            final int length = payload.length();
            current = position;
            end = position + recordSpan(length);
            if (position < resumeFrom) {
                resumed++; // committed to the topic by an earlier shipper that did not release it
                return;
            }
            if (position == skipPosition) {
                stepped++; // refused by Kafka for itself, and BadRecords.SKIP
                return;
            }
            if (guarantee == Guarantee.EXACTLY_ONCE && !transactionOpen) {
                producer.beginTransaction();
                transactionOpen = true;
            }
            final byte[] value = new byte[length];
            payload.get(0, value, 0, length);
            final Headers headers = new RecordHeaders()
                    .add(RING_HEADER, longBytes(source.ringId()))
                    .add(POSITION_HEADER, longBytes(position));
            final byte[] recordKey = key == null ? null : key.of(payload);
            producer.send(new ProducerRecord<>(topic, null, recordKey, value, headers), new Noted(this, position));
            sent++;
            sentBytes += length;
        }
    }

    /** Notes the first failure of a batch and its record's position, and counts the answers. */
    private static final class Noted implements Callback {
        private final Batch batch;
        private final long position;

        Noted(Batch batch, long position) {
            this.batch = batch;
            this.position = position;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            // runs on the client's I/O thread; flush() and commitTransaction() return after it
            if (exception != null && batch.failure == null) {
                batch.failedAt = position;
                batch.failure = exception;
            }
            // volatile write, one writer (the I/O thread): the shipping thread that reads this count
            // sees the failure noted before it
            batch.answers = batch.answers + 1;
        }
    }

    /** The bytes a record of {@code length} payload bytes takes in the ring: an 8-byte header, 8-aligned. */
    static long recordSpan(int length) {
        return (8L + length + 7) & ~7L;
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /**
     * Reads a long header this shipper wrote ({@value #RING_HEADER} or
     * {@value #POSITION_HEADER}) from a Kafka record's headers.
     *
     * @param headers the record's headers
     * @param name the header's name
     * @return its value
     * @throws IllegalArgumentException if the header is missing or not 8 bytes
     */
    public static long longHeader(Headers headers, String name) {
        final org.apache.kafka.common.header.Header header = headers.lastHeader(name);
        if (header == null || header.value() == null || header.value().length != Long.BYTES) {
            throw new IllegalArgumentException("no 8-byte header " + name + " in " + headers);
        }
        return ByteBuffer.wrap(header.value()).getLong();
    }

    /** Builds a {@link KafkaShipper}; {@link #bootstrapServers} and {@link #topic} are required. */
    public static final class Builder {
        private final Source source;
        private String servers;
        private String topic;
        private Guarantee guarantee = Guarantee.AT_LEAST_ONCE;
        private String transactionalId;
        private RecordKey key;
        private BadRecords badRecords = BadRecords.STOP;
        private int batchRecords = 8192;
        private Duration timeout = Duration.ofSeconds(30);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private final Map<String, Object> clientConfig = new HashMap<>();

        private Builder(Source source) {
            this.source = source;
        }

        /**
         * The Kafka cluster to connect to ({@code bootstrap.servers}).
         *
         * @param servers {@code host:port} pairs, comma-separated
         * @return this builder
         */
        public Builder bootstrapServers(String servers) {
            this.servers = requireText(servers, "servers");
            return this;
        }

        /**
         * The topic to ship to; it must exist (the shipper does not create it).
         *
         * @param topic the topic's name
         * @return this builder
         */
        public Builder topic(String topic) {
            this.topic = requireText(topic, "topic");
            return this;
        }

        /**
         * At least once (the default) or exactly once; see {@link Guarantee}.
         *
         * @param guarantee the guarantee
         * @return this builder
         */
        public Builder guarantee(Guarantee guarantee) {
            this.guarantee = Objects.requireNonNull(guarantee, "guarantee");
            return this;
        }

        /**
         * The transactional id in exactly-once mode, instead of
         * {@code logbuf-<ring id in hex>}. Two shippers with one id fence each
         * other: give one ring one id.
         *
         * @param id the id
         * @return this builder
         */
        public Builder transactionalId(String id) {
            this.transactionalId = requireText(id, "id");
            return this;
        }

        /**
         * Computes each record's Kafka key from its payload; without one, keys
         * are {@code null}.
         *
         * @param key the key function
         * @return this builder
         */
        public Builder key(RecordKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * What to do with a record Kafka refuses for itself; {@link BadRecords#STOP} by default.
         *
         * @param policy stop or skip
         * @return this builder
         */
        public Builder badRecords(BadRecords policy) {
            this.badRecords = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The most records in one batch (one transaction in exactly-once
         * mode); 8192 by default. The client buffers at most two batches
         * (one in exactly-once mode and in {@link KafkaShipper#shipOnce()}).
         *
         * @param records at least 1
         * @return this builder
         */
        public Builder batchRecords(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("batchRecords " + records + " is below 1");
            }
            this.batchRecords = records;
            return this;
        }

        /**
         * How long the shipper waits for Kafka before it reports an error:
         * the checks when it starts, a blocked send, a request (30 s by
         * default). A batch not acknowledged within about twice this is
         * retried.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout " + timeout + " is not positive");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The backoff before a failed batch is sent again: {@code min} after
         * the first failure, doubling up to {@code max} (100 ms and 5 s by
         * default), back to {@code min} after a success.
         *
         * @param min positive
         * @param max at least {@code min}
         * @return this builder
         */
        public Builder retryBackoff(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("retryBackoff " + min + ".." + max
                        + ": min must be positive and max at least min");
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Any other setting of the Kafka producer and admin clients (security,
         * compression, {@code linger.ms}, ...). The settings the guarantee
         * decides are refused: {@code acks}, {@code enable.idempotence},
         * {@code transactional.id} (see {@link #transactionalId}), the
         * serializers and {@code bootstrap.servers} (see
         * {@link #bootstrapServers}).
         *
         * @param name the setting's name
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException for a setting the guarantee decides
         */
        public Builder clientConfig(String name, Object value) {
            if (DECIDED.contains(name)) {
                throw new IllegalArgumentException(name + " is decided by the shipper's guarantee and cannot be set"
                        + " (see KafkaShipper.Builder)");
            }
            clientConfig.put(requireText(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds the shipper; it connects when it first ships.
         *
         * @return the shipper
         * @throws IllegalStateException if the servers or the topic were not given
         */
        public KafkaShipper build() {
            if (servers == null || topic == null) {
                throw new IllegalStateException("a shipper needs bootstrapServers(...) and topic(...)");
            }
            return new KafkaShipper(this);
        }

        private static String requireText(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " is blank");
            }
            return value;
        }
    }
}
