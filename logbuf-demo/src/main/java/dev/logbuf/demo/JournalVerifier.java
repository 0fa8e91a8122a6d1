package dev.logbuf.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads a journal back and checks every frame, stopping at the first problem.
 *
 * <p>Checked, in file order: the magic; each frame's length against the
 * bounds and the bytes left in the file; its CRC32C; its tag (each producer's
 * sequence numbers must run 0, 1, 2, … with no gap, repeat or reordering);
 * its filler ({@link RecordPattern}); then the trailer's checksum and counts against
 * what the frames hold, that nothing follows the trailer, and — when the
 * caller knows them — the producers' own totals.
 *
 * <p>{@link #resume(Path)} reads a journal whose writer stopped part-way (an
 * archiver that was killed) the same way, up to its last whole frame, so that
 * another writer can go on with it.
 *
 * <p>Frames are numbered from 1 in messages; offsets are byte offsets in the
 * file. The file is streamed through one direct buffer; a frame longer than
 * the buffer grows it, but never past what the file can still hold.
 */
final class JournalVerifier implements AutoCloseable {

    /**
     * What a verified journal holds: its frames, their payload bytes, the
     * bytes verified (the whole file; for {@link #resume(Path)}, the magic and
     * the whole frames), and the records and payload bytes of each producer.
     *
     * @param complete whether the journal ends with its trailer (always, from {@code verify})
     */
    record Totals(long frames, long payloadBytes, long fileBytes, int producers,
                  long[] records, long[] bytes, boolean complete) {
    }

    private static final int BUFFER_BYTES = 1 << 20;
    private static final int MAX_BUFFER_BYTES = JournalFormat.FRAME_HEADER_LENGTH + JournalFormat.MAX_PAYLOAD_LENGTH;

    private final FileChannel file;
    private final long fileBytes;
    /** Whether a journal without its trailer is read up to its last whole frame, rather than refused. */
    private final boolean resuming;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(JournalFormat.ORDER).limit(0);
    /** The file offset of {@code buffer}'s index 0. */
    private long bufferStart;

    private JournalVerifier(FileChannel file, boolean resuming) throws IOException {
        this.file = file;
        this.fileBytes = file.size();
        this.resuming = resuming;
    }

    /**
     * Verifies the journal at {@code path} on its own evidence: checksums,
     * order, and the trailer's counts.
     *
     * @throws IOException if the file cannot be read
     * @throws CorruptJournalException at the first frame that does not verify
     */
    static Totals verify(Path path) throws IOException, CorruptJournalException {
        return verify(path, null, null);
    }

    /**
     * Verifies the journal at {@code path}, and that producer {@code p} sent
     * exactly {@code records[p]} records of {@code bytes[p]} payload bytes
     * (both {@code null} to skip that check).
     *
     * @throws IOException if the file cannot be read
     * @throws CorruptJournalException at the first frame or total that does not verify
     */
    static Totals verify(Path path, long[] records, long[] bytes) throws IOException, CorruptJournalException {
        try (JournalVerifier verifier = new JournalVerifier(FileChannel.open(path, StandardOpenOption.READ), false)) {
            final Totals totals = verifier.run();
            if (records != null) {
                ProducerOrder.compare(totals.records(), totals.bytes(), records, bytes, "the journal",
                        "the producers sent");
            }
            return totals;
        }
    }

    /**
     * Reads a journal to go on with it: checks every whole frame as
     * {@link #verify(Path)} does, and stops where the file ends without a
     * trailer, or in a frame cut short (a write that never finished), rather
     * than calling that truncated. The totals name the whole frames; their
     * {@code fileBytes} is where the next frame goes.
     *
     * @return what the journal's whole frames hold; {@code complete()} if it
     *         ends with its trailer (then there is nothing to go on with)
     * @throws IOException if the file cannot be read
     * @throws CorruptJournalException at the first whole frame that does not verify
     */
    static Totals resume(Path path) throws IOException, CorruptJournalException {
        try (JournalVerifier verifier = new JournalVerifier(FileChannel.open(path, StandardOpenOption.READ), true)) {
            return verifier.run();
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private Totals run() throws IOException, CorruptJournalException {
        final byte[] magic = new byte[JournalFormat.MAGIC.length];
        if (!ensure(magic.length)) {
            if (resuming && JournalFormat.isMagicPrefix(buffer)) { // the first write never finished
                return totals(new ProducerOrder(false), 0, false);
            }
            throw new CorruptJournalException("not a logbuf journal: " + fileBytes + " bytes, shorter than the "
                    + magic.length + "-byte magic");
        }
        buffer.get(magic);
        if (!Arrays.equals(magic, JournalFormat.MAGIC)) {
            throw new CorruptJournalException("not a logbuf journal: the file does not start with \"LBJOURN1\"");
        }
        final ProducerOrder order = new ProducerOrder(false);
        long frames = 0;
        for (;;) {
            final long at = offset();
            final long frame = frames + 1;
            if (!ensure(JournalFormat.FRAME_HEADER_LENGTH)) {
                if (resuming) {
                    return totals(order, at, false);
                }
                if (buffer.hasRemaining()) {
                    throw new CorruptJournalException("truncated: frame #" + frame + " at offset " + at
                            + " has " + buffer.remaining() + " of its " + JournalFormat.FRAME_HEADER_LENGTH
                            + " header bytes");
                }
                throw new CorruptJournalException("truncated: the journal ends after frame #" + frames
                        + " (offset " + at + ") without its trailer");
            }
            final int length = buffer.getInt();
            final int storedCrc = buffer.getInt();
            if (length < 0) {
                if (resuming && -(long) length > fileBytes - offset()) {
                    return totals(order, at, false); // a trailer cut short
                }
                final long[][] summary = trailer(at, length, storedCrc);
                order.compare(summary[0], summary[1], "the journal", "the trailer records");
                // a producer the trailer names with no records is one of the journal's producers too
                return totals(order, fileBytes, true, Math.max(order.producers(), summary[0].length));
            }
            if (length == 0 || length > JournalFormat.MAX_PAYLOAD_LENGTH) {
                throw new CorruptJournalException("frame #" + frame + " at offset " + at
                        + ": impossible length " + length);
            }
            final long left = fileBytes - offset();
            if (length > left && resuming) {
                return totals(order, at, false); // a write cut short
            }
            if (length > left) {
                throw new CorruptJournalException("frame #" + frame + " at offset " + at + ": length " + length
                        + " runs past the end of the file (" + left + " bytes left): truncated or corrupt");
            }
            ensure(length);
            final int start = buffer.position();
            final int computedCrc = checksum(length);
            if (computedCrc != storedCrc) {
                throw new CorruptJournalException(String.format(
                        "frame #%d at offset %d: checksum mismatch (stored %08x, computed %08x over %d bytes)",
                        frame, at, storedCrc, computedCrc, length));
            }
            order.check(buffer, start, length, "frame #" + frame + " at offset " + at);
            frames = frame;
        }
    }

    /** What {@code order} counted; {@code fileBytes} verified; whether the trailer was there. */
    private static Totals totals(ProducerOrder order, long fileBytes, boolean complete) {
        return totals(order, fileBytes, complete, order.producers());
    }

    private static Totals totals(ProducerOrder order, long fileBytes, boolean complete, int producers) {
        return new Totals(order.records(), order.payloadBytes(), fileBytes, producers,
                order.recordsByProducer(producers), order.bytesByProducer(producers), complete);
    }

    /** Reads and checks the trailer whose header is at {@code at}; returns {records, bytes} by producer. */
    private long[][] trailer(long at, int lengthField, int storedCrc) throws IOException, CorruptJournalException {
        final long length = -(long) lengthField;
        if (length < JournalFormat.summaryLength(0) || length > JournalFormat.summaryLength(RecordPattern.MAX_PRODUCERS)) {
            throw new CorruptJournalException("trailer at offset " + at + ": impossible length " + length);
        }
        if (!ensure((int) length)) {
            throw new CorruptJournalException("truncated: the trailer at offset " + at + " has " + buffer.remaining()
                    + " of its " + length + " bytes");
        }
        final int start = buffer.position();
        final int computedCrc = checksum((int) length);
        if (computedCrc != storedCrc) {
            throw new CorruptJournalException(String.format(
                    "trailer at offset %d: checksum mismatch (stored %08x, computed %08x)", at, storedCrc, computedCrc));
        }
        final int producers = buffer.getInt(start);
        if (producers < 0 || JournalFormat.summaryLength(producers) != length) {
            throw new CorruptJournalException("trailer at offset " + at + ": " + producers
                    + " producers do not fit its " + length + " bytes");
        }
        final long[] records = new long[producers];
        final long[] bytes = new long[producers];
        for (int p = 0; p < producers; p++) {
            final int entry = start + JournalFormat.summaryLength(p);
            records[p] = buffer.getLong(entry);
            bytes[p] = buffer.getLong(entry + Long.BYTES);
        }
        if (ensure(1)) {
            throw new CorruptJournalException("trailer at offset " + at + " is followed by "
                    + (fileBytes - offset()) + " more bytes");
        }
        return new long[][] {records, bytes};
    }

    /** CRC32C of the next {@code length} buffered bytes, which it consumes. */
    private int checksum(int length) {
        final int limit = buffer.limit();
        buffer.limit(buffer.position() + length);
        crc.reset();
        crc.update(buffer);
        buffer.limit(limit);
        return (int) crc.getValue();
    }

    /** The file offset of the next unread byte. */
    private long offset() {
        return bufferStart + buffer.position();
    }

    /**
     * Makes at least {@code n} unread bytes available in the buffer, reading
     * (and growing the buffer) as needed.
     *
     * @return false if the file ends first; the buffer then holds what was left
     */
    private boolean ensure(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return true;
        }
        bufferStart += buffer.position();
        if (buffer.capacity() < n) {
            final ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(n, Math.min(2 * buffer.capacity(), MAX_BUFFER_BYTES)))
                    .order(JournalFormat.ORDER);
            bigger.put(buffer);
            buffer = bigger;
        } else {
            buffer.compact();
        }
        while (buffer.position() < n) {
            if (file.read(buffer) < 0) {
                break;
            }
        }
        buffer.flip();
        return buffer.remaining() >= n;
    }
}
