package dev.logbuf.queue;

/**
 * Receives the records of a batch read, {@link Consumer#read(RecordHandler, int)}.
 *
 * <pre>{@code
 * int read = consumer.read(payload -> {
 *     long timestamp = payload.getLong(0);           // indexes count from the payload's first byte
 *     payload.getUtf8Prefixed(8, line.append(timestamp).append(' '));
 * }, 256);
 * }</pre>
 *
 * <p>Each record comes as a {@link Payload}: its getters count from the
 * record's first byte, as a {@link WriteClaim}'s puts do, and
 * {@link Payload#buffer()} is the NIO view for transfers
 * ({@code fileChannel.write(payload.buffer())}).
 *
 * <p>A batch's records stay in place until the batch ends: after the last one,
 * {@link #onBatchEnd()} is called, then the consumer zeroes and releases them
 * all at once. So a handler may note each record's place in the ring (its
 * {@code buffer()}'s position and limit) and read them all at the end of the
 * batch through a view of its own (a {@code duplicate()} of the view, made
 * once), for example to write a whole batch to a file in one gathering
 * write; the view's indexes are ring coordinates, and
 * {@link Utf8#decode(java.nio.ByteBuffer, int, int, StringBuilder)} decodes
 * text by them.
 *
 * <p>WARNING: the handler runs on the consumer's thread while the batch holds
 * its records. The {@code payload} is one flyweight, reused for every record,
 * and valid until the read returns; nothing of the batch may be read after
 * {@code onBatchEnd} returns (the bytes are zeroed and reused). The handler
 * must not call the consumer (or the channel's receiver) that invoked it.
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * Handles one record.
     *
     * @param payload the record, read in place; indexes count from its first
     *        byte. Reused for every record of the read.
     */
    void onRecord(Payload payload);

    /**
     * Called once after the last record of a batch that handed at least one
     * record, while every record of the batch is still in place. Not called
     * when {@link #onRecord} threw. The default does nothing.
     */
    default void onBatchEnd() {
    }
}
