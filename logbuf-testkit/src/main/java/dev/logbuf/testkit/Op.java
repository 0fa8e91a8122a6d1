package dev.logbuf.testkit;

import dev.logbuf.queue.ControlledRecordHandler;
import java.time.Duration;
import java.util.List;

/**
 * One step of a single-threaded operation sequence. Every sequence is valid: a
 * step that does not apply in the current state (committing without an open
 * claim, reading while a record is held) does nothing, in the model and in the
 * ring alike. So any part of a failing sequence is itself a sequence, which is
 * what lets jqwik shrink a counterexample to the few steps that matter.
 *
 * <p>{@code toString} is the notation a shrunk counterexample is printed in:
 * {@code p1.claim(toWrap+1)}, {@code p0.write}, {@code p0.commit},
 * {@code read}, {@code release}, {@code batch(3)}, {@code putBack},
 * {@code controlled(3: COMMIT CONTINUE ABORT; p0.claim(24)@1)},
 * {@code p0.send(24, 2ms)}.
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
     * The consumer puts back the record it holds ({@link RecordUnderTest#putBack()}):
     * the record stays in the ring, to be handed out again.
     *
     * @param thenClose whether {@link RecordUnderTest#close()} follows the
     *        put-back (it must do nothing)
     */
    record PutBack(boolean thenClose) implements Op {
        @Override
        public String toString() {
            return thenClose ? "putBack+close" : "putBack";
        }
    }

    /**
     * The consumer's controlled read of at most {@code limit} records
     * ({@link ConsumerUnderTest#controlledRead}): the handler answers the
     * {@code i}-th record it is handed with {@code replies.get(i)}
     * ({@link Reply#CONTINUE} past the end of the list). Before it answers
     * record {@code probeAt} (if the read gets that far), producer
     * {@code probeProducer} claims {@code probe} bytes, writes and commits
     * them if the claim succeeds: a claim inside the read, whose outcome
     * shows whether the records given back by a {@code COMMIT} really are
     * free again (and zeroed), and whether anything else was released early.
     *
     * @param limit the most records to consume
     * @param replies the handler's answer to each record, in order
     * @param probeAt the record before whose answer the probe claims, or -1 for no probe
     * @param probeProducer the producer that claims inside the read
     * @param probe the probe's length
     */
    record Controlled(int limit, List<Reply> replies, int probeAt, int probeProducer, Length probe) implements Op {

        /**
         * Copies the list.
         *
         * @param limit the most records to consume
         * @param replies the handler's answer to each record, in order
         * @param probeAt the record before whose answer the probe claims, or -1 for no probe
         * @param probeProducer the producer that claims inside the read
         * @param probe the probe's length
         */
        public Controlled {
            replies = List.copyOf(replies);
        }

        /**
         * The handler's answer to the {@code index}-th record it is handed.
         *
         * @param index the record's index in this read, from 0
         * @return the answer
         */
        public Reply reply(int index) {
            return index < replies.size() ? replies.get(index) : Reply.CONTINUE;
        }

        @Override
        public String toString() {
            final StringBuilder sb = new StringBuilder("controlled(").append(limit).append(':');
            replies.forEach(r -> sb.append(' ').append(r));
            if (probeAt >= 0) {
                sb.append("; p").append(probeProducer).append(".claim(").append(probe).append(")@").append(probeAt);
            }
            return sb.append(')').toString();
        }
    }

    /** What a controlled read's handler answers for one record. */
    enum Reply {
        /** {@code Action.CONTINUE}: consume it, go on. */
        CONTINUE,
        /** {@code Action.BREAK}: consume it, stop. */
        BREAK,
        /** {@code Action.ABORT}: leave it in the ring, stop. */
        ABORT,
        /** {@code Action.COMMIT}: consume it, give back everything consumed so far now, go on. */
        COMMIT,
        /** The handler throws: the record stays in the ring (as {@code ABORT}), the exception propagates. */
        THROW,
        /** The handler returns {@code null}: as {@link #THROW}, with a {@link NullPointerException}. */
        NULL;

        /**
         * The action the handler returns.
         *
         * @return the action; {@code null} for {@link #THROW} and {@link #NULL}
         */
        public ControlledRecordHandler.Action action() {
            return switch (this) {
                case CONTINUE -> ControlledRecordHandler.Action.CONTINUE;
                case BREAK -> ControlledRecordHandler.Action.BREAK;
                case ABORT -> ControlledRecordHandler.Action.ABORT;
                case COMMIT -> ControlledRecordHandler.Action.COMMIT;
                case THROW, NULL -> null;
            };
        }

        /**
         * Whether the record answered so is consumed.
         *
         * @return true for {@code CONTINUE}, {@code BREAK} and {@code COMMIT}
         */
        public boolean consumes() {
            return this == CONTINUE || this == BREAK || this == COMMIT;
        }
    }

    /**
     * Producer {@code producer}, a channel's sender, claims with
     * {@link SenderUnderTest#send(int)} or {@link SenderUnderTest#send(int, Duration)}
     * as {@code waiting} says. Only for channels; an untimed send applies only
     * when the ring has room (with none, single-threaded, it would wait for ever).
     *
     * @param producer the sender's index
     * @param length the length, possibly relative to the ring's state
     * @param waiting how the send waits, and whether the thread's interrupt status is set first
     */
    record Send(int producer, Length length, Wait waiting) implements Op {
        @Override
        public String toString() {
            return "p" + producer + ".send(" + length + waiting + ")";
        }
    }

    /** How a {@link Send} waits. */
    enum Wait {
        /** {@code send(length)}; applies only when the ring has room. */
        UNTIMED(null, false),
        /** {@code send(length, -1 ms)}: one attempt. */
        NEGATIVE(Duration.ofMillis(-1), false),
        /** {@code send(length, 0)}: one attempt. */
        ZERO(Duration.ZERO, false),
        /** {@code send(length, 2 ms)}: gives up after 2 ms on a full ring. */
        SHORT(Duration.ofMillis(2), false),
        /** {@code send(length)} with the interrupt status set; applies only when the ring has room. */
        INTERRUPTED(null, true),
        /**
         * {@code send(length, 2 s)} with the interrupt status set: claims when
         * there is room (leaving the status set), else throws
         * {@link InterruptedException} (clearing it) long before the 2 s.
         */
        INTERRUPTED_TIMED(Duration.ofSeconds(2), true);

        private final Duration timeout;
        private final boolean interrupted;

        Wait(Duration timeout, boolean interrupted) {
            this.timeout = timeout;
            this.interrupted = interrupted;
        }

        /**
         * The timeout of a bounded send.
         *
         * @return the timeout, or {@code null} for an untimed send
         */
        public Duration timeout() {
            return timeout;
        }

        /**
         * Whether the thread's interrupt status is set before the send.
         *
         * @return true if it is
         */
        public boolean interrupted() {
            return interrupted;
        }

        @Override
        public String toString() {
            final String t = timeout == null ? ""
                    : ", " + (timeout.toMillis() >= 1000 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms");
            return t + (interrupted ? ", interrupted" : "");
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
