package dev.logbuf.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What logbuf-channel adds to the queue per record, on one thread: the
 * record's whole life as in {@link SingleThread} (claim, copy {@code size}
 * bytes, commit, read and verify, release; 64 KiB ring), once through the raw
 * queue ({@code logbuf}: {@code tryClaim}, commit, {@code read(handler, 1)})
 * and once through the channel ({@code channel}: {@code trySend}, commit, which
 * looks for a parked receiver by itself, {@code tryRead(handler, 1)}). The
 * receiving side is needed so the ring never fills; the channel's
 * {@code tryRead} adds only a closed check to {@code Consumer.read} when a
 * record is there, so the difference is the sending side's: {@code trySend}'s
 * checks and the commit's look at the waiter.
 *
 * <p>{@code channel-wake} adds the fenced {@code wake()} after each commit,
 * as senders did before commits woke the receiver: {@code channel-wake}
 * minus {@code channel} is the fence.
 *
 * <p>The figure of interest is the ratio {@code channel ÷ logbuf} of average
 * times (issue 4's target: at most 1.10); {@code chart.py} prints it.
 * Agrona is not used here, so the forks need no {@code --add-exports}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ChannelOverhead {

    @Param({"logbuf", "channel", "channel-wake"})
    public String subject;

    @Param({"spsc", "mpsc"})
    public String kind;

    @Param({"8", "64", "256", "1024"})
    public String size;

    private Subject.Sender sender;
    private Subject.Receiver receiver;
    private int length;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() {
        // every record has one length, as in SingleThread
        Params.oneOf("ChannelOverhead", "subject", subject, Subjects.NAMES);
        Params.oneOf("ChannelOverhead", "kind", kind, "spsc", "mpsc");
        final int[] lengths = Params.lengths("ChannelOverhead", "size", size, false);
        final Subject queue = Subjects.create(subject, "mpsc".equals(kind), SingleThread.RING_BYTES,
                Payloads.elementsFor(SingleThread.RING_BYTES, lengths));
        sender = queue.sender(0);
        receiver = queue.receiver(new Verifier(lengths));
        length = lengths[0];
    }

    @Benchmark
    public long sendCommitReadRelease() {
        final long sequence = this.sequence;
        // at the wrap a second attempt is normal: the ring may pad and report full once
        if (!sender.offer(Payloads.SOURCE, length, sequence)
                && !sender.offer(Payloads.SOURCE, length, sequence)) {
            throw lost(sequence);
        }
        if (receiver.drain(1) != 1 && receiver.drain(1) != 1) {
            throw lost(sequence);
        }
        this.sequence = sequence + 1;
        return sequence;
    }

    private static IllegalStateException lost(long sequence) {
        return new IllegalStateException("record " + sequence + " did not make the round");
    }
}
