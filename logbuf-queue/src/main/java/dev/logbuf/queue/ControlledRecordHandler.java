package dev.logbuf.queue;

/**
 * Receives the records of a controlled batch read,
 * {@link Consumer#controlledRead(ControlledRecordHandler, int)}, and says
 * after each one how the read goes on.
 *
 * <p>The four {@linkplain Action actions} are those of Agrona's controlled
 * handlers. What happens to the record in hand:
 * <ul>
 * <li>{@link Action#CONTINUE}: it is consumed; the read goes on. Consumed
 *     records stay in place until the read ends or commits, then are zeroed
 *     and given back together, with one head store.
 * <li>{@link Action#BREAK}: it is consumed; the read stops and gives back
 *     everything it consumed.
 * <li>{@link Action#ABORT}: it is <em>not</em> consumed: it stays in the ring,
 *     unchanged, and is the first record the next read or claim hands out.
 *     The read stops; the records consumed before it are given back.
 * <li>{@link Action#COMMIT}: it is consumed, and everything consumed so far is
 *     given back now (the producers may reuse those bytes at once); the read
 *     goes on.
 * </ul>
 *
 * <p>A handler that throws, or returns {@code null}, is treated as if it had
 * aborted: the record it was given stays in the ring, the records it accepted
 * before are consumed and given back, and the exception propagates (a
 * {@link NullPointerException} for {@code null}). Nothing is lost; a record
 * that always makes the handler throw is offered again every time, so a
 * caller that wants to move past it must take it out another way (for example
 * {@link Consumer#tryClaim()} and {@link ReadClaim#close()}).
 *
 * <p>Each record comes as a {@link Payload}, whose getters count from the
 * record's first byte ({@code payload.getLong(0)}), as a {@link WriteClaim}'s
 * puts do.
 *
 * <p>WARNING: the handler runs on the consumer's thread while the read holds
 * its records. The {@code payload} is one flyweight, reused for every record;
 * the bytes of a consumed record may be read (through a view of the ring's
 * own) until the read ends or commits, never after (they are zeroed and
 * reused). The handler must not call the consumer (or the channel's
 * receiver) that invoked it.
 */
@FunctionalInterface
public interface ControlledRecordHandler {

    /** What a controlled read does after a record; see {@link ControlledRecordHandler}. */
    enum Action {
        /** Consume the record and stop; the consumed records are given back. */
        BREAK,
        /** Leave the record in the ring, unconsumed, and stop; it is handed out again next time. */
        ABORT,
        /** Consume the record, give back everything consumed so far now, and go on. */
        COMMIT,
        /** Consume the record and go on. */
        CONTINUE
    }

    /**
     * Handles one record and says what to do with it.
     *
     * @param payload the record, read in place; indexes count from its first
     *        byte. Reused for every record of the read.
     * @return what to do with this record and the read; not {@code null}
     */
    Action onRecord(Payload payload);
}
