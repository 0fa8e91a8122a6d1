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
 * The cost of one record's whole life on one thread: claim, copy
 * {@code size} bytes in, commit, read (and verify), release. The ring is
 * 64 KiB, so it stays in the L2 cache and the figure is the code path's, not
 * the memory system's.
 *
 * <p>{@code logbuf} reads with a batch {@code read(handler, 1)} as Agrona
 * does; {@code logbuf-claim} with {@code tryClaim()}/{@code close()}.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class SingleThread {

    static final int RING_BYTES = 64 << 10;

    @Param({"logbuf", "logbuf-claim", "agrona"})
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
        // every record has one length: the benchmark sends lengths[0] and the verifier expects the table
        Params.oneOf("SingleThread", "subject", subject, Subjects.NAMES);
        Params.oneOf("SingleThread", "kind", kind, "spsc", "mpsc");
        final int[] lengths = Params.lengths("SingleThread", "size", size, false);
        final Subject queue = Subjects.create(subject, "mpsc".equals(kind), RING_BYTES,
                Payloads.elementsFor(RING_BYTES, lengths));
        sender = queue.sender(0);
        receiver = queue.receiver(new Verifier(lengths));
        length = lengths[0];
    }

    @Benchmark
    public long claimCopyCommitReadRelease() {
        final long sequence = this.sequence;
        // At the wrap a second attempt is normal: logbuf may pad and report full once,
        // and Agrona's read stops at the end of the buffer after stepping over the padding.
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
