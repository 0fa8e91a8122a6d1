package dev.logbuf.bench;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.SpscProducer;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.Utf8;
import dev.logbuf.queue.WriteClaim;
import java.nio.charset.StandardCharsets;
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
 * The cost of putting a text message into a record, one thread: size it,
 * claim, encode, commit, then read the record's length back and release it.
 *
 * <p>{@code putUtf8} sizes the claim with {@code Utf8.utf8Length} and encodes
 * straight from the {@code String} into the ring; {@code getBytesAndPut} does
 * what users wrote by hand before: {@code String.getBytes(UTF_8)}, then
 * {@code put(byte[])}; {@code putUtf8OnePass} claims the most the text can
 * take, encodes once and commits what it wrote ({@code commit(int)}). Run with {@code -prof gc} to see the allocation: the
 * array {@code getBytes} makes is the difference to look for.
 *
 * <p>Messages: ASCII of 16, 64 and 256 chars, and 64 chars of mixed text
 * (Latin-1 accents, a euro sign, CJK, one emoji: 1-, 2-, 3- and 4-byte forms).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class TextEncoding {

    static final int RING_BYTES = 64 << 10;

    /** Mixed text, 64 chars: 1-, 2-, 3- and 4-byte UTF-8 forms. */
    static final String MIXED = "Größe 12 € — 東京発 naïve café, déjà vu \uD83D\uDE00 Ærø; Ωμέγα ½ 100% — ok ü";

    @Param({"ascii-16", "ascii-64", "ascii-256", "mixed-64"})
    public String message;

    private SpscProducer producer;
    private Consumer consumer;
    private String text;

    @Setup(Level.Trial)
    public void setUp() {
        final SpscQueue queue = SpscQueue.create(RING_BYTES);
        producer = queue.producer();
        consumer = queue.consumer();
        text = switch (message) {
            case "ascii-16" -> ascii(16);
            case "ascii-64" -> ascii(64);
            case "ascii-256" -> ascii(256);
            case "mixed-64" -> MIXED;
            default -> throw new IllegalArgumentException("TextEncoding: unknown message " + message
                    + " (ascii-16, ascii-64, ascii-256, mixed-64)");
        };
        if (message.startsWith("mixed") && text.length() != 64) {
            throw new AssertionError("the mixed message has " + text.length() + " chars, not 64");
        }
        if (putUtf8() != getBytesAndPut() || putUtf8OnePass() != getBytesAndPut()) {
            throw new AssertionError("the three ways disagree on the length of " + message);
        }
    }

    /** Sizes with {@code Utf8.utf8Length}, encodes with {@code putUtf8}: nothing allocated. */
    @Benchmark
    public int putUtf8() {
        final String text = this.text;
        final WriteClaim claim = producer.tryClaim(Utf8.utf8Length(text));
        claim.putUtf8(0, text);
        claim.commit();
        return release();
    }

    /**
     * One pass: claims what the text can take at most (3 bytes a char),
     * encodes with {@code putUtf8}, and commits the bytes written with
     * {@code commit(int)}, giving the rest of the claim back.
     */
    @Benchmark
    public int putUtf8OnePass() {
        final String text = this.text;
        final WriteClaim claim = producer.tryClaim(3 * text.length());
        claim.commit(claim.putUtf8(0, text));
        return release();
    }

    /** {@code String.getBytes(UTF_8)} and {@code put(byte[])}: one array per message. */
    @Benchmark
    public int getBytesAndPut() {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final WriteClaim claim = producer.tryClaim(bytes.length);
        claim.put(bytes);
        claim.commit();
        return release();
    }

    private int release() {
        try (ReadClaim record = consumer.tryClaim()) {
            return record.length();
        }
    }

    private static String ascii(int length) {
        final StringBuilder text = new StringBuilder(length);
        final String words = "order 4711 filled at 101.25 qty 300 venue XPAR session=7 ";
        while (text.length() < length) {
            text.append(words.charAt(text.length() % words.length()));
        }
        return text.toString();
    }
}
