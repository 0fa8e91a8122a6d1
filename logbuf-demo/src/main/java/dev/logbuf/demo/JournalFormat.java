package dev.logbuf.demo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The journal file's layout; nothing else knows it.
 *
 * <pre>
 *  file     := magic frame* trailer
 *  magic    := "LBJOURN1"                                   8 bytes, ASCII
 *  frame    := length:int32  crc:int32  payload[length]     length in 1..2^30
 *  trailer  := -n:int32      crc:int32  summary[n]          a negative length marks it
 *  summary  := producers:int32  (records:int64  bytes:int64) * producers
 *
 *   0        4        8                                8 + length
 *   +--------+--------+--------------------------------+
 *   | length | crc32c |  payload (exactly as sent)     |  next frame …
 *   +--------+--------+--------------------------------+
 * </pre>
 *
 * <p>Every integer is little-endian (the ring's own byte order). The checksum
 * is CRC32C ({@link java.util.zip.CRC32C}) of the payload (or summary) alone.
 * Frames follow each other with no padding. The trailer is written once,
 * after the last record, from the producers' own counts: a journal without
 * one is incomplete. A record's payload is described by {@link RecordPattern}.
 */
final class JournalFormat {

    /** The first eight bytes of every journal. */
    static final byte[] MAGIC = "LBJOURN1".getBytes(StandardCharsets.US_ASCII);
    /** Byte order of every integer in the file. */
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Bytes before each payload: the length and the checksum. */
    static final int FRAME_HEADER_LENGTH = 8;
    /** The longest payload a frame may carry: the largest ring's {@code maxRecordLength()}. */
    static final int MAX_PAYLOAD_LENGTH = (1 << 30) - 8;
    /** Summary bytes before the per-producer counts. */
    static final int SUMMARY_HEADER_LENGTH = Integer.BYTES;
    /** Summary bytes per producer: records and payload bytes. */
    static final int SUMMARY_ENTRY_LENGTH = 2 * Long.BYTES;

    private JournalFormat() {
    }

    /** Whether the bytes between {@code buffer}'s position and limit are the magic's first bytes (or none). */
    static boolean isMagicPrefix(ByteBuffer buffer) {
        final int length = buffer.remaining();
        return length <= MAGIC.length
                && buffer.duplicate().equals(ByteBuffer.wrap(MAGIC, 0, length));
    }

    /** The summary length for {@code producers} producers. */
    static int summaryLength(int producers) {
        return SUMMARY_HEADER_LENGTH + producers * SUMMARY_ENTRY_LENGTH;
    }
}
