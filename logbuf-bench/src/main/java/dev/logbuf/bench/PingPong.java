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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round-trip latency between two threads: the benchmark thread sends a
 * 64-byte record on one SPSC queue and spins until an echo thread's 64-byte
 * reply arrives on a second one. Both sides verify what they receive.
 *
 * <p>The echo thread belongs to the trial (started in setup, stopped in
 * teardown), not to JMH's measurement loop, so it keeps answering until the
 * last invocation has its reply: the end of an iteration cannot leave the
 * benchmark thread waiting for an echo that will never come. If the echo
 * thread fails, the benchmark thread throws instead of spinning forever.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class PingPong {

    static final int LENGTH = 64;

    @Param({"logbuf", "agrona", "jctools", "abq"})
    public String subject;

    private Subject.Sender requests;
    private Subject.Receiver replies;
    private Thread echo;
    private volatile boolean running;
    private volatile Throwable failure;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() {
        Params.oneOf("PingPong", "subject", subject, Subjects.NAMES);
        final int[] lengths = Payloads.lengths(Integer.toString(LENGTH));
        final int elements = Payloads.elementsFor(Payloads.RING_BYTES, lengths);
        final Subject there = Subjects.create(subject, false, Payloads.RING_BYTES, elements);
        final Subject back = Subjects.create(subject, false, Payloads.RING_BYTES, elements);
        requests = there.sender(0);
        replies = back.receiver(new Verifier(lengths));
        final Subject.Receiver echoIn = there.receiver(new Verifier(lengths));
        final Subject.Sender echoOut = back.sender(0);
        running = true;
        echo = new Thread(() -> echo(echoIn, echoOut), "echo");
        echo.setDaemon(true);
        echo.start();
    }

    private void echo(Subject.Receiver in, Subject.Sender out) {
        try {
            long replied = 0;
            while (running) {
                if (in.drain(1) == 1) {
                    while (!out.offer(Payloads.SOURCE, LENGTH, replied)) {
                        if (!running) {
                            return;
                        }
                    }
                    replied++;
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        running = false;
        echo.join();
    }

    @Benchmark
    public long roundTrip() {
        final long sequence = this.sequence;
        while (!requests.offer(Payloads.SOURCE, LENGTH, sequence)) {
            checkEcho();
        }
        while (replies.drain(1) == 0) {
            checkEcho();
        }
        this.sequence = sequence + 1;
        return sequence;
    }

    private void checkEcho() {
        if (failure != null) {
            throw new IllegalStateException("the echo thread failed", failure);
        }
    }
}
