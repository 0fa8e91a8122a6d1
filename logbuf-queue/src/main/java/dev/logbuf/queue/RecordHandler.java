package dev.logbuf.queue;

import java.nio.ByteBuffer;

/**
 * Receives the records of a batch read, {@link Consumer#read(RecordHandler, int)}.
 *
 * <p>WARNING: the handler runs on the consumer's thread while the batch holds
 * its records. It must not keep {@code payload} past its return (the bytes are
 * zeroed and reused), and must not call the consumer that invoked it.
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * Handles one record.
     *
     * @param payload a read-only, little-endian view whose position..limit is
     *        the record's payload; reused for every record, valid only during
     *        this call. Absolute indexes count from the start of the ring's
     *        record region: read relative to {@code payload.position()}.
     */
    void onRecord(ByteBuffer payload);
}
