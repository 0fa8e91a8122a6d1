package dev.logbuf.queue;

import java.nio.ByteBuffer;

/**
 * Receives the records of a batch read, {@link Consumer#read(RecordHandler, int)}.
 *
 * <p>A batch's records stay in place until the batch ends: the consumer zeroes
 * and releases them all at once after {@link #onBatchEnd()} returns. So a
 * handler may note each payload's position and limit and read them all at the
 * end of the batch through a view of its own (a {@code duplicate()} of the
 * payload view, made once) — for example to write a whole batch to a file in
 * one gathering write. Text in a payload decodes without allocating through
 * {@link Utf8#decode(ByteBuffer, int, int, StringBuilder)}, which takes these
 * absolute indexes.
 *
 * <p>WARNING: the handler runs on the consumer's thread while the batch holds
 * its records. The {@code payload} view itself is reused for every record,
 * and nothing of the batch may be read after {@code onBatchEnd} returns (the
 * bytes are zeroed and reused). The handler must not call the consumer that
 * invoked it.
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * Handles one record.
     *
     * @param payload a read-only, little-endian view whose position..limit is
     *        the record's payload; reused for every record. Absolute indexes
     *        count from the start of the ring's record region, so the
     *        position and limit locate the record for the rest of the batch.
     */
    void onRecord(ByteBuffer payload);

    /**
     * Called once after the last record of a batch that handed at least one
     * record, while every record of the batch is still in place. Not called
     * when {@link #onRecord} threw. The default does nothing.
     */
    default void onBatchEnd() {
    }
}
