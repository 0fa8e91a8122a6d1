package dev.logbuf.testkit;

import dev.logbuf.queue.RecordHandler;

/** The consumer of a {@link RingUnderTest}: used by one thread at a time. */
public interface ConsumerUnderTest {

    /**
     * One attempt to take the next committed record.
     *
     * @return the record, open until {@link RecordUnderTest#close()}; or
     *         {@code null} when none is committed; must not wait
     */
    RecordUnderTest tryClaim();

    /**
     * Hands up to {@code limit} committed records to {@code handler} and releases them.
     *
     * @param handler receives each payload (a view valid during the call only)
     * @param limit the most records to read
     * @return how many records the handler received
     */
    int read(RecordHandler handler, int limit);
}
