package dev.logbuf.bench;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.Producer;
import dev.logbuf.queue.SpscQueue;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A ring in a memory-mapped file, attached by one process, as a
 * {@link Subject}: the cross-process counterpart of {@link LogbufSubject}
 * (batch reads) and {@link AgronaSubject}, with the same calls on both sides
 * so that {@link IpcThroughput}'s figures compare with {@link Throughput}'s.
 *
 * <ul>
 * <li>{@code logbuf}: {@code SpscQueue} or {@code MpscQueue} from
 *     {@code createFile}/{@code attachFile}; {@code tryClaim}, {@code put},
 *     {@code putLong}, {@code commit}; {@code Consumer.read(handler, limit)}.</li>
 * <li>{@code agrona}: {@code OneToOneRingBuffer} or
 *     {@code ManyToOneRingBuffer} over {@code new UnsafeBuffer(mapped)}, the
 *     file being {@code capacity + RingBufferDescriptor.TRAILER_LENGTH} bytes
 *     of zeroes; {@code tryClaim}, {@code putBytes}, {@code putLong},
 *     {@code commit}; {@code read(handler, limit)}.</li>
 * </ul>
 *
 * <p>Every process maps the whole file {@code READ_WRITE} from position 0,
 * which is what logbuf's file helpers do too.
 */
final class SharedSubject implements Subject {

    private final SpscQueue spsc;
    private final MpscQueue mpsc;
    private final RingBuffer agrona;

    private SharedSubject(SpscQueue spsc, MpscQueue mpsc, RingBuffer agrona) {
        this.spsc = spsc;
        this.mpsc = mpsc;
        this.agrona = agrona;
    }

    /**
     * Creates the ring file (replacing one left over) for {@code subject}
     * ({@code logbuf} or {@code agrona}), SPSC or MPSC.
     */
    static void create(String subject, boolean multiProducer, Path file, int capacity) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        switch (subject) {
            case "logbuf" -> {
                if (multiProducer) {
                    MpscQueue.createFile(file, capacity);
                } else {
                    SpscQueue.createFile(file, capacity);
                }
            }
            case "agrona" -> createZeroed(file, capacity + RingBufferDescriptor.TRAILER_LENGTH);
            default -> throw new IllegalArgumentException("unknown subject " + subject + " (logbuf, agrona)");
        }
    }

    /** Attaches to a ring file that {@link #create} made. */
    static SharedSubject attach(String subject, boolean multiProducer, Path file) throws IOException {
        return switch (subject) {
            case "logbuf" -> multiProducer
                    ? new SharedSubject(null, MpscQueue.attachFile(file), null)
                    : new SharedSubject(SpscQueue.attachFile(file), null, null);
            case "agrona" -> {
                final AtomicBuffer buffer = new UnsafeBuffer(map(file));
                yield new SharedSubject(null, null,
                        multiProducer ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer));
            }
            default -> throw new IllegalArgumentException("unknown subject " + subject + " (logbuf, agrona)");
        };
    }

    /** A new file of {@code bytes} zeroes. */
    static void createZeroed(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    /** The whole file, mapped read-write from position 0 (the mapping outlives the channel). */
    static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
    }

    /** The logbuf producer role (SPSC: the one slot; MPSC: a new slot). */
    Producer logbufProducer() {
        return spsc != null ? spsc.producer() : mpsc.newProducer();
    }

    /** The logbuf consumer role. */
    Consumer logbufConsumer() {
        return spsc != null ? spsc.consumer() : mpsc.consumer();
    }

    /** Agrona's ring, or null for logbuf. */
    RingBuffer agrona() {
        return agrona;
    }

    @Override
    public Sender sender(int producerId) {
        return agrona != null ? new AgronaSubject.AgronaSender(agrona)
                : new LogbufSubject.LogbufSender(logbufProducer());
    }

    @Override
    public Receiver receiver(Verifier verifier) {
        return agrona != null ? new AgronaSubject.AgronaReceiver(agrona, verifier)
                : new LogbufSubject.BatchReceiver(logbufConsumer(), verifier);
    }
}
