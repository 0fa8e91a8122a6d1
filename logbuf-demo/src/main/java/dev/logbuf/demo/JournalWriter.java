package dev.logbuf.demo;

import dev.logbuf.queue.RecordHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends frames to a journal file (layout in {@link JournalFormat}).
 *
 * <p>A frame goes to the file in one gathering write of two buffers: an
 * eight-byte header this writer owns, and the caller's payload buffer as it
 * is — for the journal, the {@link dev.logbuf.queue.ReadClaim}'s read-only
 * view of the ring. The payload is never copied into an array; the checksum
 * is computed over the same buffer.
 *
 * <p>{@link #batch()} appends a whole batch read of the ring in one gathering
 * write: a batch's records stay in place until the batch ends
 * ({@link RecordHandler#onBatchEnd()}), so the writer notes each record's
 * bounds, checksums it, and at the end of the batch writes every header and
 * every payload, still in the ring, with one system call.
 *
 * <p>Nothing is forced to the device: the journal measures the path from the
 * producers to the operating system. Not thread-safe: one thread owns a writer.
 */
final class JournalWriter implements AutoCloseable {

    /** The most records one batch takes: the limit to pass to a batch read with {@link #batch()}. */
    static final int BATCH = 64;

    private final FileChannel file;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer header =
            ByteBuffer.allocateDirect(JournalFormat.FRAME_HEADER_LENGTH).order(JournalFormat.ORDER);
    /** The gathering write's two buffers; slot 1 is the caller's payload for the duration of one append. */
    private final ByteBuffer[] frame = {header, null};
    private long frames;
    private long payloadBytes;

    /** The batch's gathering write: header, payload, header, payload, ... */
    private final ByteBuffer[] gather = new ByteBuffer[2 * BATCH];
    /** One eight-byte header per batch slot, slices of one direct buffer. */
    private final ByteBuffer[] headers = new ByteBuffer[BATCH];
    /** Per slot, a view of the ring made once from the first payload view seen, then re-bounded per record. */
    private final ByteBuffer[] payloads = new ByteBuffer[BATCH];
    private int batched;
    private final RecordHandler batch = new RecordHandler() {
        @Override
        public void onRecord(ByteBuffer payload) {
            stage(payload);
        }

        @Override
        public void onBatchEnd() {
            try {
                flushBatch();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private JournalWriter(FileChannel file) {
        this.file = file;
        final ByteBuffer all = ByteBuffer.allocateDirect(BATCH * JournalFormat.FRAME_HEADER_LENGTH);
        for (int i = 0; i < BATCH; i++) {
            headers[i] = all.slice(i * JournalFormat.FRAME_HEADER_LENGTH, JournalFormat.FRAME_HEADER_LENGTH)
                    .order(JournalFormat.ORDER);
        }
    }

    /**
     * The handler that appends a batch read of at most {@link #BATCH} records
     * with one gathering write; a failed write surfaces as an
     * {@link UncheckedIOException} from the batch read.
     */
    RecordHandler batch() {
        return batch;
    }

    /** Checksums one record of a batch and notes where it lies; written at the batch's end. */
    private void stage(ByteBuffer payload) {
        final int slot = batched;
        if (slot == BATCH) {
            throw new IllegalStateException("a batch of more than " + BATCH + " records");
        }
        final int start = payload.position();
        final int end = payload.limit();
        final int length = end - start;
        checkLength(length);
        crc.reset();
        crc.update(payload); // consumes the view: it is re-bounded for the next record anyway
        final ByteBuffer header = headers[slot].clear();
        header.putInt(length).putInt((int) crc.getValue()).flip();
        ByteBuffer view = payloads[slot];
        if (view == null) {
            view = payloads[slot] = payload.duplicate(); // once per slot: the ring's view never changes
        }
        view.clear();
        view.limit(end).position(start);
        gather[2 * slot] = header;
        gather[2 * slot + 1] = view;
        batched = slot + 1;
        frames++;
        payloadBytes += length;
    }

    /** Writes the staged batch, every byte of it, then empties the stage. */
    private void flushBatch() throws IOException {
        final int buffers = 2 * batched;
        batched = 0;
        if (buffers == 0) {
            return;
        }
        final ByteBuffer last = gather[buffers - 1];
        while (last.hasRemaining()) {
            file.write(gather, 0, buffers);
        }
    }

    /**
     * Creates (or truncates) {@code path} and writes the journal's magic.
     *
     * @throws IOException if the file cannot be created or written
     */
    static JournalWriter create(Path path) throws IOException {
        final FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        try {
            writeFully(file, ByteBuffer.wrap(JournalFormat.MAGIC));
            return new JournalWriter(file);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Appends one frame holding the bytes between {@code payload}'s position
     * and limit, leaving the position at the limit.
     *
     * @param payload the record, 1 to {@link JournalFormat#MAX_PAYLOAD_LENGTH} bytes
     * @throws IOException if the write fails
     */
    void append(ByteBuffer payload) throws IOException {
        final int length = payload.remaining();
        checkLength(length);
        writeFrame(length, payload);
        frames++;
        payloadBytes += length;
    }

    /**
     * Appends the trailer: the producers' own counts, which a verifier
     * compares with the frames.
     *
     * @param records records sent, by producer id
     * @param bytes payload bytes sent, by producer id
     * @throws IOException if the write fails
     */
    void finish(long[] records, long[] bytes) throws IOException {
        final int producers = records.length;
        final ByteBuffer summary =
                ByteBuffer.allocate(JournalFormat.summaryLength(producers)).order(JournalFormat.ORDER);
        summary.putInt(producers);
        for (int p = 0; p < producers; p++) {
            summary.putLong(records[p]).putLong(bytes[p]);
        }
        writeFrame(-summary.flip().remaining(), summary);
    }

    /** Frames appended so far (the trailer not counted). */
    long frames() {
        return frames;
    }

    /** Payload bytes appended so far. */
    long payloadBytes() {
        return payloadBytes;
    }

    @Override
    public void close() throws IOException {
        frame[1] = null;
        file.close();
    }

    private void writeFrame(int lengthField, ByteBuffer payload) throws IOException {
        final int start = payload.position();
        crc.reset();
        crc.update(payload); // consumes the buffer: rewind it for the write
        payload.position(start);
        header.clear();
        header.putInt(lengthField).putInt((int) crc.getValue()).flip();
        final ByteBuffer[] frame = this.frame;
        frame[1] = payload;
        try {
            while (payload.hasRemaining()) {
                file.write(frame);
            }
        } finally {
            frame[1] = null;
        }
    }

    private static void checkLength(int length) {
        if (length < 1 || length > JournalFormat.MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("payload length " + length + " is outside 1.."
                    + JournalFormat.MAX_PAYLOAD_LENGTH);
        }
    }

    private static void writeFully(FileChannel file, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            file.write(buffer);
        }
    }
}
