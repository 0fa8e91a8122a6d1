package dev.logbuf.bench;

/**
 * One queue under test, seen the same way by every benchmark: producers offer
 * records through {@link Sender}s, one consumer drains them through a
 * {@link Receiver} that verifies each record.
 *
 * <p>Each JMH fork creates the subjects of one parameter value only, so every
 * call site through these interfaces sees one implementation and C2 inlines
 * it: the indirection costs nothing at run time. A new subject (for example
 * logbuf-channel's Sender/Receiver) is one more implementation of this
 * interface and one more name in {@link Subjects}.
 */
interface Subject {

    /** A producer handle for one thread; {@code producerId} is 0..{@link Verifier#MAX_PRODUCERS}-1. */
    Sender sender(int producerId);

    /** The consumer handle; every record it receives goes through {@code verifier}. */
    Receiver receiver(Verifier verifier);

    /** The producing side, used by one thread. */
    interface Sender {

        /**
         * Makes one attempt to send a record: {@code length} bytes of
         * {@code source}, whose first 8 bytes are replaced by {@code stamp}.
         *
         * @return false if the queue is full (nothing was sent)
         */
        boolean offer(byte[] source, int length, long stamp);
    }

    /** The consuming side, used by one thread. */
    interface Receiver {

        /**
         * Receives, verifies and releases up to {@code limit} records that are
         * waiting; never waits.
         *
         * @return the number of records received, 0 if none was waiting
         */
        int drain(int limit);

        /**
         * Receives, verifies and releases up to {@code limit} records, waiting
         * the subject's own way while none is there: a channel's parking
         * {@code read(handler, limit)}, so that its spin-then-park and a
         * commit's wake-up are part of what a benchmark measures
         * ({@link SendLatency}). Subjects without a waiting read of their own
         * (the queues, whose users poll {@link #drain} with an idle strategy)
         * do not have it.
         *
         * @return the number of records received, at least 1
         * @throws InterruptedException if the thread is interrupted while waiting
         * @throws UnsupportedOperationException if the subject has no waiting read
         */
        default int await(int limit) throws InterruptedException {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " has no waiting read");
        }

        /**
         * For a subject whose receiver parks (the channels): how many times it
         * has parked, and how many times a sender unparked it, so far; any
         * thread may ask (a snapshot). Null for the others.
         */
        default long[] parksAndWakeups() {
            return null;
        }
    }
}
