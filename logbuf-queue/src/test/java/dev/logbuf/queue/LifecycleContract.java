package dev.logbuf.queue;

import static dev.logbuf.queue.Records.copy;
import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Raw handles' lifecycle (close, disconnect in both directions) and the
 * queue's counters, for either variant.
 */
abstract class LifecycleContract extends QueueContract {

    @Override
    int fixtureCapacity() {
        return 256;
    }

    @Test
    @DisplayName("closing every producer handle disconnects the consumer, after what they committed is read")
    void shouldDisconnectTheConsumerOnceEveryProducerClosed() {
        final List<Producer> handles = queue.producers(queue.variant.multiProducer() ? 2 : 1);
        final byte[] last = payload(1, 20);
        send(handles.get(handles.size() - 1), last);
        assertFalse(consumer.isDisconnected());
        for (int i = 0; i < handles.size(); i++) {
            handles.get(i).close();
            assertEquals(i == handles.size() - 1, consumer.isDisconnected(), "after closing handle " + i);
        }
        expect(consumer, last);
        expectEmpty(consumer);
        assertEquals(0, consumer.stats().producers());
    }

    @Test
    @DisplayName("isDisconnected() turns true at the last close with records still readable; every one is read after it")
    void shouldReportTheDisconnectBeforeTheDrainAndStillHandOutEveryRecord() {
        final List<Producer> handles = queue.producers(queue.variant.multiProducer() ? 3 : 1);
        final List<byte[]> sent = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            for (int h = 0; h < handles.size(); h++) {
                final byte[] payload = payload(10 * h + r, 1 + 3 * r + h);
                send(handles.get(h), payload);
                sent.add(payload);
            }
        }
        handles.forEach(Producer::close);
        // the raw consumer reports the disconnect at once, not after the drain
        assertTrue(consumer.isDisconnected(), "every producer closed, " + sent.size() + " records still readable");
        assertEquals(sent.size(), consumer.stats().committed() - consumer.stats().consumed(),
                "nothing was read yet");
        expect(consumer, sent.get(0));
        assertTrue(consumer.isDisconnected(), "still disconnected part-way through the drain");
        final int[] next = {1};
        assertEquals(sent.size() - 1, consumer.read(record -> {
            assertArrayEquals(sent.get(next[0]), copy(record), "record " + next[0] + ", in claim order");
            next[0]++;
        }, 64), "the rest of the records, in one batch");
        expectEmpty(consumer);
        assertTrue(consumer.isDisconnected(), "disconnected after the drain");
    }

    @Test
    @DisplayName("close() aborts the open claim, a closed handle refuses claims, closing twice is harmless")
    void shouldAbortTheOpenClaimOnClose() {
        final WriteClaim claim = producer.tryClaim(24);
        claim.put(payload(2, 24));
        producer.close();
        assertThrows(IllegalStateException.class, claim::commit, "the claim ended with the handle");
        expectEmpty(consumer);
        assertEquals(1, consumer.stats().aborted());
        final IllegalStateException closed = assertThrows(IllegalStateException.class, () -> producer.tryClaim(8));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        producer.close();
        assertTrue(consumer.isDisconnected());
    }

    @Test
    @DisplayName("closing the consumer is seen by producers; a closed consumer refuses use but still gives stats")
    void shouldTellProducersTheConsumerClosed() {
        assertFalse(producer.isDisconnected());
        consumer.close();
        assertTrue(producer.isDisconnected());
        assertThrows(IllegalStateException.class, consumer::tryClaim);
        assertThrows(IllegalStateException.class, () -> consumer.read(record -> { }, 1));
        assertThrows(IllegalStateException.class, consumer::unblock);
        assertNotNull(producer.tryClaim(8), "claims still succeed while there is room; nothing reads them");
        assertEquals(256, consumer.stats().capacity());
        consumer.close();
    }

    @Test
    @DisplayName("full counts a claim that found the ring full once, however often tryClaimAgain retries; refused counts every attempt")
    void shouldCountAWaitOnceInFullAndEveryAttemptInRefused() {
        int fitted = 0;
        for (int n; (n = fill(8)) != 0; ) {
            fitted += n; // a fill may stop at wrap padding: go on until nothing fits
        }
        final QueueStats before = consumer.stats();
        assertNull(producer.tryClaim(8), "full");
        assertEquals(before.full() + 1, consumer.stats().full(), "a failed tryClaim counts once in full");
        assertEquals(before.refused() + 1, consumer.stats().refused(), "and once in refused");
        for (int retry = 0; retry < 1000; retry++) {
            assertNull(producer.tryClaimAgain(8), "still full");
        }
        assertEquals(before.full() + 1, consumer.stats().full(), "retries of the same wait do not count in full");
        assertEquals(before.refused() + 1001, consumer.stats().refused(), "each retry counts in refused");

        try (ReadClaim oldest = consumer.tryClaim()) {
            assertNotNull(oldest, "room for one");
        }
        final WriteClaim claim = producer.tryClaimAgain(8);
        assertNotNull(claim, "the retry after the consumer made room succeeds");
        claim.put(payload(fitted, 8)).commit();
        final QueueStats after = consumer.stats();
        assertEquals(before.full() + 1, after.full(), "a successful claim counts in neither");
        assertEquals(before.refused() + 1001, after.refused(), "a successful claim counts in neither");

        assertNull(producer.tryClaim(8), "full again: a new claim");
        assertEquals(after.full() + 1, consumer.stats().full(), "a new tryClaim that fails counts again");
        assertThrows(IllegalArgumentException.class, () -> producer.tryClaimAgain(0), "lengths are checked as by tryClaim");
        assertEquals(after.refused() + 1, consumer.stats().refused(), "a rejected length is no refusal");
    }

    @Test
    @DisplayName("counters: committed, consumed, bytes, full, aborted; positions and size")
    void shouldCountWhatHappened() {
        final QueueStats before = consumer.stats();
        assertEquals(before.tail(), before.head(), "drained fixture");
        assertEquals(0, before.size());

        send(producer, payload(3, 10));                 // 24 bytes
        send(producer, payload(4, 100));                // 112 bytes
        producer.tryClaim(7).abort();                   // 16 bytes, skipped
        final QueueStats sent = consumer.stats();
        assertEquals(before.committed() + 2, sent.committed());
        assertEquals(before.committedBytes() + 110, sent.committedBytes());
        assertEquals(before.aborted() + 1, sent.aborted());
        assertEquals(152, sent.size());

        assertNull(producer.tryClaim(queue.maxRecordLength), "the ring is too full for the largest record");
        assertEquals(before.full() + 1, consumer.stats().full());

        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record);
        }
        assertEquals(1, consumer.read(record -> { }, 8));
        final QueueStats read = consumer.stats();
        assertEquals(before.consumed() + 2, read.consumed());
        assertEquals(before.consumedBytes() + 110, read.consumedBytes());
        assertEquals(read.tail(), read.head(), "drained: the abort was stepped over");
        assertEquals(0, read.recovered());
        assertEquals(0, read.stalls());
        assertEquals(1, read.producers());
    }
}
