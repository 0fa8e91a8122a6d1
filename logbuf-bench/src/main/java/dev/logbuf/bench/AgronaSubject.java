package dev.logbuf.bench;

import java.nio.ByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Agrona's {@code OneToOneRingBuffer} or {@code ManyToOneRingBuffer}, used the
 * way Agrona's users use them: {@code tryClaim}, write into the buffer at the
 * returned index, {@code commit}; {@code read(handler, limit)}. Default
 * settings (bounds checks on, as shipped).
 */
final class AgronaSubject implements Subject {

    /** Agrona needs a positive message type; logbuf has none. */
    /** Agrona needs a positive message type; logbuf has none. */
    static final int MSG_TYPE = 1;

    private final RingBuffer ring;

    AgronaSubject(int ringBytes, boolean multiProducer) {
        final AtomicBuffer buffer = new UnsafeBuffer(
                ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = multiProducer ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
    }

    @Override
    public Sender sender(int producerId) {
        return new AgronaSender(ring);
    }

    @Override
    public Receiver receiver(Verifier verifier) {
        return new AgronaReceiver(ring, verifier);
    }

    /** Claim, copy, stamp, commit; also the shared rings' sender ({@link SharedSubject}). */
    static final class AgronaSender implements Sender {
        private final RingBuffer ring;
        private final AtomicBuffer buffer;

        AgronaSender(RingBuffer ring) {
            this.ring = ring;
            this.buffer = ring.buffer();
        }

        @Override
        public boolean offer(byte[] source, int length, long stamp) {
            final int index = ring.tryClaim(MSG_TYPE, length);
            if (index < 0) {
                return false;
            }
            buffer.putBytes(index, source, 0, length);
            buffer.putLong(index, stamp);
            ring.commit(index);
            return true;
        }
    }

    /** Batch reads, verifying each record; also the shared rings' receiver ({@link SharedSubject}). */
    static final class AgronaReceiver implements Receiver, MessageHandler {
        private final RingBuffer ring;
        private final Verifier verifier;
        /** For checksums: the ring's memory as a direct ByteBuffer, and where the ring's index 0 is in it. */
        private final ByteBuffer view;
        private final int viewOffset;

        AgronaReceiver(RingBuffer ring, Verifier verifier) {
            this.ring = ring;
            this.verifier = verifier;
            this.view = verifier.checksum ? ring.buffer().byteBuffer().duplicate() : null;
            this.viewOffset = ring.buffer().wrapAdjustment();
        }

        @Override
        public int drain(int limit) {
            return ring.read(this, limit);
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            verifier.check(buffer.getLong(index), length, buffer.getByte(index + length - 1));
            if (verifier.checksum) {
                verifier.checksum(view, viewOffset + index, length);
            }
        }
    }
}
