package dev.logbuf.ipc;

import dev.logbuf.queue.Payload;
import dev.logbuf.queue.RecordHandler;

/**
 * A consumer's check of every record it reads: well-formed (length, content,
 * checksum, see {@link RecordFormat}) and next in its producer's order (see
 * {@link Tally}). Usable as the handler of a batch read, or record by record
 * (a {@link dev.logbuf.queue.ReadClaim} is a {@link Payload}).
 */
final class RecordChecker implements RecordHandler {

    private final RecordFormat format;
    private final Tally tally = new Tally();

    RecordChecker(long seed) {
        this.format = new RecordFormat(seed);
    }

    @Override
    public void onRecord(Payload payload) {
        check(payload);
    }

    /**
     * Checks one record and counts it. A malformed record is a fault and is
     * not counted for any producer (its id may be garbage).
     *
     * @return whether the record was well-formed; {@link #id()},
     *         {@link #sequence()} and {@link #length()} describe it
     */
    boolean check(Payload payload) {
        final String wrong = format.check(payload);
        if (wrong != null) {
            tally.fault(wrong);
            return false;
        }
        tally.accept(format.id(), format.sequence(), format.length());
        return true;
    }

    int id() {
        return format.id();
    }

    long sequence() {
        return format.sequence();
    }

    int length() {
        return format.length();
    }

    Tally tally() {
        return tally;
    }
}
