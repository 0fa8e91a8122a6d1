package dev.logbuf.channel;

import static dev.logbuf.channel.TestSupport.SLICE_NANOS;
import static dev.logbuf.channel.TestSupport.assertPromptWakeUps;
import static dev.logbuf.channel.TestSupport.assertRecvDisconnects;
import static dev.logbuf.channel.TestSupport.awaitCount;
import static dev.logbuf.channel.TestSupport.awaitInSend;
import static dev.logbuf.channel.TestSupport.awaitParkedInReceiver;
import static dev.logbuf.channel.TestSupport.awaitProgress;
import static dev.logbuf.channel.TestSupport.check;
import static dev.logbuf.channel.TestSupport.recvLong;
import static dev.logbuf.channel.TestSupport.sendLong;
import static dev.logbuf.channel.TestSupport.sendRecord;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.logbuf.channel.TestSupport.Worker;
import dev.logbuf.queue.ControlledRecordHandler.Action;
import dev.logbuf.queue.QueueStats;
import dev.logbuf.queue.Payload;
import dev.logbuf.queue.ReadClaim;
import dev.logbuf.queue.WriteClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every channel shares, SPSC or MPSC alike: one subclass per
 * variant supplies {@link #create(int)}, the way the JSR-166 TCK runs one
 * {@code BlockingQueueTest} over every queue.
 *
 * <p>Sections: records in and out; the disconnect (nothing committed is lost
 * to it); wake-ups (none is lost); timeouts; interrupts; lengths; claims and
 * handles. Threaded tests bound their work and join with time-outs; the only
 * timing assertions are generous bounds.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class ChannelContractTest {

    /** The two ends of one channel of the variant under test. */
    record Ends(Sender sender, Receiver receiver) {
    }

    /** Objects kept reachable until the test ends. */
    private final List<Object> kept = new ArrayList<>();
    /** Receivers closed after the test. */
    private final List<Receiver> receivers = new ArrayList<>();

    /** Opens a fresh channel of the variant under test over at least {@code capacity} bytes. */
    abstract Ends create(int capacity);

    /**
     * Opens a channel for one test: its ends stay reachable until the test
     * ends (a sender the garbage collector takes counts as closed, which
     * would disconnect the channel under the test's feet), and its receiver
     * is closed after it (releasing any sender a failed test left spinning).
     */
    final Ends open(int capacity) {
        final Ends ends = create(capacity);
        kept.add(ends);
        receivers.add(ends.receiver());
        return ends;
    }

    /** Keeps {@code channel} reachable until the test ends, and closes {@code receiver} after it. */
    final void keep(Object channel, Receiver receiver) {
        kept.add(channel);
        track(receiver);
    }

    /** Closes {@code receiver} after the test, keeping nothing else reachable. */
    final Receiver track(Receiver receiver) {
        receivers.add(receiver);
        return receiver;
    }

    @AfterEach
    final void closeReceivers() {
        receivers.forEach(Receiver::close);
        kept.clear();
    }

    /** The ways a receiver takes records; each must report the disconnect only once drained. */
    enum ReceiveMode {
        RECV, TRY_RECV, RECV_TIMEOUT, TRY_READ, TRY_CONTROLLED_READ, READ, READ_TIMEOUT, CONTROLLED_READ;

        /**
         * Takes at least one record, handing each payload to {@code sink};
         * waits (or retries) while none is there.
         *
         * @throws ChannelClosedException once every sender is closed and every record received
         */
        void receive(Receiver receiver, java.util.function.Consumer<Payload> sink) throws InterruptedException {
            switch (this) {
                case RECV -> {
                    try (ReadClaim record = receiver.recv()) {
                        sink.accept(record);
                    }
                }
                case TRY_RECV -> {
                    for (;;) {
                        try (ReadClaim record = receiver.tryRecv()) {
                            if (record != null) {
                                sink.accept(record);
                                return;
                            }
                        }
                        Thread.yield();
                    }
                }
                case RECV_TIMEOUT -> {
                    try (ReadClaim record = receiver.recv(Duration.ofSeconds(10))) {
                        assertNotNull(record, "recv(10 s) timed out while a sender was sending");
                        sink.accept(record);
                    }
                }
                case TRY_READ -> {
                    while (receiver.tryRead(sink::accept, 7) == 0) {
                        Thread.yield();
                    }
                }
                case READ -> assertTrue(receiver.read(sink::accept, 7) > 0, "read returned without a record");
                case READ_TIMEOUT -> assertTrue(receiver.read(sink::accept, 7, Duration.ofSeconds(10)) > 0,
                        "read(10 s) timed out while a sender was sending");
                case CONTROLLED_READ -> {
                    // refused once first, as TRY_CONTROLLED_READ: that returns 0 at once, with the record kept
                    assertEquals(0, receiver.controlledRead(payload -> Action.ABORT, 7), "the handler aborted the first");
                    assertTrue(receiver.controlledRead(payload -> {
                        sink.accept(payload);
                        return Action.CONTINUE;
                    }, 7) > 0, "controlledRead returned without consuming a record");
                }
                case TRY_CONTROLLED_READ -> {
                    // the next record is refused once first: a record left in the ring is not the end,
                    // so this must return 0, never report the disconnect, while one is left
                    receiver.tryControlledRead(payload -> Action.ABORT, 7);
                    while (receiver.tryControlledRead(payload -> {
                        sink.accept(payload);
                        return Action.CONTINUE;
                    }, 7) == 0) {
                        Thread.yield();
                    }
                }
            }
        }
    }

    // ================================================================ records in and out

    /** Port of the original's basic_send_recv: one record through send, wake and recv. */
    @Test
    void shouldCarryOneRecordFromSendToRecv() throws Exception {
        final Ends ends = open(1024);
        final byte[] payload = "hello world".getBytes(US_ASCII);

        try (WriteClaim claim = ends.sender().send(payload.length)) {
            claim.put(payload);
            claim.commit();
        }
        ends.sender().wake();

        try (ReadClaim record = ends.receiver().recv()) {
            assertEquals(payload.length, record.length());
            final byte[] got = new byte[record.length()];
            record.get(got);
            assertArrayEquals(payload, got);
        }
    }

    /** Port of try_send_try_recv: the non-waiting pair, with null for "nothing there". */
    @Test
    void shouldCarryRecordsThroughTrySendAndTryRecv() {
        final Ends ends = open(1024);
        assertNull(ends.receiver().tryRecv(), "an empty channel has nothing to receive");

        try (WriteClaim claim = ends.sender().trySend(4)) {
            assertNotNull(claim, "an empty ring has room");
            claim.put("test".getBytes(US_ASCII));
            claim.commit();
        }

        try (ReadClaim record = ends.receiver().tryRecv()) {
            assertNotNull(record);
            final byte[] got = new byte[4];
            record.get(got);
            assertEquals("test", new String(got, US_ASCII));
        }
        assertNull(ends.receiver().tryRecv(), "the one record was received");
        assertFalse(ends.receiver().isDisconnected());
    }

    /** Port of recv_timeout_with_data: a timed recv returns a waiting record at once. */
    @Test
    void shouldReturnAWaitingRecordFromATimedRecv() throws Exception {
        final Ends ends = open(1024);
        sendLong(ends.sender(), 99);
        final long start = System.nanoTime();
        try (ReadClaim record = ends.receiver().recv(Duration.ofSeconds(30))) {
            assertNotNull(record);
            assertEquals(99, record.getLong(0));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "it did not wait for the timeout");
    }

    /** Port of try_send_returns_full: trySend says full (null) exactly when the ring is. */
    @Test
    void shouldReturnNullFromTrySendExactlyWhenTheRingIsFull() throws Exception {
        final Ends ends = open(64);
        final Sender sender = ends.sender();
        int sent = 0;
        for (;;) {
            try (WriteClaim claim = sender.trySend(8)) {
                if (claim == null) {
                    break;
                }
                claim.putLong(0, sent++);
                claim.commit();
            }
        }
        assertEquals(64 / 16, sent, "8-byte records take 16 bytes: four fill a 64-byte ring");
        assertFalse(sender.isDisconnected(), "full is not closed");
        assertNull(sender.trySend(8), "still full");

        assertEquals(0, recvLong(ends.receiver()));
        try (WriteClaim claim = sender.trySend(8)) {
            assertNotNull(claim, "receiving one record makes room for one");
            claim.putLong(0, sent);
            claim.commit();
        }
        for (long expected = 1; expected <= sent; expected++) {
            assertEquals(expected, recvLong(ends.receiver()));
        }
    }

    /** Capacity is rounded up to a power of two; the longest record is the capacity less the header. */
    @Test
    void shouldRoundTheCapacityUpToAPowerOfTwo() {
        final Ends ends = open(100);
        assertEquals(128, ends.sender().capacity());
        assertEquals(128, ends.receiver().capacity());
        assertEquals(120, ends.sender().maxRecordLength());
        assertEquals(16, open(16).sender().capacity());
        assertEquals(8, open(16).sender().maxRecordLength(), "a 16-byte ring still carries 8-byte records");
    }

    /** A capacity below 16 bytes or above 2^30 is refused with IllegalArgumentException. */
    @Test
    void shouldRejectACapacityOutsideTheBounds() {
        for (int capacity : new int[] {Integer.MIN_VALUE, -1, 0, 8, 15, (1 << 30) + 1, Integer.MAX_VALUE}) {
            final IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> create(capacity), "capacity " + capacity);
            assertTrue(e.getMessage().contains(String.valueOf(capacity)), "the message names the capacity: " + e);
        }
    }

    /**
     * The longest record goes through from every wrap position the ring can
     * reach: send pads to the end and claims at offset 0 once the receiver
     * has stepped over the padding, instead of spinning for ever.
     */
    @Test
    void shouldCarryTheLongestRecordFromEveryWrapPosition() throws Exception {
        for (int capacity : new int[] {16, 64, 256}) {
            final Ends ends = open(capacity);
            final Sender sender = ends.sender();
            final int max = sender.maxRecordLength();
            assertEquals(capacity - 8, max);
            final Worker<Integer> receiving = Worker.start("receiver", () -> {
                int longest = 0;
                try {
                    for (;;) {
                        try (ReadClaim record = ends.receiver().recv()) {
                            if (record.length() == max) {
                                assertEquals(longest++, record.getLong(0), "longest record");
                                if (max > Long.BYTES) {
                                    assertEquals((byte) 0x5A, record.getByte(max - 1), "its last byte");
                                }
                            } else {
                                assertEquals(-1, record.getLong(0), "filler");
                            }
                        }
                    }
                } catch (ChannelClosedException done) {
                    return longest;
                }
            });
            // each longest record ends where it began (offset 0, after any padding); a filler of
            // fillerSize bytes before it moves that start to offset fillerSize
            int sent = 0;
            for (int fillerSize = 0; fillerSize < capacity; fillerSize += 8) {
                if (fillerSize == 8) {
                    continue; // no record is 8 bytes long: the smallest takes 16
                }
                if (fillerSize != 0) {
                    try (WriteClaim claim = sender.send(fillerSize - 8)) {
                        claim.putLong(0, -1).commit();
                    }
                }
                final WriteClaim claim = sender.send(max);
                claim.putLong(0, sent++);
                if (max > Long.BYTES) {
                    claim.putByte(max - 1, (byte) 0x5A); // the last byte of the ring
                }
                claim.commit();
                sender.wake();
            }
            sender.close();
            assertEquals(sent, receiving.join(), "longest records received from a " + capacity + "-byte ring");
        }
    }

    /** Port of cross_thread: a thousand records from a sender thread arrive in order. */
    @Test
    void shouldKeepTheOrderOfRecordsAcrossThreads() throws Exception {
        final Ends ends = open(4096);
        final Worker<Void> sender = Worker.start("sender", () -> {
            for (long i = 0; i < 1000; i++) {
                sendLong(ends.sender(), i);
            }
            return null;
        });
        for (long i = 0; i < 1000; i++) {
            assertEquals(i, recvLong(ends.receiver()));
        }
        sender.join();
    }

    /** A batch read hands records in order, honours its limit, and releases what it read. */
    @Test
    void shouldReadBatchesWithTryRead() throws Exception {
        final Ends ends = open(1024);
        for (long i = 0; i < 10; i++) {
            sendRecord(ends.sender(), i);
        }
        final List<Long> got = new ArrayList<>();
        assertEquals(4, ends.receiver().tryRead(payload -> got.add(check(payload)), 4));
        assertEquals(List.of(0L, 1L, 2L, 3L), got);
        assertEquals(6, ends.receiver().tryRead(payload -> got.add(check(payload)), 100));
        assertEquals(10, got.size());
        assertEquals(9L, got.get(9));
        assertEquals(0, ends.receiver().tryRead(payload -> fail("nothing is left"), 100));
        assertThrows(IllegalArgumentException.class, () -> ends.receiver().tryRead(payload -> { }, 0));
    }

    // ================================================================ disconnect

    /**
     * Records committed before the last sender closed all come out, in
     * order, before any receive method reports the disconnect; then every
     * call reports it.
     */
    @ParameterizedTest
    @EnumSource(ReceiveMode.class)
    void shouldDeliverEveryCommittedRecordBeforeReportingTheDisconnect(ReceiveMode mode) throws Exception {
        final Ends ends = open(1024);
        for (long i = 0; i < 20; i++) {
            sendRecord(ends.sender(), i);
        }
        ends.sender().close();
        assertTrue(ends.receiver().isDisconnected(), "no sender is open");

        final long[] next = {0};
        final ChannelClosedException closed = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(ChannelClosedException.class, () -> {
                    for (;;) {
                        mode.receive(ends.receiver(), payload -> assertEquals(next[0]++, check(payload)));
                    }
                }));
        assertNotNull(closed.getMessage());
        assertEquals(20, next[0], "every committed record came out before the disconnect");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertDisconnectedEverywhere(ends.receiver()),
                "a drained, disconnected receiver does not wait");
    }

    /** Port of disconnection_*_dropped (receiver side): every receive method reports it, none waits. */
    @Test
    void shouldReportTheDisconnectFromEveryReceiveMethodOnceTheSenderCloses() {
        final Ends ends = open(1024);
        assertFalse(ends.receiver().isDisconnected());
        ends.sender().close();
        assertTrue(ends.receiver().isDisconnected());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertDisconnectedEverywhere(ends.receiver()),
                "a disconnected receiver does not wait");
    }

    private static void assertDisconnectedEverywhere(Receiver receiver) {
        assertThrows(ChannelClosedException.class, receiver::recv, "recv()");
        assertThrows(ChannelClosedException.class, receiver::tryRecv, "tryRecv()");
        assertThrows(ChannelClosedException.class, () -> receiver.recv(Duration.ZERO), "recv(ZERO)");
        assertThrows(ChannelClosedException.class, () -> receiver.recv(Duration.ofSeconds(30)), "recv(30 s)");
        assertThrows(ChannelClosedException.class, () -> receiver.recv(30, TimeUnit.SECONDS), "recv(30, SECONDS)");
        assertThrows(ChannelClosedException.class, () -> receiver.tryRead(payload -> fail("no record"), 10),
                "tryRead");
        assertTrue(receiver.isDisconnected());
    }

    /**
     * A sender thread sends through a small ring and closes right after its
     * last commit, with records still in flight: the receiver gets every one,
     * in order and intact, and only then the disconnect.
     */
    @ParameterizedTest
    @EnumSource(ReceiveMode.class)
    void shouldDeliverEveryRecordOfASenderThatClosesWithRecordsInFlight(ReceiveMode mode) throws Exception {
        final int count = 5_000;
        final Ends ends = open(256);
        final Worker<Void> sending = Worker.start("sender", () -> {
            for (long i = 0; i < count; i++) {
                sendRecord(ends.sender(), i);
            }
            ends.sender().close(); // at once: the ring may still hold up to 16 records
            return null;
        });
        final long[] next = {0};
        assertThrows(ChannelClosedException.class, () -> {
            for (;;) {
                mode.receive(ends.receiver(), payload -> assertEquals(next[0]++, check(payload)));
            }
        });
        sending.join();
        assertEquals(count, next[0], "records received before the disconnect");
    }

    /** Port of disconnection_receiver_dropped: senders see the closed receiver. */
    @Test
    void shouldReportAClosedReceiverToTheSender() {
        final Ends ends = open(1024);
        assertFalse(ends.sender().isDisconnected());
        ends.receiver().close();
        assertTrue(ends.sender().isDisconnected());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThrows(ChannelClosedException.class, () -> ends.sender().send(8), "send");
            assertThrows(ChannelClosedException.class, () -> ends.sender().trySend(8), "trySend");
        });
        ends.sender().wake(); // harmless
        ends.sender().close();
    }

    /** A sender spinning in send on a full ring gets ChannelClosedException promptly once the receiver closes. */
    @Test
    void shouldReleaseASenderSpinningOnAFullRingWhenTheReceiverCloses() throws Exception {
        final Ends ends = open(64);
        fill(ends.sender());
        final Worker<WriteClaim> spinning = Worker.start("sender", () -> ends.sender().send(8));
        awaitInSend(spinning.thread);
        final long closing = System.nanoTime();
        ends.receiver().close();
        assertThrows(ChannelClosedException.class, spinning::join);
        final long took = System.nanoTime() - closing;
        assertTrue(took < TimeUnit.SECONDS.toNanos(5), "send noticed the close after " + took / 1_000_000 + " ms");
        assertTrue(ends.sender().isDisconnected());
    }

    /** Closing the last sender wakes a receiver parked in recv at once, not at the end of its park slice. */
    @Test
    void shouldWakeAParkedReceiverAtOnceWhenTheLastSenderCloses() throws Exception {
        final int rounds = 12;
        final long[] latency = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            final Ends ends = open(64);
            final Worker<Long> receiving = Worker.start("receiver", () -> {
                assertThrows(ChannelClosedException.class, ends.receiver()::recv);
                return System.nanoTime();
            });
            awaitParkedInReceiver(receiving.thread);
            final long closing = System.nanoTime();
            ends.sender().close();
            latency[round] = receiving.join() - closing;
        }
        assertPromptWakeUps(latency, "recv() after the last sender closed");
    }

    // ================================================================ wake-ups

    /**
     * No lost wake-ups: thousands of ping-pongs through two channels, both
     * sides waiting in recv() and waking the other after each commit. Every
     * wake-up lost costs a park slice, so the whole run must take far less
     * than one slice per round, and almost no round may take half a slice.
     */
    @Test
    void shouldNeverLeaveAPingPongThroughRecvToTheParkSlice() throws Exception {
        final int rounds = 3_000;
        final Ends there = open(1024);
        final Ends back = open(1024);
        final Worker<Integer> echo = Worker.start("echo", () -> {
            int echoed = 0;
            try {
                for (;;) {
                    sendLong(back.sender(), recvLong(there.receiver()));
                    echoed++;
                }
            } catch (ChannelClosedException done) {
                back.sender().close();
                return echoed;
            }
        });
        final int slowAllowed = rounds / 100; // a loaded machine may stall a few rounds; lost wake-ups stall many
        int slow = 0;
        long worst = 0;
        final long start = System.nanoTime();
        for (long i = 0; i < rounds; i++) {
            final long sent = System.nanoTime();
            sendLong(there.sender(), i);
            assertEquals(i, recvLong(back.receiver()));
            final long took = System.nanoTime() - sent;
            worst = Math.max(worst, took);
            if (took >= SLICE_NANOS / 2 && ++slow > slowAllowed) {
                fail("wake-ups were lost: " + slow + " of the first " + (i + 1) + " rounds took half a park slice"
                        + " or more (worst " + worst / 1_000_000 + " ms)");
            }
        }
        final long total = System.nanoTime() - start;
        there.sender().close();
        assertEquals(rounds, echo.join(), "rounds echoed");
        assertRecvDisconnects(back.receiver(), "the echo closed its sender");

        assertTrue(total < rounds * SLICE_NANOS / 10, "wake-ups were lost: " + rounds + " rounds took "
                + total / 1_000_000 + " ms (worst " + worst / 1_000_000 + " ms, " + slow + " slow)");
    }

    /**
     * A receiver that is certainly parked in recv() (its thread is seen
     * waiting inside the receiver) returns promptly after commit and wake,
     * long before its park slice would end.
     */
    @Test
    void shouldWakeAReceiverParkedInRecvLongBeforeItsParkSliceEnds() throws Exception {
        assertWokenPromptly("recv()", TestSupport::recvLong);
    }

    /** The waiting batch read parks as recv() does and is woken the same way. */
    @Test
    void shouldWakeAReceiverParkedInReadLongBeforeItsParkSliceEnds() throws Exception {
        final long[] value = new long[1];
        assertWokenPromptly("read()", receiver -> {
            assertEquals(1, receiver.read(payload -> value[0] = payload.getLong(0), 4));
            return value[0];
        });
    }

    /** The same for the waiting controlled read. */
    @Test
    void shouldWakeAReceiverParkedInControlledReadLongBeforeItsParkSliceEnds() throws Exception {
        final long[] value = new long[1];
        assertWokenPromptly("controlledRead()", receiver -> {
            assertEquals(1, receiver.controlledRead(payload -> {
                value[0] = payload.getLong(0);
                return Action.CONTINUE;
            }, 4));
            return value[0];
        });
    }

    /** A way to wait for one 8-byte record and return its value. */
    private interface ReceiveOne {
        long from(Receiver receiver) throws InterruptedException;
    }

    /**
     * Rounds of: the receiver certainly parked in {@code receiveOne} (its
     * thread seen waiting inside the receiver), then a commit and a wake; the
     * receiver must return promptly each time, long before its park slice.
     */
    private void assertWokenPromptly(String what, ReceiveOne receiveOne) throws Exception {
        final int rounds = 40;
        final Ends ends = open(1024);
        final AtomicLongArray returned = new AtomicLongArray(rounds);
        final AtomicInteger received = new AtomicInteger();
        final Worker<Void> receiving = Worker.start("receiver", () -> {
            for (int round = 0; round < rounds; round++) {
                final long value = receiveOne.from(ends.receiver());
                returned.set(round, System.nanoTime());
                assertEquals(round, value);
                received.incrementAndGet();
            }
            return null;
        });
        final long[] latency = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            awaitParkedInReceiver(receiving.thread);
            final long sent = System.nanoTime();
            sendLong(ends.sender(), round);
            // the next round starts only once this one was received, so "parked" means parked for the next
            awaitCount(received, round + 1, receiving);
            latency[round] = returned.get(round) - sent;
        }
        receiving.join();
        assertPromptWakeUps(latency, what + " parked before the commit");
    }

    /** A waiting read hands over a whole batch, up to its limit, in order. */
    @Test
    void shouldHandAWaitingReadEveryRecordUpToItsLimit() throws Exception {
        final Ends ends = open(1024);
        for (long i = 0; i < 5; i++) {
            sendLong(ends.sender(), i);
        }
        final List<Long> got = new ArrayList<>();
        assertEquals(3, ends.receiver().read(payload -> got.add(payload.getLong(0)), 3));
        assertEquals(2, ends.receiver().read(payload -> got.add(payload.getLong(0)), 3,
                Duration.ofSeconds(10)));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), got);
    }

    /**
     * A timed read that finds nothing returns 0 once its timeout has passed,
     * without calling its handler; a zero timeout makes one attempt.
     */
    @Test
    void shouldReturnZeroFromATimedReadThatFindsNothing() throws Exception {
        final Ends ends = open(1024);
        final AtomicInteger called = new AtomicInteger();
        final long start = System.nanoTime();
        assertEquals(0, ends.receiver().read(payload -> called.incrementAndGet(), 4, Duration.ofMillis(30)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "returned before its timeout");
        assertEquals(0, ends.receiver().read(payload -> called.incrementAndGet(), 4, 0, TimeUnit.SECONDS));
        assertEquals(0, ends.receiver().controlledRead(payload -> {
            called.incrementAndGet();
            return Action.CONTINUE;
        }, 4, Duration.ofMillis(30)));
        assertEquals(0, called.get(), "a handler was called with nothing in the ring");
        sendLong(ends.sender(), 7);
        assertEquals(1, ends.receiver().read(payload -> called.incrementAndGet(), 4, 0, TimeUnit.SECONDS),
                "a zero timeout still takes what is there");
    }

    /**
     * A waiting controlled read returns once its handler was offered a
     * record: a handler that aborts the first gets 0 back at once, and the
     * record stays in the ring, handed out first next time.
     */
    @Test
    void shouldReturnZeroFromAWaitingControlledReadWhoseHandlerAbortsAndKeepTheRecord() throws Exception {
        final Ends ends = open(1024);
        sendLong(ends.sender(), 1);
        sendLong(ends.sender(), 2);
        final AtomicInteger offered = new AtomicInteger();
        assertEquals(0, ends.receiver().controlledRead(payload -> {
            offered.incrementAndGet();
            return Action.ABORT;
        }, 4));
        assertEquals(1, offered.get(), "the handler saw the first record once");
        assertEquals(1, recvLong(ends.receiver()), "the aborted record is still first");
        assertEquals(2, recvLong(ends.receiver()));
    }

    /** Bad arguments to a waiting read are refused before it waits, and take nothing. */
    @Test
    void shouldRefuseABadLimitOrHandlerOfAWaitingRead() throws Exception {
        final Ends ends = open(1024);
        sendLong(ends.sender(), 3);
        final Receiver receiver = ends.receiver();
        assertThrows(IllegalArgumentException.class, () -> receiver.read(payload -> { }, 0));
        assertThrows(IllegalArgumentException.class, () -> receiver.controlledRead(payload -> Action.CONTINUE, 0,
                Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> receiver.read(null, 4));
        assertThrows(NullPointerException.class, () -> receiver.controlledRead(null, 4));
        assertEquals(3, recvLong(receiver), "nothing was taken");
    }

    /**
     * A record longer than the space left before the end of the ring makes
     * send pad to the end, then wait for the receiver to step over the
     * padding. A receiver parked on the empty ring must be woken for that: the
     * sender cannot commit (so cannot wake it the usual way) until it has.
     * Send must return promptly, not after the receiver's park slice.
     */
    @Test
    void shouldWakeAParkedReceiverToStepOverThePaddingASenderWaitsFor() throws Exception {
        final int rounds = 12;
        final Ends ends = open(64);
        final int max = ends.sender().maxRecordLength();
        final AtomicInteger received = new AtomicInteger();
        final Worker<Integer> receiving = Worker.start("receiver", () -> {
            try {
                for (;;) {
                    try (ReadClaim record = ends.receiver().recv()) {
                        assertEquals(record.length() == max ? received.get() / 2 : -1, record.getLong(0));
                        received.incrementAndGet();
                    }
                }
            } catch (ChannelClosedException done) {
                return received.get();
            }
        });
        final long[] latency = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            sendLong(ends.sender(), -1); // the ring drains to offset 16: the longest record needs padding
            awaitCount(received, 2 * round + 1, receiving); // so that "parked" means parked on the drained ring
            awaitParkedInReceiver(receiving.thread);
            final long sending = System.nanoTime();
            final WriteClaim claim = ends.sender().send(max);
            latency[round] = System.nanoTime() - sending;
            claim.putLong(0, round);
            claim.commit();
            ends.sender().wake();
        }
        ends.sender().close();
        assertEquals(2 * rounds, receiving.join(), "records received");
        assertPromptWakeUps(latency, "send(" + max + ") waiting for the receiver to step over the padding");
    }

    // ================================================================ timeouts

    /** recv with a zero or negative timeout makes one attempt: null at once when empty, the record when there. */
    @Test
    void shouldMakeExactlyOneAttemptForAZeroTimeout() throws Exception {
        final Ends ends = open(1024);
        final Receiver receiver = ends.receiver();
        final long start = System.nanoTime();
        assertNull(receiver.recv(Duration.ZERO));
        assertNull(receiver.recv(Duration.ofMillis(-5)));
        assertNull(receiver.recv(0, TimeUnit.NANOSECONDS));
        assertNull(receiver.recv(-1, TimeUnit.DAYS));
        final long took = System.nanoTime() - start;
        assertTrue(took < SLICE_NANOS * 10, "four single attempts took " + took / 1_000_000 + " ms");

        sendLong(ends.sender(), 1);
        sendLong(ends.sender(), 2);
        try (ReadClaim record = receiver.recv(Duration.ZERO)) {
            assertNotNull(record, "a waiting record is returned by the one attempt");
            assertEquals(1, record.getLong(0));
        }
        try (ReadClaim record = receiver.recv(0, TimeUnit.SECONDS)) {
            assertNotNull(record);
            assertEquals(2, record.getLong(0));
        }
    }

    /** Port of recv_timeout_works: an empty recv(50 ms) returns null no sooner than 50 ms (and not much later). */
    @Test
    void shouldReturnNullOnceTheTimeoutHasElapsed() throws Exception {
        final Ends ends = open(1024);
        for (int i = 0; i < 2; i++) {
            final long start = System.nanoTime();
            final ReadClaim record = i == 0
                    ? ends.receiver().recv(Duration.ofMillis(50))
                    : ends.receiver().recv(50, TimeUnit.MILLISECONDS);
            final long took = System.nanoTime() - start;
            assertNull(record, "nothing was sent");
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(50), "returned early, after " + took + " ns");
            assertTrue(took < TimeUnit.SECONDS.toNanos(5), "returned late, after " + took / 1_000_000 + " ms");
        }
        // longer than a park slice: the wait spans several slices and still ends on time
        final long start = System.nanoTime();
        assertNull(ends.receiver().recv(Duration.ofMillis(250)));
        final long took = System.nanoTime() - start;
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(250), "returned early, after " + took + " ns");
        assertTrue(took < TimeUnit.SECONDS.toNanos(5), "returned late, after " + took / 1_000_000 + " ms");
    }

    /** A record that arrives during a long timed wait is returned when it arrives, not at the timeout. */
    @Test
    void shouldReturnARecordThatArrivesDuringATimedWait() throws Exception {
        final Ends ends = open(1024);
        final Worker<Long> receiving = Worker.start("receiver", () -> {
            try (ReadClaim record = ends.receiver().recv(Duration.ofSeconds(60))) {
                return record == null ? null : record.getLong(0);
            }
        });
        awaitParkedInReceiver(receiving.thread);
        sendLong(ends.sender(), 5);
        assertEquals(5L, receiving.join(Duration.ofSeconds(10)));
    }

    // ================================================================ interrupts

    /**
     * recv() answers an interrupt with InterruptedException and clears the
     * interrupted status (as BlockingQueue.take does); records before and
     * after the interrupt all arrive, in order.
     */
    @Test
    void shouldAnswerAnInterruptDuringRecvAndLoseNothing() throws Exception {
        assertInterruptibleWait(receiver -> receiver.recv());
    }

    /** recv(timeout) answers an interrupt the same way, long before its timeout. */
    @Test
    void shouldAnswerAnInterruptDuringATimedRecvAndLoseNothing() throws Exception {
        assertInterruptibleWait(receiver -> receiver.recv(Duration.ofSeconds(60)));
    }

    /** read() answers an interrupt the same way, losing nothing (its handler drops what it gets). */
    @Test
    void shouldAnswerAnInterruptDuringReadAndLoseNothing() throws Exception {
        assertInterruptibleWait(receiver -> {
            receiver.read(payload -> { }, 4);
            return null;
        });
    }

    /** read(timeout) answers an interrupt long before its timeout. */
    @Test
    void shouldAnswerAnInterruptDuringATimedReadAndLoseNothing() throws Exception {
        assertInterruptibleWait(receiver -> {
            receiver.read(payload -> { }, 4, Duration.ofSeconds(60));
            return null;
        });
    }

    /** controlledRead() answers an interrupt the same way. */
    @Test
    void shouldAnswerAnInterruptDuringControlledReadAndLoseNothing() throws Exception {
        assertInterruptibleWait(receiver -> {
            receiver.controlledRead(payload -> Action.CONTINUE, 4);
            return null;
        });
    }

    /**
     * A closed receiver is the caller's bug: recv reports it even when an
     * interrupt is pending, and leaves the interrupt for the caller.
     */
    @Test
    void shouldReportAClosedReceiverBeforeAPendingInterrupt() {
        final Ends ends = open(1024);
        ends.receiver().close();
        Thread.currentThread().interrupt();
        try {
            assertThrows(IllegalStateException.class, () -> ends.receiver().recv());
            assertThrows(IllegalStateException.class, () -> ends.receiver().recv(Duration.ofSeconds(30)));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is left pending");
        } finally {
            Thread.interrupted();
        }
    }

    private interface Wait {
        ReadClaim on(Receiver receiver) throws InterruptedException;
    }

    private void assertInterruptibleWait(Wait wait) throws Exception {
        final Ends ends = open(1024);
        final AtomicInteger before = new AtomicInteger();
        final CountDownLatch answered = new CountDownLatch(1);
        final Worker<List<Long>> receiving = Worker.start("receiver", () -> {
            final List<Long> got = new ArrayList<>();
            got.add(recvLong(ends.receiver()));
            got.add(recvLong(ends.receiver()));
            before.set(got.size());
            final long waiting = System.nanoTime();
            assertThrows(InterruptedException.class, () -> wait.on(ends.receiver()));
            final long took = System.nanoTime() - waiting;
            assertFalse(Thread.currentThread().isInterrupted(), "InterruptedException clears the interrupted status");
            assertTrue(took < TimeUnit.SECONDS.toNanos(10), "the interrupt was answered after " + took / 1_000_000 + " ms");
            answered.countDown();
            for (int i = 0; i < 4; i++) {
                got.add(recvLong(ends.receiver()));
            }
            return got;
        });
        sendLong(ends.sender(), 0);
        sendLong(ends.sender(), 1);
        awaitCount(before, 2, receiving); // so that the park seen next is the wait to interrupt
        awaitParkedInReceiver(receiving.thread);
        receiving.thread.interrupt();
        awaitProgress(() -> answered.getCount() == 0, receiving, "answer the interrupt");
        for (long i = 2; i < 6; i++) {
            sendLong(ends.sender(), i);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), receiving.join());
    }

    /**
     * A thread interrupted before it calls recv gets InterruptedException at
     * once, even with records waiting, and the records stay in the ring.
     * tryRecv, which never waits, ignores the interrupt and leaves it set.
     */
    @Test
    void shouldThrowAtOnceWhenInterruptedBeforeRecvAndKeepTheRecords() throws Exception {
        final Ends ends = open(1024);
        final Receiver receiver = ends.receiver();
        for (long i = 0; i < 5; i++) {
            sendLong(ends.sender(), i);
        }
        try {
            final Thread me = Thread.currentThread();
            me.interrupt();
            assertThrows(InterruptedException.class, receiver::recv);
            assertFalse(me.isInterrupted(), "the interrupted status is cleared");
            assertEquals(0, recvLong(receiver), "the interrupt lost nothing");

            me.interrupt();
            assertThrows(InterruptedException.class, () -> receiver.recv(Duration.ofSeconds(30)));
            me.interrupt();
            assertThrows(InterruptedException.class, () -> receiver.recv(30, TimeUnit.SECONDS));
            me.interrupt();
            assertThrows(InterruptedException.class, () -> receiver.recv(Duration.ZERO));
            assertFalse(me.isInterrupted());
            assertEquals(1, recvLong(receiver));

            me.interrupt();
            try (ReadClaim record = receiver.tryRecv()) {
                assertEquals(2, record.getLong(0));
            }
            assertTrue(me.isInterrupted(), "tryRecv leaves the interrupted status alone");
        } finally {
            Thread.interrupted();
        }
        assertEquals(3, recvLong(receiver));
        assertEquals(4, recvLong(receiver));
    }

    // ================================================================ controlled reads

    /**
     * A handler that keeps aborting keeps the last records in the channel:
     * tryControlledRead returns 0 and never reports the disconnect while a
     * record is left, even with every sender closed; once they are taken, it does.
     */
    @Test
    void shouldNotReportTheDisconnectWhileTheHandlerLeavesARecord() throws Exception {
        final Ends ends = open(1024);
        sendLong(ends.sender(), 1);
        sendLong(ends.sender(), 2);
        ends.sender().close();
        final Receiver receiver = ends.receiver();
        final List<Long> offered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertEquals(0, receiver.tryControlledRead(payload -> {
                offered.add(payload.getLong(0));
                return Action.ABORT;
            }, 10), "nothing consumed");
        }
        assertEquals(List.of(1L, 1L, 1L), offered, "the first record, offered once per call");
        final List<Long> taken = new ArrayList<>();
        assertEquals(1, receiver.tryControlledRead(payload -> {
            taken.add(payload.getLong(0));
            return Action.BREAK;
        }, 10));
        assertEquals(1, receiver.tryControlledRead(payload -> {
            taken.add(payload.getLong(0));
            return Action.CONTINUE;
        }, 10));
        assertEquals(List.of(1L, 2L), taken);
        assertThrows(ChannelClosedException.class,
                () -> receiver.tryControlledRead(payload -> fail("nothing is left"), 10), "drained");
    }

    /** A record put back through ReadClaim.putBack() comes out of recv again, and holds back the disconnect. */
    @Test
    void shouldHandOutARecordPutBackAgain() throws Exception {
        final Ends ends = open(1024);
        sendLong(ends.sender(), 7);
        ends.sender().close();
        final Receiver receiver = ends.receiver();
        try (ReadClaim record = receiver.recv()) {
            assertEquals(7, record.getLong(0));
            record.putBack();
        }
        assertEquals(7, recvLong(receiver), "handed out again");
        assertRecvDisconnects(receiver, "once it was taken");
    }

    // ================================================================ stoppable sends

    /**
     * A sender spinning on a full ring is stopped by an interrupt: send throws
     * InterruptedException promptly, clears the status, and claims nothing;
     * the sender works again afterwards.
     */
    @Test
    void shouldStopASendWaitingOnAFullRingWhenInterrupted() throws Exception {
        final Ends ends = open(64);
        final int sent = fill(ends.sender());
        final Worker<Boolean> spinning = Worker.start("sender", () -> {
            try {
                ends.sender().send(8);
                return fail("send returned a claim on a full ring nobody drained");
            } catch (InterruptedException e) {
                return Thread.currentThread().isInterrupted();
            }
        });
        awaitInSend(spinning.thread);
        final long interrupting = System.nanoTime();
        spinning.thread.interrupt();
        assertFalse(spinning.join(), "the interrupted status is cleared, as BlockingQueue.put clears it");
        final long took = System.nanoTime() - interrupting;
        assertTrue(took < TimeUnit.SECONDS.toNanos(5), "send noticed the interrupt after " + took / 1_000_000 + " ms");
        expectOnly(ends, sent, "the interrupted send claimed nothing");
        sendLong(ends.sender(), 99);
        assertEquals(99, recvLong(ends.receiver()), "the sender carries on");
    }

    /** With room in the ring, send claims at once even when the interrupt status is set, and leaves it set. */
    @Test
    void shouldClaimWithRoomEvenWhenInterrupted() throws Exception {
        final Ends ends = open(1024);
        Thread.currentThread().interrupt();
        final WriteClaim claim;
        try {
            claim = ends.sender().send(8);
            assertTrue(Thread.currentThread().isInterrupted(), "the status is left as it was");
        } finally {
            Thread.interrupted();
        }
        claim.putLong(0, 5).commit();
        final WriteClaim timed;
        Thread.currentThread().interrupt();
        try {
            timed = ends.sender().send(8, Duration.ofSeconds(1));
            assertTrue(Thread.currentThread().isInterrupted(), "the status is left as it was (timed send)");
        } finally {
            Thread.interrupted();
        }
        assertNotNull(timed);
        timed.putLong(0, 6).commit();
        assertEquals(5, recvLong(ends.receiver()));
        assertEquals(6, recvLong(ends.receiver()));
    }

    /**
     * A timed send on a full ring gives up after its time-out with null,
     * claims nothing, and the channel carries on; a zero or negative time-out
     * makes one attempt.
     */
    @Test
    void shouldGiveUpATimedSendOnAFullRing() throws Exception {
        final Ends ends = open(64);
        final Sender sender = ends.sender();
        final int sent = fill(sender);
        for (Duration none : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(-5)}) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertNull(sender.send(8, none), "send(8, " + none + ")"));
        }
        final long start = System.nanoTime();
        assertNull(sender.send(8, Duration.ofMillis(50)));
        final long waited = System.nanoTime() - start;
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(50), "gave up after " + waited + " ns, before its time-out");
        assertNull(sender.send(8, 20, TimeUnit.MILLISECONDS), "the TimeUnit form");
        expectOnly(ends, sent, "a send that gave up claimed nothing");
        final WriteClaim claim = sender.send(8, Duration.ZERO);
        assertNotNull(claim, "with room, even a zero time-out claims");
        claim.putLong(0, 42).commit();
        assertEquals(42, recvLong(ends.receiver()));
    }

    /** A timed send succeeds as soon as the receiver makes room during its wait. */
    @Test
    void shouldCompleteATimedSendWhenRoomAppearsInTime() throws Exception {
        final Ends ends = open(64);
        final int sent = fill(ends.sender());
        final Worker<Boolean> waiting = Worker.start("sender", () -> {
            final WriteClaim claim = ends.sender().send(8, Duration.ofSeconds(30));
            if (claim == null) {
                return false;
            }
            claim.putLong(0, 1000).commit();
            ends.sender().wake();
            return true;
        });
        awaitInSend(waiting.thread);
        assertEquals(0, recvLong(ends.receiver()), "the first of the fill");
        assertTrue(waiting.join(), "the timed send got the room the receiver freed");
        for (int i = 1; i < sent; i++) {
            assertEquals(i, recvLong(ends.receiver()));
        }
        assertEquals(1000, recvLong(ends.receiver()));
    }

    /** A timed send answers an interrupt too, and a closed receiver, and refuses a bad length at once. */
    @Test
    void shouldStopATimedSendOnInterruptCloseOrBadLength() throws Exception {
        final Ends ends = open(64);
        fill(ends.sender());
        final Worker<WriteClaim> interrupted = Worker.start("sender", () -> ends.sender().send(8, Duration.ofMinutes(5)));
        awaitInSend(interrupted.thread);
        interrupted.thread.interrupt();
        assertThrows(InterruptedException.class, interrupted::join);
        assertThrows(IllegalArgumentException.class, () -> ends.sender().send(0, Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class,
                () -> ends.sender().send(ends.sender().maxRecordLength() + 1, Duration.ofMinutes(5)));
        assertThrows(NullPointerException.class, () -> ends.sender().send(8, null));
        final Worker<WriteClaim> closed = Worker.start("sender", () -> ends.sender().send(8, Duration.ofMinutes(5)));
        awaitInSend(closed.thread);
        ends.receiver().close();
        assertThrows(ChannelClosedException.class, closed::join);
        ends.sender().close();
        assertThrows(IllegalStateException.class, () -> ends.sender().send(8, Duration.ZERO), "a closed sender");
    }

    /** Receives exactly the {@code sent} records {@link #fill} sent, and then nothing. */
    private static void expectOnly(Ends ends, int sent, String why) throws InterruptedException {
        for (int i = 0; i < sent; i++) {
            assertEquals(i, recvLong(ends.receiver()), why);
        }
        assertNull(ends.receiver().tryRecv(), why);
    }

    // ================================================================ counters

    /**
     * A send that waits on a full ring, retrying many times, then gets its
     * claim once the receiver makes room, counts once in
     * {@code stats().queue().full()}; a refused trySend counts once too.
     */
    @Test
    void shouldCountASendThatWaitedOnceInFull() throws Exception {
        final Ends ends = open(64);
        final int sent = fill(ends.sender());
        final long before = ends.receiver().stats().queue().full();
        assertNull(ends.sender().trySend(8), "the ring is full");
        assertEquals(before + 1, ends.receiver().stats().queue().full(), "a refused trySend counts once");

        final Worker<Void> waiting = Worker.start("sender", () -> {
            ends.sender().send(8).putLong(0, sent).commit();
            return null;
        });
        awaitInSend(waiting.thread);
        Thread.sleep(50); // the send retries thousands of times meanwhile
        assertTrue(waiting.thread.isAlive(), "the send is still waiting for room");
        assertEquals(0, recvLong(ends.receiver()), "room for the waiting send");
        waiting.join();
        assertEquals(before + 2, ends.receiver().stats().queue().full(),
                "the waiting send counts once, however many times it retried");
        for (int i = 1; i <= sent; i++) {
            assertEquals(i, recvLong(ends.receiver()));
        }
    }

    /**
     * The refused attempts of that wait count in
     * {@code stats().queue().refused()}: every retry, so many more than
     * {@code full()}; a send that finds room at once counts in neither.
     */
    @Test
    void shouldCountEveryRefusedAttemptOfAWaitInRefused() throws Exception {
        final Ends ends = open(64);
        final int sent = fill(ends.sender());
        final QueueStats before = ends.receiver().stats().queue();
        final Worker<Void> waiting = Worker.start("sender", () -> {
            ends.sender().send(8).putLong(0, sent).commit();
            return null;
        });
        awaitInSend(waiting.thread);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ends.receiver().stats().queue().refused() - before.refused() < 100) {
            assertTrue(System.nanoTime() - deadline < 0, "the waiting send made fewer than 100 attempts in 10 s");
            Thread.onSpinWait();
        }
        assertEquals(0, recvLong(ends.receiver()), "room for the waiting send");
        waiting.join();
        final QueueStats after = ends.receiver().stats().queue();
        assertEquals(before.full() + 1, after.full(), "one send found the ring full");
        assertTrue(after.refused() - before.refused() >= 100, "every retry is a refused attempt: " + after);

        for (int i = 1; i <= sent; i++) {
            assertEquals(i, recvLong(ends.receiver()));
        }
        sendLong(ends.sender(), 7);
        assertEquals(after.full(), ends.receiver().stats().queue().full(), "a send with room counts nothing");
        assertEquals(after.refused(), ends.receiver().stats().queue().refused(), "a send with room counts nothing");
    }

    // ================================================================ lengths

    /**
     * Ports of send_zero_panics / try_send_zero_panics, widened: every length
     * that can never fit (zero, negative, above maxRecordLength) is refused
     * at once with IllegalArgumentException naming the length and the bound,
     * by send and trySend, on an empty ring and on a full one.
     */
    @Test
    void shouldRejectEveryLengthThatCanNeverFitAtOnce() throws Exception {
        final Ends ends = open(64);
        final Sender sender = ends.sender();
        final int max = sender.maxRecordLength();
        assertEquals(56, max);
        final int[] bad = {0, -1, -8, Integer.MIN_VALUE, max + 1, 64, 65, Integer.MAX_VALUE};
        for (boolean full : new boolean[] {false, true}) {
            if (full) {
                fill(sender);
            }
            for (int length : bad) {
                final String call = "send(" + length + ") on " + (full ? "a full" : "an empty") + " ring";
                final IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> assertThrows(IllegalArgumentException.class, () -> sender.send(length), call),
                        call + " must not spin");
                assertNamesLengthAndBound(e, length, max);
                assertNamesLengthAndBound(
                        assertThrows(IllegalArgumentException.class, () -> sender.trySend(length), "try" + call),
                        length, max);
                assertNamesLengthAndBound(assertThrows(IllegalArgumentException.class,
                        () -> sender.send(length, Duration.ofMinutes(1)), "timed " + call), length, max);
            }
        }
        assertFalse(sender.isDisconnected(), "a refused length leaves the channel as it was");
    }

    private static void assertNamesLengthAndBound(IllegalArgumentException e, int length, int max) {
        assertTrue(e.getMessage().contains(String.valueOf(length)) && e.getMessage().contains(String.valueOf(max)),
                "the message names the length " + length + " and the bound " + max + ": " + e.getMessage());
    }

    /**
     * A bad length is a caller's bug whatever the channel's state: it is
     * refused with IllegalArgumentException even once the receiver is closed,
     * as the original checks the length before anything else.
     */
    @Test
    void shouldRejectABadLengthEvenOnceTheReceiverIsClosed() {
        final Ends ends = open(64);
        ends.receiver().close();
        for (int length : new int[] {0, -1, ends.sender().maxRecordLength() + 1}) {
            assertThrows(IllegalArgumentException.class, () -> ends.sender().send(length), "send(" + length + ")");
            assertThrows(IllegalArgumentException.class, () -> ends.sender().trySend(length), "trySend(" + length + ")");
        }
        assertThrows(ChannelClosedException.class, () -> ends.sender().send(8), "a good length sees the close");
    }

    // ================================================================ claims and handles

    /** Closing a sender aborts its open claim: the receiver never sees it and is not stalled by it. */
    @Test
    void shouldAbortTheOpenClaimWhenTheSenderCloses() throws Exception {
        final Ends ends = open(1024);
        sendLong(ends.sender(), 1);
        final WriteClaim open = ends.sender().send(8);
        open.putLong(0, 2);
        ends.sender().close();
        assertThrows(IllegalStateException.class, open::commit, "the claim ended with the sender");

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(1, recvLong(ends.receiver()));
            assertThrows(ChannelClosedException.class, ends.receiver()::recv, "the aborted claim is never received");
        });
    }

    /** A closed sender refuses every claim with IllegalStateException, whatever the length or ring state. */
    @Test
    void shouldRejectUseOfAClosedSender() {
        final Ends ends = open(1024);
        final Sender sender = ends.sender();
        sender.close();
        assertThrows(IllegalStateException.class, () -> sender.send(8));
        assertThrows(IllegalStateException.class, () -> sender.trySend(8));
        ends.receiver().close();
        assertThrows(IllegalStateException.class, () -> sender.send(8), "closed sender beats closed receiver");
        assertThrows(IllegalStateException.class, () -> sender.trySend(8));
    }

    /** A closed receiver refuses every receive with IllegalStateException. */
    @Test
    void shouldRejectUseOfAClosedReceiver() throws InterruptedException {
        final Ends ends = open(1024);
        sendLong(ends.sender(), 1);
        final Receiver receiver = ends.receiver();
        receiver.close();
        assertThrows(IllegalStateException.class, receiver::recv);
        assertThrows(IllegalStateException.class, receiver::tryRecv);
        assertThrows(IllegalStateException.class, () -> receiver.recv(Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> receiver.recv(Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, () -> receiver.recv(1, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> receiver.tryRead(payload -> fail("closed"), 1));
    }

    /** Closing either end twice is harmless: the second close changes nothing. */
    @Test
    void shouldIgnoreASecondClose() throws Exception {
        final Ends ends = open(1024);
        sendLong(ends.sender(), 1);
        ends.sender().close();
        ends.sender().close();
        assertEquals(1, recvLong(ends.receiver()), "the record survives both closes");
        assertRecvDisconnects(ends.receiver(), "after two closes");

        final Ends other = open(1024);
        other.receiver().close();
        other.receiver().close();
        assertTrue(other.sender().isDisconnected());
        assertThrows(ChannelClosedException.class, () -> other.sender().trySend(8));
    }

    /** A sender hands out one claim at a time: a second claim while one is open is IllegalStateException. */
    @Test
    void shouldRejectASecondClaimWhileOneIsOpen() throws Exception {
        final Ends ends = open(1024);
        final Sender sender = ends.sender();
        final WriteClaim first = sender.send(8);
        assertThrows(IllegalStateException.class, () -> sender.send(8), "send");
        assertThrows(IllegalStateException.class, () -> sender.trySend(8), "trySend");
        first.putLong(0, 1).commit();
        assertThrows(IllegalStateException.class, first::commit, "a claim commits once");
        sendLong(sender, 2);
        assertEquals(1, recvLong(ends.receiver()));
        assertEquals(2, recvLong(ends.receiver()));
    }

    /** A receiver hands out one record at a time: another receive while one is open is IllegalStateException. */
    @Test
    void shouldRejectASecondRecordWhileOneIsOpen() throws Exception {
        final Ends ends = open(1024);
        sendLong(ends.sender(), 1);
        sendLong(ends.sender(), 2);
        final Receiver receiver = ends.receiver();
        final ReadClaim first = receiver.recv();
        assertThrows(IllegalStateException.class, receiver::recv, "recv");
        assertThrows(IllegalStateException.class, receiver::tryRecv, "tryRecv");
        assertThrows(IllegalStateException.class, () -> receiver.recv(Duration.ZERO), "recv(ZERO)");
        assertThrows(IllegalStateException.class, () -> receiver.tryRead(payload -> fail("open"), 1), "tryRead");
        assertEquals(1, first.getLong(0));
        first.close();
        assertThrows(IllegalStateException.class, () -> first.getLong(0), "a released record is gone");
        assertEquals(2, recvLong(receiver));
    }

    /** Fills the ring with 8-byte records until trySend reports it full; returns how many fitted. */
    static int fill(Sender sender) {
        int sent = 0;
        for (;;) {
            final WriteClaim claim = sender.trySend(8);
            if (claim == null) {
                return sent;
            }
            claim.putLong(0, sent++);
            claim.commit();
        }
    }
}
