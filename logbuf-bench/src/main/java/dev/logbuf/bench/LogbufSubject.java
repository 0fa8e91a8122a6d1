package dev.logbuf.bench;

import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.Producer;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.WriteClaim;
import java.nio.ByteBuffer;

/**
 * logbuf's {@code SpscQueue} or {@code MpscQueue}: claim, copy, commit on the
 * producing side; a batch {@code read(handler, limit)} (or one
 * {@code ReadClaim} per record) on the consuming side.
 */
final class LogbufSubject implements Subject {

    private final SpscQueue spsc;
    private final MpscQueue mpsc;
    private final Consumer consumer;
    private final boolean claimReads;

    LogbufSubject(int ringBytes, boolean multiProducer, boolean claimReads) {
        this.spsc = multiProducer ? null : SpscQueue.create(ringBytes);
        this.mpsc = multiProducer ? MpscQueue.create(ringBytes) : null;
        this.consumer = multiProducer ? mpsc.consumer() : spsc.consumer();
        this.claimReads = claimReads;
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
        return claimReads ? new ClaimReceiver(consumer, verifier) : new BatchReceiver(consumer, verifier);
    }

    private static final class LogbufSender implements Sender {
        private final Producer producer;

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

    private static final class BatchReceiver implements Receiver, RecordHandler {
        private final Consumer consumer;
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
        public void onRecord(ByteBuffer payload) {
            final int start = payload.position();
            final int end = payload.limit();
            verifier.check(payload.getLong(start), end - start, payload.get(end - 1));
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
                final int length = record.length();
                verifier.check(record.getLong(0), length, record.get(length - 1));
                record.close();
                count++;
            }
            return count;
        }
    }
}
