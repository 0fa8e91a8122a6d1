package dev.logbuf.bench;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * Names the subjects a benchmark's {@code subject} parameter may take and
 * builds them.
 *
 * <table>
 * <caption>subjects</caption>
 * <tr><th>name</th><th>SPSC</th><th>MPSC</th></tr>
 * <tr><td>logbuf</td><td>{@code SpscQueue}, batch read</td><td>{@code MpscQueue}, batch read</td></tr>
 * <tr><td>logbuf-claim</td><td>{@code SpscQueue}, one {@code ReadClaim} per record</td><td>{@code MpscQueue}, same</td></tr>
 * <tr><td>logbuf-controlled</td><td>{@code SpscQueue}, {@code controlledRead} answering
 *     {@code CONTINUE}</td><td>{@code MpscQueue}, same</td></tr>
 * <tr><td>agrona</td><td>{@code OneToOneRingBuffer}</td><td>{@code ManyToOneRingBuffer}</td></tr>
 * <tr><td>jctools</td><td>{@code SpscArrayQueue<byte[]>}</td><td>{@code MpscArrayQueue<byte[]>}</td></tr>
 * <tr><td>abq</td><td>{@code ArrayBlockingQueue<byte[]>}</td><td>same</td></tr>
 * <tr><td>channel</td><td>{@code SpscChannel}: {@code trySend}, commit (which wakes a parked
 *     receiver by itself); {@code tryRead(handler, limit)}</td><td>{@code MpscChannel}, same</td></tr>
 * <tr><td>channel-wake</td><td>as {@code channel}, and the fenced {@code wake()} after each
 *     commit (the use before commits woke the receiver themselves)</td><td>same</td></tr>
 * <tr><td>channel-send</td><td>as {@code channel} with {@code send(length)} for {@code trySend}; waits
 *     while full, so {@link ChannelOverhead} only</td><td>same</td></tr>
 * <tr><td>channel-read</td><td>as {@code channel} with the waiting {@code read(handler, limit, 1 ms)}
 *     for {@code tryRead}; waits while empty, so {@link SingleThread} and {@link ChannelOverhead}
 *     only</td><td>same</td></tr>
 * </table>
 *
 * To add a subject, write a {@link Subject} and add its name here and to
 * the benchmarks' {@code @Param} lists.
 */
final class Subjects {

    /** Every subject's name, in the order of the table above. */
    static final List<String> NAMES = List.of("logbuf", "logbuf-claim", "logbuf-controlled", "agrona", "jctools",
            "abq", "channel", "channel-wake", "channel-send", "channel-read");

    private Subjects() {
    }

    /**
     * Builds a subject.
     *
     * @param name one of the names above
     * @param multiProducer MPSC if true, else SPSC
     * @param ringBytes the capacity of a byte ring
     * @param elements the capacity of an object queue, in messages
     */
    static Subject create(String name, boolean multiProducer, int ringBytes, int elements) {
        switch (name) {
            case "logbuf":
                return new LogbufSubject(ringBytes, multiProducer, LogbufSubject.Reads.BATCH);
            case "logbuf-claim":
                return new LogbufSubject(ringBytes, multiProducer, LogbufSubject.Reads.CLAIM);
            case "logbuf-controlled":
                return new LogbufSubject(ringBytes, multiProducer, LogbufSubject.Reads.CONTROLLED);
            case "agrona":
                return new AgronaSubject(ringBytes, multiProducer);
            case "jctools":
                return new QueueSubject(multiProducer
                        ? new MpscArrayQueue<>(elements) : new SpscArrayQueue<>(elements));
            case "abq":
                return new QueueSubject(new ArrayBlockingQueue<>(elements));
            case "channel":
                return new ChannelSubject(ringBytes, multiProducer, false, false, false);
            case "channel-wake":
                return new ChannelSubject(ringBytes, multiProducer, true, false, false);
            case "channel-send":
                return new ChannelSubject(ringBytes, multiProducer, false, true, false);
            case "channel-read":
                return new ChannelSubject(ringBytes, multiProducer, false, false, true);
            default:
                throw new IllegalArgumentException("unknown subject " + name + " (" + String.join(", ", NAMES) + ")");
        }
    }
}
