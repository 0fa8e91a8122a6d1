package dev.logbuf.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Queue;

/**
 * An object queue of {@code byte[]} (JCTools' array queues,
 * {@code ArrayBlockingQueue}), used as their users do: allocate an array per
 * message, copy the payload into it, {@code offer}; {@code poll} on the other
 * side. A message refused because the queue is full is kept and offered again,
 * so a full queue costs no extra allocation.
 */
final class QueueSubject implements Subject {

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Queue<byte[]> queue;

    QueueSubject(Queue<byte[]> queue) {
        this.queue = queue;
    }

    @Override
    public Sender sender(int producerId) {
        return new QueueSender(queue);
    }

    @Override
    public Receiver receiver(Verifier verifier) {
        return new QueueReceiver(queue, verifier);
    }

    private static final class QueueSender implements Sender {
        private final Queue<byte[]> queue;
        /** The message the queue last refused, offered again before a new one is made. */
        private byte[] pending;

        QueueSender(Queue<byte[]> queue) {
            this.queue = queue;
        }

        @Override
        public boolean offer(byte[] source, int length, long stamp) {
            byte[] message = pending;
            if (message == null) {
                message = new byte[length];
                System.arraycopy(source, 0, message, 0, length);
                LONGS.set(message, 0, stamp);
            }
            if (queue.offer(message)) {
                pending = null;
                return true;
            }
            pending = message;
            return false;
        }
    }

    private static final class QueueReceiver implements Receiver {
        private final Queue<byte[]> queue;
        private final Verifier verifier;

        QueueReceiver(Queue<byte[]> queue, Verifier verifier) {
            this.queue = queue;
            this.verifier = verifier;
        }

        @Override
        public int drain(int limit) {
            int count = 0;
            while (count < limit) {
                final byte[] message = queue.poll();
                if (message == null) {
                    break;
                }
                verifier.check((long) LONGS.get(message, 0), message.length, message[message.length - 1]);
                if (verifier.checksum) {
                    verifier.checksum(message);
                }
                count++;
            }
            return count;
        }
    }
}
