package dev.logbuf.bench;

import dev.logbuf.channel.ChannelClosedException;
import dev.logbuf.channel.Receiver;
import dev.logbuf.channel.SpscChannel;
import dev.logbuf.channel.SpscSender;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
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
 * Wake-up latency of a channel's receiver: the time from the benchmark
 * thread's commit of a 64-byte record (then {@code wake()}) until a receiver
 * thread's {@code recv()} has returned it.
 *
 * <ul>
 * <li>{@code receiver=parked}: the receiver thread sits in {@code recv()}.
 *     Before every operation, in a {@code Level.Invocation} setup that JMH
 *     keeps out of the timed region, the benchmark thread waits until the
 *     receiver is parked: {@link Thread#getState()} says
 *     {@code TIMED_WAITING} ({@code recv()} parks with {@code parkNanos}),
 *     and still says so {@value #PARKED_CONFIRM_NANOS} ns later, so a thread
 *     caught between setting its state and blocking in the kernel does not
 *     count as parked.</li>
 * <li>{@code receiver=spinning}: for comparison, the receiver thread polls
 *     {@code tryRecv()} and never parks; the benchmark thread does not wait
 *     before committing.</li>
 * </ul>
 *
 * <p>One operation: claim, copy, commit, {@code wake()}, then spin until the
 * receiver's reply is visible. The reply is a volatile store of how many
 * records the receiver has verified, made right after {@code recv()} returned
 * and the record was checked (sequence, length, last byte) and released. The
 * way back is therefore one cache-line transfer to a spinning thread, never a
 * second park; it adds roughly a cross-core miss (~0.1 µs) to each sample,
 * the same for both receivers. This was chosen over a receiver-side
 * timestamp so that JMH's SampleTime histogram (p50, p99, p99.9) is the
 * result, with no custom statistics.
 *
 * <p>A lost wake-up cannot hang the benchmark: the receiver's park slice
 * ({@code Receiver.PARK_SLICE_MILLIS}, 100 ms) ends anyway, and the sample
 * then shows about 100 ms, which the p99.9 and max make visible. If the
 * receiver thread fails, the benchmark thread throws.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ChannelWakeup {

    static final int LENGTH = 64;

    /** How long the receiver must stay TIMED_WAITING before it counts as parked. */
    static final long PARKED_CONFIRM_NANOS = 20_000;

    @Param({"parked", "spinning"})
    public String receiver;

    private SpscSender sender;
    private Thread thread;
    private boolean parked;
    private long sequence;

    /** Records the receiver thread has received and verified; its reply. */
    private volatile long received;
    private volatile Throwable failure;

    @Setup(Level.Trial)
    public void setUp() {
        parked = "parked".equals(Params.oneOf("ChannelWakeup", "receiver", receiver, "parked", "spinning"));
        final SpscChannel channel = SpscChannel.create(SingleThread.RING_BYTES);
        sender = channel.sender();
        final Receiver rx = channel.receiver();
        final Verifier verifier = new Verifier(Payloads.lengths(Integer.toString(LENGTH)));
        final boolean spin = !parked;
        thread = new Thread(() -> receive(rx, verifier, spin), "receiver");
        thread.setDaemon(true);
        thread.start();
    }

    private void receive(Receiver rx, Verifier verifier, boolean spin) {
        try {
            for (;;) {
                final ReadClaim record = spin ? spinRecv(rx) : rx.recv();
                final int length = record.length();
                verifier.check(record.getLong(0), length, record.getByte(length - 1));
                record.close();
                received = verifier.records;
            }
        } catch (ChannelClosedException senderClosed) {
            // the trial's end: tearDown closed the sender
        } catch (Throwable t) {
            failure = t;
        }
    }

    private static ReadClaim spinRecv(Receiver rx) {
        ReadClaim record;
        while ((record = rx.tryRecv()) == null) {
            Thread.onSpinWait();
        }
        return record;
    }

    /** Not timed: waits until the receiver is parked in recv(). */
    @Setup(Level.Invocation)
    public void awaitParked() {
        if (!parked) {
            return;
        }
        for (;;) {
            checkReceiver();
            if (isParked()) {
                final long since = System.nanoTime();
                while (isParked() && System.nanoTime() - since < PARKED_CONFIRM_NANOS) {
                    Thread.onSpinWait();
                }
                if (isParked()) {
                    return;
                }
            } else {
                Thread.yield(); // let the receiver reach its park on a busy machine
            }
        }
    }

    private boolean isParked() {
        final Thread.State state = thread.getState();
        return state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING;
    }

    @Benchmark
    public long commitToRecv() {
        final long sequence = this.sequence;
        // one record in flight at a time, so the ring is never full
        final WriteClaim claim = sender.trySend(LENGTH);
        if (claim == null) {
            throw new IllegalStateException("ring full with no record in flight");
        }
        claim.put(Payloads.SOURCE, 0, LENGTH).putLong(0, sequence).commit();
        sender.wake();
        long seen;
        while ((seen = received) == sequence) {
            checkReceiver();
            Thread.onSpinWait();
        }
        if (seen != sequence + 1) {
            throw new IllegalStateException("receiver reports " + seen + " records, expected " + (sequence + 1));
        }
        this.sequence = sequence + 1;
        return sequence;
    }

    private void checkReceiver() {
        final Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("the receiver thread failed", t);
        }
        if (!thread.isAlive()) {
            throw new IllegalStateException("the receiver thread ended");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        sender.close(); // the receiver's recv()/tryRecv() then throws ChannelClosedException
        thread.join(TimeUnit.SECONDS.toMillis(5));
        if (thread.isAlive()) {
            throw new IllegalStateException("the receiver thread did not stop");
        }
        checkFailure();
    }

    private void checkFailure() {
        if (failure != null) {
            throw new IllegalStateException("the receiver thread failed", failure);
        }
    }
}
