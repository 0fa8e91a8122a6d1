package dev.logbuf.demo;

import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.ReadClaim;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Appends frames to a journal (layout in {@link JournalFormat}) without ever
 * losing a record to a failed write.
 *
 * <p>Records are taken in two steps. {@link #offer(ByteBuffer)} checksums a
 * record and copies its frame (header and payload) into a staging buffer the
 * writer owns; from then on the writer, not the ring, is responsible for the
 * bytes, so the ring can take the record back at once. {@link #flush()}
 * writes everything staged in one write. Read from a ring with
 * {@link #handler()}: a controlled read hands it each record, and it answers
 * {@link ControlledRecordHandler.Action#CONTINUE CONTINUE} once the frame is
 * staged. A record taken from a ring otherwise, a {@link ReadClaim}, goes in
 * with {@link #offer(dev.logbuf.queue.Payload)}. Either way the bytes go from
 * the ring to the stage (or the file) through the record's NIO view,
 * {@link dev.logbuf.queue.Payload#buffer()}: the checksum and the copy are
 * transfers, which the view is for.
 *
 * <p>When a write fails, nothing is lost and nothing is torn:
 * <ul>
 * <li>The staged bytes stay staged; the next {@link #flush()} writes them
 *     again, at the same place. Writes are positional ({@link JournalSink}),
 *     and the writer moves its end of the journal only past bytes whose write
 *     completed, so a retry overwrites whatever part of a frame a failed write
 *     left, and {@link #close()} cuts off what a failed write left past the
 *     last whole frame.
 * <li>A record that cannot be staged because the staging buffer is full and
 *     the write that would have emptied it failed is refused:
 *     {@link #offer(ByteBuffer)} returns {@code false}, and the handler
 *     answers {@link ControlledRecordHandler.Action#ABORT ABORT}, which
 *     leaves the record in the ring, unconsumed, to be handed out first next
 *     time. The caller of {@code offer} puts it back the same way
 *     ({@link ReadClaim#putBack()}).
 * </ul>
 * {@link #failure()} says whether the last write failed. What to do then
 * (stop taking records, wait, retry) is the caller's; see {@link WriteRetry}.
 *
 * <p>A frame longer than the staging buffer is written from the caller's
 * buffer (for a ring record, the ring itself), header then payload, once the
 * staged bytes are out; if that fails the record is refused as above, and
 * written again from the ring when it is offered again.
 *
 * <p>Nothing is forced to the device: the journal measures the path from the
 * producers to the operating system. Not thread-safe: one thread at a time
 * owns a writer (the journal hands it from the receiving thread to the main
 * thread with {@link Thread#join()}).
 */
final class JournalWriter implements AutoCloseable {

    /**
     * The staging buffer's size: a few controlled reads' worth of records, so
     * that one write per read takes them all, while a big record
     * (above 256 KiB) goes straight from the ring.
     */
    static final int STAGE_BYTES = 256 << 10;

    private final JournalSink sink;
    private final CRC32C crc = new CRC32C();
    /** Frames staged for the next write, from index 0 to the position (always in fill mode). */
    private ByteBuffer stage;
    /** A second view of {@code stage} for the writes, so that a failed write leaves the stage as it was. */
    private ByteBuffer out;
    /** The header of a frame written straight from the caller's buffer. */
    private final ByteBuffer header =
            ByteBuffer.allocateDirect(JournalFormat.FRAME_HEADER_LENGTH).order(JournalFormat.ORDER);
    /** The journal's length as far as writes have completed: the magic and whole frames. */
    private long end;
    private long frames;
    private long payloadBytes;
    private long stagedFrames;
    private long stagedBytes;
    private long writes;
    private long failedWrites;
    private long refused;
    private IOException failure;
    /** Stages each record; refuses (ABORT) one it cannot stage because a write failed. */
    private final ControlledRecordHandler handler = payload -> offer(payload)
            ? ControlledRecordHandler.Action.CONTINUE : ControlledRecordHandler.Action.ABORT;

    /**
     * A writer of a fresh journal into {@code sink}, which must be empty; the
     * magic is staged, to go out with the first write.
     *
     * @param stageBytes the staging buffer's size, at least {@link JournalFormat#MAGIC}'s
     */
    JournalWriter(JournalSink sink, int stageBytes) {
        if (stageBytes < JournalFormat.MAGIC.length) {
            throw new IllegalArgumentException("a staging buffer of " + stageBytes + " bytes cannot hold the magic");
        }
        this.sink = sink;
        stageBuffer(stageBytes);
        stage.put(JournalFormat.MAGIC);
    }

    /**
     * A writer that goes on with a journal in {@code sink} whose first
     * {@code held.fileBytes()} bytes are the magic and whole frames, as
     * {@link JournalVerifier#resume(Path)} found them; the sink holds nothing
     * past them ({@link JournalSink#resume}). Frames go on after them, and its
     * counts start from theirs. A journal with not even the whole magic is
     * started afresh.
     *
     * @param stageBytes the staging buffer's size, at least {@link JournalFormat#MAGIC}'s
     */
    JournalWriter(JournalSink sink, int stageBytes, JournalVerifier.Totals held) {
        this(sink, stageBytes);
        if (held.fileBytes() >= JournalFormat.MAGIC.length) {
            stage.clear(); // the magic is there already
            end = held.fileBytes();
            frames = held.frames();
            payloadBytes = held.payloadBytes();
        }
    }

    /**
     * Creates (or truncates) {@code path} and returns a writer for it, with a
     * staging buffer of {@link #STAGE_BYTES}.
     *
     * @throws IOException if the file cannot be created or opened for writing
     */
    static JournalWriter create(Path path) throws IOException {
        final JournalSink sink = JournalSink.create(path);
        try {
            return new JournalWriter(sink, STAGE_BYTES);
        } catch (RuntimeException | Error e) {
            sink.close();
            throw e;
        }
    }

    /**
     * The handler for a controlled read of a ring:
     * {@link #offer(dev.logbuf.queue.Payload) offers} each record and answers
     * {@link ControlledRecordHandler.Action#CONTINUE CONTINUE} when it is
     * staged (or written), {@link ControlledRecordHandler.Action#ABORT ABORT}
     * when it was refused, which leaves it in the ring and ends the read.
     * Flush after each read.
     */
    ControlledRecordHandler handler() {
        return handler;
    }

    /**
     * Takes a record of a ring, handed to a read's handler or claimed (a
     * {@link ReadClaim} is a {@link dev.logbuf.queue.Payload}): offers the
     * bytes its NIO view frames, {@link dev.logbuf.queue.Payload#buffer()},
     * as {@link #offer(ByteBuffer)} does, and leaves the view's position where
     * it was, so that a refused record can be offered again as it is.
     *
     * @param record the record, 1 to {@link JournalFormat#MAX_PAYLOAD_LENGTH} bytes
     * @return {@code true} if the writer took the record (the caller may
     *         release it now); {@code false} if a write failed before it could
     *         be taken ({@link #failure()} says why): the record must stay
     *         with the caller
     * @throws IllegalArgumentException if the record is too long
     * @throws IllegalStateException if the record is no longer valid
     */
    boolean offer(dev.logbuf.queue.Payload record) {
        final ByteBuffer view = record.buffer();
        final int start = view.position();
        try {
            return offer(view);
        } finally {
            view.position(start); // the copy, or a write straight from the ring, moved it
        }
    }

    /**
     * Takes the record between {@code payload}'s position and limit: stages
     * its frame, writing out what is staged first when there is no room.
     *
     * @param payload the record, 1 to {@link JournalFormat#MAX_PAYLOAD_LENGTH} bytes; its
     *        position is at its limit afterwards if the record was taken
     * @return {@code true} if the writer took the record (the caller may
     *         release it now); {@code false} if a write failed before it could
     *         be taken ({@link #failure()} says why): the record must stay
     *         with the caller
     * @throws IllegalArgumentException if the record is empty or too long
     */
    boolean offer(ByteBuffer payload) {
        final int length = payload.remaining();
        checkLength(length);
        if (JournalFormat.FRAME_HEADER_LENGTH + length > stage.remaining()) {
            if (!flush()) {
                refused++;
                return false;
            }
            if (JournalFormat.FRAME_HEADER_LENGTH + length > stage.remaining()) {
                if (!writeFrame(length, payload)) {
                    refused++;
                    return false;
                }
                return true;
            }
        }
        stageFrame(length, payload);
        stagedFrames++;
        stagedBytes += length;
        return true;
    }

    /**
     * Writes everything staged, at the journal's end. If the write fails, the
     * staged bytes stay staged, to be written again, at the same place, by
     * the next call.
     *
     * @return {@code true} if nothing is staged now; {@code false} if the
     *         write failed ({@link #failure()} says why)
     */
    boolean flush() {
        final int staged = stage.position();
        if (staged == 0) {
            return true;
        }
        final ByteBuffer out = this.out;
        out.limit(staged).position(0);
        final long at = end;
        try {
            while (out.hasRemaining()) {
                writes++;
                sink.write(out, at + out.position());
            }
        } catch (IOException e) {
            failed(e);
            return false;
        }
        failure = null;
        end = at + staged;
        stage.clear();
        frames += stagedFrames;
        payloadBytes += stagedBytes;
        stagedFrames = 0;
        stagedBytes = 0;
        return true;
    }

    /**
     * Stages one frame and writes it with whatever else is staged.
     *
     * @param payload the record, as for {@link #offer(ByteBuffer)}
     * @throws IOException if the write fails; the record was not taken, or
     *         is staged and will go out with the next successful flush
     */
    void append(ByteBuffer payload) throws IOException {
        if (!offer(payload) || !flush()) {
            throw failure;
        }
    }

    /**
     * Stages the trailer, the producers' own counts, which a verifier
     * compares with the frames; {@link #flush()} writes it. The staging buffer
     * grows for a trailer that does not fit (thousands of producers), once.
     *
     * @param records records sent, by producer id
     * @param bytes payload bytes sent, by producer id
     */
    void stageTrailer(long[] records, long[] bytes) {
        final int producers = records.length;
        final ByteBuffer summary =
                ByteBuffer.allocate(JournalFormat.summaryLength(producers)).order(JournalFormat.ORDER);
        summary.putInt(producers);
        for (int p = 0; p < producers; p++) {
            summary.putLong(records[p]).putLong(bytes[p]);
        }
        summary.flip();
        final int frameBytes = JournalFormat.FRAME_HEADER_LENGTH + summary.remaining();
        if (frameBytes > stage.remaining()) {
            final ByteBuffer staged = stage.flip();
            stageBuffer(staged.remaining() + frameBytes);
            stage.put(staged);
        }
        stageFrame(-summary.remaining(), summary);
    }

    /**
     * Stages the trailer and writes it with whatever else is staged.
     *
     * @throws IOException if the write fails (once: no retry)
     */
    void finish(long[] records, long[] bytes) throws IOException {
        stageTrailer(records, bytes);
        if (!flush()) {
            throw failure;
        }
    }

    /** The last write's failure, or {@code null} if it succeeded (or there was none). */
    IOException failure() {
        return failure;
    }

    /** Frames in the journal so far: written, the trailer not counted. */
    long frames() {
        return frames;
    }

    /** RecordPattern bytes of those frames. */
    long payloadBytes() {
        return payloadBytes;
    }

    /** Frames taken but not written yet (the trailer not counted). */
    long stagedFrames() {
        return stagedFrames;
    }

    /** The journal's length so far: the bytes whose writes completed. */
    long length() {
        return end;
    }

    /** Write attempts so far, failed ones included. */
    long writes() {
        return writes;
    }

    /** Write attempts that failed. */
    long failedWrites() {
        return failedWrites;
    }

    /** Records refused because a write failed: left with the caller (in the ring) and offered again later. */
    long refused() {
        return refused;
    }

    /**
     * Closes the journal. If the last write failed, the journal is first cut
     * back to its last whole frame, so that a journal abandoned in a failure
     * ends at a frame boundary rather than in a torn frame.
     *
     * @throws IOException if the cut or the close fails
     */
    @Override
    public void close() throws IOException {
        try {
            if (failure != null) {
                sink.truncate(end);
            }
        } finally {
            sink.close();
        }
    }

    /** Copies a frame into the stage, which has room for it. */
    private void stageFrame(int lengthField, ByteBuffer payload) {
        final int start = payload.position();
        crc.reset();
        crc.update(payload); // consumes the buffer: rewind it for the copy
        payload.position(start);
        stage.putInt(lengthField).putInt((int) crc.getValue()).put(payload);
    }

    /**
     * Writes a frame too big for the stage straight from {@code payload}, at
     * the journal's end (nothing is staged: the caller flushed); header and
     * payload in two writes, which a retry repeats whole.
     */
    private boolean writeFrame(int length, ByteBuffer payload) {
        final int start = payload.position();
        crc.reset();
        crc.update(payload);
        payload.position(start);
        final ByteBuffer header = this.header.clear();
        header.putInt(length).putInt((int) crc.getValue()).flip();
        final long at = end;
        try {
            while (header.hasRemaining()) {
                writes++;
                sink.write(header, at + header.position());
            }
            final long payloadAt = at + JournalFormat.FRAME_HEADER_LENGTH - start;
            while (payload.hasRemaining()) {
                writes++;
                sink.write(payload, payloadAt + payload.position());
            }
        } catch (IOException e) {
            failed(e);
            return false;
        }
        failure = null;
        end = at + JournalFormat.FRAME_HEADER_LENGTH + length;
        frames++;
        payloadBytes += length;
        return true;
    }

    private void failed(IOException e) {
        failedWrites++;
        failure = e;
    }

    private void stageBuffer(int bytes) {
        stage = ByteBuffer.allocateDirect(bytes).order(JournalFormat.ORDER);
        out = stage.duplicate();
    }

    private static void checkLength(int length) {
        if (length < 1 || length > JournalFormat.MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("payload length " + length + " is outside 1.."
                    + JournalFormat.MAX_PAYLOAD_LENGTH);
        }
    }
}
