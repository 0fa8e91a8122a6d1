package dev.logbuf.testkit;

/**
 * One step of a single-threaded operation sequence. Every sequence is valid: a
 * step that does not apply in the current state (committing without an open
 * claim, reading while a record is held) does nothing, in the model and in the
 * ring alike. So any part of a failing sequence is itself a sequence, which is
 * what lets jqwik shrink a counterexample to the few steps that matter.
 *
 * <p>{@code toString} is the notation a shrunk counterexample is printed in:
 * {@code p1.claim(toWrap+1)}, {@code p0.write}, {@code p0.commit},
 * {@code read}, {@code release}, {@code batch(3)}.
 */
public sealed interface Op {

    /**
     * Producer {@code producer} claims a length given by {@code length}.
     *
     * @param producer the producer's index
     * @param length the length, possibly relative to the ring's state
     */
    record Claim(int producer, Length length) implements Op {
        @Override
        public String toString() {
            return "p" + producer + ".claim(" + length + ")";
        }
    }

    /**
     * Producer {@code producer} fills its open claim with a recognisable pattern.
     *
     * @param producer the producer's index
     */
    record Write(int producer) implements Op {
        @Override
        public String toString() {
            return "p" + producer + ".write";
        }
    }

    /**
     * Producer {@code producer} commits its open claim.
     *
     * @param producer the producer's index
     */
    record Commit(int producer) implements Op {
        @Override
        public String toString() {
            return "p" + producer + ".commit";
        }
    }

    /**
     * Producer {@code producer} aborts its open claim.
     *
     * @param producer the producer's index
     */
    record Abort(int producer) implements Op {
        @Override
        public String toString() {
            return "p" + producer + ".abort";
        }
    }

    /**
     * Producer {@code producer} closes its open claim without committing (an abort).
     *
     * @param producer the producer's index
     */
    record Close(int producer) implements Op {
        @Override
        public String toString() {
            return "p" + producer + ".close";
        }
    }

    /** The consumer's {@code tryClaim}. */
    record Read() implements Op {
        @Override
        public String toString() {
            return "read";
        }
    }

    /** The consumer releases (closes) the record it holds. */
    record Release() implements Op {
        @Override
        public String toString() {
            return "release";
        }
    }

    /**
     * The consumer's batch read of at most {@code limit} records.
     *
     * @param limit the most records
     */
    record Batch(int limit) implements Op {
        @Override
        public String toString() {
            return "batch(" + limit + ")";
        }
    }

    /**
     * A claim length, fixed or relative to where the tail is when the claim is made.
     *
     * @param kind what the length is
     * @param value the length, for {@link Kind#FIXED}
     */
    record Length(Kind kind, int value) {

        /** What a length is relative to. */
        public enum Kind {
            /** {@code value} bytes. */
            FIXED,
            /** Exactly the space up to the end of the ring: fits without padding. */
            TO_WRAP,
            /** One byte more than {@link #TO_WRAP}: needs wrap padding. */
            PAST_WRAP,
            /** The ring's {@code maxRecordLength}. */
            MAX
        }

        /**
         * The length for a ring in the state {@code model} describes.
         *
         * @param model the ring's model
         * @return the payload length, within 1..maxRecordLength
         */
        public int resolve(RingModel model) {
            return switch (kind) {
                case FIXED -> Math.min(value, model.maxRecordLength());
                case TO_WRAP -> model.lengthToWrap();
                case PAST_WRAP -> Math.min(model.maxRecordLength(), model.lengthToWrap() + 1);
                case MAX -> model.maxRecordLength();
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case FIXED -> Integer.toString(value);
                case TO_WRAP -> "toWrap";
                case PAST_WRAP -> "toWrap+1";
                case MAX -> "max";
            };
        }
    }
}
