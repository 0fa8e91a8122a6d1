package dev.logbuf.bench;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.Payload;
import dev.logbuf.queue.Producer;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.WriteClaim;

/**
 * logbuf's {@code SpscQueue} or {@code MpscQueue}: claim, copy, commit on the
 * producing side; a batch {@code read(handler, limit)}, one {@code ReadClaim}
 * per record, or a {@code controlledRead} on the consuming side.
 */
final class LogbufSubject implements Subject {

    /** How the consumer reads. */
    enum Reads {
        /** {@code read(handler, limit)}. */
        BATCH,
        /** one {@code tryClaim()}/{@code close()} per record. */
        CLAIM,
        /** {@code controlledRead(handler, limit)}, the handler answering CONTINUE. */
        CONTROLLED
    }

    private final SpscQueue spsc;
    private final MpscQueue mpsc;
    private final Consumer consumer;
    private final Reads reads;

    LogbufSubject(int ringBytes, boolean multiProducer, Reads reads) {
        this.spsc = multiProducer ? null : SpscQueue.create(ringBytes);
        this.mpsc = multiProducer ? MpscQueue.create(ringBytes) : null;
        this.consumer = multiProducer ? mpsc.consumer() : spsc.consumer();
        this.reads = reads;
    }

    @Override
    public Sender sender(int producerId) {
        if (spsc != null && producerId != 0) {
            throw new IllegalStateException("an SPSC queue has one producer");
        }
        return new LogbufSender(spsc != null ? spsc.producer() : mpsc.newProducer());
    }

    @Override
    public Receiver receiver(Verifier verifier) {
        return switch (reads) {
            case BATCH -> new BatchReceiver(consumer, verifier);
            case CLAIM -> new ClaimReceiver(consumer, verifier);
            case CONTROLLED -> new ControlledReceiver(consumer, verifier);
        };
    }

    /** Claim, copy, stamp, commit; also the shared rings' sender ({@link SharedSubject}). */
    static final class LogbufSender implements Sender {
        final Producer producer;

        LogbufSender(Producer producer) {
            this.producer = producer;
        }

        @Override
        public boolean offer(byte[] source, int length, long stamp) {
            final WriteClaim claim = producer.tryClaim(length);
            if (claim == null) {
                return false;
            }
            claim.put(source, 0, length).putLong(0, stamp).commit();
            return true;
        }
    }

    /** Batch reads, verifying each record; also the shared rings' receiver ({@link SharedSubject}). */
    static final class BatchReceiver implements Receiver, RecordHandler {
        final Consumer consumer;
        private final Verifier verifier;

        BatchReceiver(Consumer consumer, Verifier verifier) {
            this.consumer = consumer;
            this.verifier = verifier;
        }

        @Override
        public int drain(int limit) {
            return consumer.read(this, limit);
        }

        @Override
        public void onRecord(Payload payload) {
            verifier.check(payload);
        }
    }

    private static final class ControlledReceiver implements Receiver, ControlledRecordHandler {
        private final Consumer consumer;
        private final Verifier verifier;

        ControlledReceiver(Consumer consumer, Verifier verifier) {
            this.consumer = consumer;
            this.verifier = verifier;
        }

        @Override
        public int drain(int limit) {
            return consumer.controlledRead(this, limit);
        }

        @Override
        public Action onRecord(Payload payload) {
            verifier.check(payload);
            return Action.CONTINUE;
        }
    }

    private static final class ClaimReceiver implements Receiver {
        private final Consumer consumer;
        private final Verifier verifier;

        ClaimReceiver(Consumer consumer, Verifier verifier) {
            this.consumer = consumer;
            this.verifier = verifier;
        }

        @Override
        public int drain(int limit) {
            int count = 0;
            while (count < limit) {
                final ReadClaim record = consumer.tryClaim();
                if (record == null) {
                    break;
                }
                verifier.check(record); // a ReadClaim is a Payload
                record.close();
                count++;
            }
            return count;
        }
    }
}
