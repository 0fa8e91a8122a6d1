package dev.logbuf.testkit;

import dev.logbuf.channel.MpscChannel;
import dev.logbuf.channel.MpscSender;
import dev.logbuf.channel.Receiver;
import dev.logbuf.channel.Sender;
import dev.logbuf.channel.SpscChannel;
import dev.logbuf.queue.Consumer;
import dev.logbuf.queue.ControlledRecordHandler;
import dev.logbuf.queue.MpscProducer;
import dev.logbuf.queue.MpscQueue;
import dev.logbuf.queue.Producer;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.RecordHandler;
import dev.logbuf.queue.SpscQueue;
import dev.logbuf.queue.StallListener;
import dev.logbuf.queue.Unblock;
import dev.logbuf.queue.WriteClaim;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Factories for logbuf's four variants, and the adapters that put them behind
 * the testkit's interfaces. They are public so that a wrapper's adapter can
 * start from one of them.
 */
public final class Variants {

    private Variants() {
    }

    /**
     * {@link SpscQueue} through {@link QueueAdapter}.
     *
     * @return the factory
     */
    public static RingFactory spscQueue() {
        return RingFactory.of("SpscQueue", false, capacity -> {
            final SpscQueue queue = SpscQueue.create(capacity);
            return new QueueAdapter(queue.capacity(), queue.maxRecordLength(), queue.producer(), null,
                    queue.consumer());
        });
    }

    /**
     * {@link MpscQueue} through {@link QueueAdapter}.
     *
     * @return the factory
     */
    public static RingFactory mpscQueue() {
        return RingFactory.of("MpscQueue", true, capacity -> {
            final MpscQueue queue = MpscQueue.create(capacity);
            return new QueueAdapter(queue.capacity(), queue.maxRecordLength(), queue.newProducer(),
                    queue::newProducer, queue.consumer());
        });
    }

    /**
     * {@link SpscQueue} over memory that processes could share
     * ({@link SpscQueue#create(ByteBuffer, int)}), through {@link QueueAdapter}:
     * the same contracts hold for a shared ring, whose code paths differ
     * (roles in a header, announced releases).
     *
     * @return the factory
     */
    public static RingFactory sharedSpscQueue() {
        return RingFactory.of("shared SpscQueue", false, capacity -> {
            final int rounded = Integer.highestOneBit(capacity - 1) << 1;
            final SpscQueue queue = SpscQueue.create(sharedMemory(SpscQueue.sharedSize(rounded)), rounded);
            return new QueueAdapter(queue.capacity(), queue.maxRecordLength(), queue.producer(), null,
                    queue.consumer(), false);
        });
    }

    /**
     * {@link MpscQueue} over memory that processes could share
     * ({@link MpscQueue#create(ByteBuffer, int)}), through {@link QueueAdapter}.
     *
     * @return the factory
     */
    public static RingFactory sharedMpscQueue() {
        return RingFactory.of("shared MpscQueue", true, capacity -> {
            final int rounded = Integer.highestOneBit(capacity - 1) << 1;
            final MpscQueue queue = MpscQueue.create(sharedMemory(MpscQueue.sharedSize(rounded)), rounded);
            return new QueueAdapter(queue.capacity(), queue.maxRecordLength(), queue.newProducer(),
                    queue::newProducer, queue.consumer(), false);
        });
    }

    /** Direct memory of at least {@code size} bytes at a 128-byte boundary (alignedSlice trims both ends). */
    private static ByteBuffer sharedMemory(long size) {
        return ByteBuffer.allocateDirect(Math.toIntExact(size) + 255).alignedSlice(128);
    }

    /**
     * {@link SpscChannel} through {@link ChannelAdapter}.
     *
     * @return the factory
     */
    public static ChannelFactory spscChannel() {
        return ChannelFactory.of("SpscChannel", false, capacity -> {
            final SpscChannel channel = SpscChannel.create(capacity);
            return new ChannelAdapter(channel.sender(), null, channel.receiver());
        });
    }

    /**
     * {@link MpscChannel} through {@link ChannelAdapter}.
     *
     * @return the factory
     */
    public static ChannelFactory mpscChannel() {
        return ChannelFactory.of("MpscChannel", true, capacity -> {
            final MpscChannel channel = MpscChannel.create(capacity);
            final MpscSender first = channel.newSender();
            return new ChannelAdapter(first, first::duplicate, channel.receiver());
        });
    }

    /** An SPSC or MPSC queue behind {@link RingUnderTest}. */
    public static final class QueueAdapter implements RingUnderTest {
        private final int capacity;
        private final int maxRecordLength;
        private final ProducerUnderTest producer;
        private final Supplier<? extends Producer> more;
        private final ConsumerUnderTest consumer;
        private final boolean disconnectIsFinal;

        /**
         * Adapts a queue's handles.
         *
         * @param capacity the queue's capacity
         * @param maxRecordLength the queue's longest payload
         * @param producer the first producer
         * @param more makes further producers ({@code null} for SPSC)
         * @param consumer the consumer
         */
        public QueueAdapter(int capacity, int maxRecordLength, Producer producer,
                Supplier<? extends MpscProducer> more, Consumer consumer) {
            this(capacity, maxRecordLength, producer, more, consumer, true);
        }

        /**
         * Adapts a queue's handles, saying whether its disconnect is final.
         *
         * @param capacity the queue's capacity
         * @param maxRecordLength the queue's longest payload
         * @param producer the first producer
         * @param more makes further producers ({@code null} for SPSC)
         * @param consumer the consumer
         * @param disconnectIsFinal false for a ring shared between processes
         *        ({@link RingUnderTest#disconnectIsFinal()})
         */
        public QueueAdapter(int capacity, int maxRecordLength, Producer producer,
                Supplier<? extends MpscProducer> more, Consumer consumer, boolean disconnectIsFinal) {
            this.capacity = capacity;
            this.maxRecordLength = maxRecordLength;
            this.producer = adapt(producer);
            this.more = more;
            this.consumer = adapt(consumer);
            this.disconnectIsFinal = disconnectIsFinal;
        }

        @Override
        public boolean disconnectIsFinal() {
            return disconnectIsFinal;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int maxRecordLength() {
            return maxRecordLength;
        }

        @Override
        public boolean multiProducer() {
            return more != null;
        }

        @Override
        public ProducerUnderTest producer() {
            return producer;
        }

        @Override
        public ProducerUnderTest newProducer() {
            if (more == null) {
                throw new UnsupportedOperationException("an SPSC queue has one producer");
            }
            return adapt(more.get());
        }

        @Override
        public ConsumerUnderTest consumer() {
            return consumer;
        }

        private static ProducerUnderTest adapt(Producer producer) {
            return new ProducerUnderTest() {
                @Override
                public ClaimUnderTest tryClaim(int length) {
                    return claim(producer.tryClaim(length));
                }

                @Override
                public void close() {
                    producer.close();
                }

                @Override
                public boolean isDisconnected() {
                    return producer.isDisconnected();
                }

                @Override
                public ProducerUnderTest duplicate() {
                    if (producer instanceof MpscProducer mpsc) {
                        return adapt(mpsc.duplicate());
                    }
                    throw new UnsupportedOperationException("an SPSC queue has one producer");
                }
            };
        }

        private static ConsumerUnderTest adapt(Consumer consumer) {
            return new ConsumerUnderTest() {
                @Override
                public RecordUnderTest tryClaim() {
                    return record(consumer.tryClaim());
                }

                @Override
                public int read(RecordHandler handler, int limit) {
                    return consumer.read(handler, limit);
                }

                @Override
                public int controlledRead(ControlledRecordHandler handler, int limit) {
                    return consumer.controlledRead(handler, limit);
                }

                @Override
                public boolean isDisconnected() {
                    return consumer.isDisconnected();
                }

                @Override
                public void close() {
                    consumer.close();
                }

                @Override
                public Unblock unblock() {
                    return consumer.unblock();
                }

                @Override
                public void unblockAfter(Duration after) {
                    consumer.unblockAfter(after);
                }

                @Override
                public void stallListener(StallListener listener) {
                    consumer.stallListener(listener);
                }

                @Override
                public QueueStats stats() {
                    return consumer.stats();
                }
            };
        }
    }

    /** An SPSC or MPSC channel behind {@link ChannelUnderTest}. */
    public static final class ChannelAdapter implements ChannelUnderTest {
        private final SenderUnderTest sender;
        private final Supplier<? extends Sender> more;
        private final ReceiverUnderTest receiver;
        private final int capacity;
        private final int maxRecordLength;

        /**
         * Adapts a channel's handles.
         *
         * @param sender the first sender
         * @param more makes further senders ({@code null} for SPSC)
         * @param receiver the receiver
         */
        public ChannelAdapter(Sender sender, Supplier<? extends Sender> more, Receiver receiver) {
            this.sender = adapt(sender);
            this.more = more;
            this.receiver = adapt(receiver);
            this.capacity = sender.capacity();
            this.maxRecordLength = sender.maxRecordLength();
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int maxRecordLength() {
            return maxRecordLength;
        }

        @Override
        public boolean multiProducer() {
            return more != null;
        }

        @Override
        public SenderUnderTest producer() {
            return sender;
        }

        @Override
        public SenderUnderTest newProducer() {
            if (more == null) {
                throw new UnsupportedOperationException("an SPSC channel has one sender");
            }
            return adapt(more.get());
        }

        @Override
        public ReceiverUnderTest consumer() {
            return receiver;
        }

        private static SenderUnderTest adapt(Sender sender) {
            return new SenderUnderTest() {
                @Override
                public ClaimUnderTest tryClaim(int length) {
                    return claim(sender.trySend(length));
                }

                @Override
                public ClaimUnderTest send(int length) throws InterruptedException {
                    return claim(sender.send(length));
                }

                @Override
                public ClaimUnderTest send(int length, Duration timeout) throws InterruptedException {
                    return claim(sender.send(length, timeout));
                }

                @Override
                public void wake() {
                    sender.wake();
                }

                @Override
                public boolean isDisconnected() {
                    return sender.isDisconnected();
                }

                @Override
                public void close() {
                    sender.close();
                }

                @Override
                public SenderUnderTest duplicate() {
                    if (sender instanceof MpscSender mpsc) {
                        return adapt(mpsc.duplicate());
                    }
                    throw new UnsupportedOperationException("an SPSC channel has one sender");
                }
            };
        }

        private static ReceiverUnderTest adapt(Receiver receiver) {
            return new ReceiverUnderTest() {
                @Override
                public RecordUnderTest tryClaim() {
                    return record(receiver.tryRecv());
                }

                @Override
                public int read(RecordHandler handler, int limit) {
                    return receiver.tryRead(handler, limit);
                }

                @Override
                public int controlledRead(ControlledRecordHandler handler, int limit) {
                    return receiver.tryControlledRead(handler, limit);
                }

                @Override
                public RecordUnderTest recv(Duration timeout) throws InterruptedException {
                    return record(receiver.recv(timeout));
                }

                @Override
                public boolean isDisconnected() {
                    return receiver.isDisconnected();
                }

                @Override
                public void close() {
                    receiver.close();
                }

                @Override
                public Unblock unblock() {
                    return receiver.unblock();
                }

                @Override
                public void unblockAfter(Duration after) {
                    receiver.unblockAfter(after);
                }

                @Override
                public void stallListener(StallListener listener) {
                    receiver.stallListener(listener);
                }

                @Override
                public QueueStats stats() {
                    return receiver.stats().queue();
                }
            };
        }
    }

    /**
     * Puts a {@link WriteClaim} behind {@link ClaimUnderTest}.
     *
     * @param claim the claim, or {@code null}
     * @return the adapter, or {@code null} when {@code claim} is
     */
    public static ClaimUnderTest claim(WriteClaim claim) {
        if (claim == null) {
            return null;
        }
        final int length = claim.length();
        final ByteBuffer view = claim.buffer();
        final int start = view.position();
        return new ClaimUnderTest() {
            @Override
            public int length() {
                return claim.length(); // throws once the claim ended
            }

            @Override
            public byte get(int index) {
                return view.get(start + index);
            }

            @Override
            public void put(int index, byte[] bytes) {
                final ByteBuffer target = claim.buffer();
                target.position(start + index);
                claim.put(bytes);
            }

            @Override
            public void commit() {
                claim.commit();
            }

            @Override
            public void abort() {
                claim.abort();
            }

            @Override
            public void close() {
                claim.close();
            }

            @Override
            public String toString() {
                return "claim(" + length + ")";
            }
        };
    }

    /**
     * Puts a {@link ReadClaim} behind {@link RecordUnderTest}.
     *
     * @param record the record, or {@code null}
     * @return the adapter, or {@code null} when {@code record} is
     */
    public static RecordUnderTest record(ReadClaim record) {
        if (record == null) {
            return null;
        }
        return new RecordUnderTest() {
            @Override
            public int length() {
                return record.length();
            }

            @Override
            public byte[] bytes() {
                final byte[] copy = new byte[record.length()];
                record.get(copy);
                return copy;
            }

            @Override
            public void close() {
                record.close();
            }

            @Override
            public void putBack() {
                record.putBack();
            }
        };
    }
}
