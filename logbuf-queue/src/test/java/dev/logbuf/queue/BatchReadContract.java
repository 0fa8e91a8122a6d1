package dev.logbuf.queue;

import static dev.logbuf.queue.Records.copy;
import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The batch read, {@link Consumer#read(RecordHandler, int)}, for either
 * variant: its limit and count, skips inside a batch, a throwing handler,
 * reentrancy, and the single release at the end. The fixture is a 256-byte
 * ring at offset 200, so a batch of 16-byte records crosses the wrap.
 */
abstract class BatchReadContract extends QueueContract {

    private RecordHandler handler;

    @Override
    int fixtureCapacity() {
        return 256;
    }

    @Override
    int fixtureStartOffset() {
        return 200;
    }

    @BeforeEach
    void mockHandler() {
        handler = mock(RecordHandler.class);
    }

    @Test
    @DisplayName("a handed payload knows its record's ring position, and is refused once the read has ended")
    void shouldGiveEachPayloadItsPositionAndRefuseItAfterTheRead() {
        sendSequence(0, 3);
        final long first = consumer.position();
        final List<Long> positions = new ArrayList<>();
        final Payload[] kept = new Payload[1];
        assertEquals(3, consumer.read(payload -> {
            positions.add(payload.position());
            kept[0] = payload;
        }, 10));
        assertEquals(first, positions.get(0), "the first record is at the head");
        assertTrue(positions.get(0) < positions.get(1) && positions.get(1) < positions.get(2), "increasing: " + positions);
        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> kept[0].getLong(0));
        assertTrue(error.getMessage().contains("read that handed this payload has ended"), error.getMessage());
        assertThrows(IllegalStateException.class, () -> kept[0].buffer());
    }

    @Test
    @DisplayName("a batch hands over at most limit records and returns how many it handed over")
    void shouldStopAtTheLimitAndReturnTheCount() {
        sendSequence(0, 10);                               // 200..248, padding, then 0..112
        assertEquals(3, consumer.read(handler, 3));
        verify(handler, times(3)).onRecord(any());
        verify(handler, times(1)).onBatchEnd();
        assertEquals(7, consumer.read(handler, 100));
        verify(handler, times(10)).onRecord(any());
        verify(handler, times(2)).onBatchEnd();
        assertEquals(0, consumer.read(handler, 100));
        verifyNoMoreInteractions(handler);
    }

    @Test
    @DisplayName("a batch on an empty ring returns 0 without calling the handler")
    void shouldReturnZeroWithoutCallingTheHandlerWhenEmpty() {
        assertEquals(0, consumer.read(handler, 1));
        assertEquals(0, consumer.read(handler, Integer.MAX_VALUE));
        verifyNoInteractions(handler);
    }

    @Test
    @DisplayName("each payload is exactly the record, in order, indexed from its first byte; its view is read-only and little-endian")
    void shouldHandEachPayloadInOrderAsAReadOnlyView() {
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final byte[] record = payload(i, 1 + i * 3);   // 1..22 bytes: 16 to 32 each, crossing the wrap
            send(producer, record);
            sent.add(record);
        }
        final List<byte[]> seen = new ArrayList<>();
        final int count = consumer.read(payload -> {
            assertTrue(payload.buffer().isReadOnly());
            assertEquals(ByteOrder.LITTLE_ENDIAN, payload.buffer().order());
            final byte[] expected = sent.get(seen.size());
            assertEquals(expected.length, payload.length());
            assertEquals(expected.length, payload.buffer().remaining(), "the view frames the payload");
            assertEquals(expected[0], payload.getByte(0), "indexes count from the payload's first byte");
            assertEquals(expected[expected.length - 1], payload.getByte(expected.length - 1));
            assertThrows(IndexOutOfBoundsException.class, () -> payload.getByte(expected.length),
                    "no index reaches past the record");
            assertThrows(IndexOutOfBoundsException.class, () -> payload.getByte(-1),
                    "no index reaches before the record");
            seen.add(copy(payload));
        }, 100);
        assertEquals(8, count);
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(sent.get(i), seen.get(i), "record " + i);
        }
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("aborted claims and wrap padding inside a batch are stepped over and not counted")
    void shouldStepOverSkipMarkersInsideABatch() {
        send(producer, payload(0, 8));                     // 200..216
        abortClaim(8, false);                              // 216..232
        send(producer, payload(1, 8));                     // 232..248
        abortClaim(8, true);                               // padding 248..256, then 0..16
        send(producer, payload(2, 8));                     // 16..32
        abortClaim(30, false);                             // 32..72
        send(producer, payload(3, 8));                     // 72..88

        final List<byte[]> seen = new ArrayList<>();
        final RecordHandler collect = payload -> seen.add(copy(payload));
        assertEquals(2, consumer.read(collect, 2));
        assertEquals(2, consumer.read(collect, 10));
        assertEquals(4, seen.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(payload(i, 8), seen.get(i), "record " + i);
        }
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a batch stops at a claim not yet committed and resumes there")
    void shouldStopAtAClaimNotYetCommitted() {
        send(producer, payload(0, 8));
        final WriteClaim open = producer.tryClaim(8);
        assertNotNull(open);
        assertEquals(1, consumer.read(handler, 10));
        assertEquals(0, consumer.read(handler, 10));
        open.put(payload(1, 8)).commit();
        assertEquals(1, consumer.read(handler, 10));
        verify(handler, times(2)).onRecord(any());
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("when the handler throws, the records handed so far (the throwing one included) are consumed")
    void shouldConsumeUpToTheThrowingRecordWhenTheHandlerThrows() {
        sendSequence(0, 6);
        final RuntimeException boom = new RuntimeException("boom");
        doNothing().doNothing().doThrow(boom).when(handler).onRecord(any());
        assertSame(boom, assertThrows(RuntimeException.class, () -> consumer.read(handler, 100)));
        verify(handler, times(3)).onRecord(any());

        final List<byte[]> rest = new ArrayList<>();
        assertEquals(3, consumer.read(payload -> rest.add(copy(payload)), 100), "the rest is still delivered");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(payload(3 + i, 8), rest.get(i), "record " + (3 + i));
        }
        expectEmpty(consumer);
        // the consumed records gave their space back: the whole ring takes new records again
        sendSequence(10, 16);
        assertNull(producer.tryClaim(1), "exactly full");
    }

    @Test
    @DisplayName("a handler that calls its consumer gets an IllegalStateException; the batch and the consumer carry on")
    void shouldRejectReentrantCallsFromTheHandler() {
        sendSequence(0, 3);
        final List<String> refused = new ArrayList<>();
        final int count = consumer.read(payload -> {
            assertThrows(IllegalStateException.class, consumer::tryClaim);
            assertThrows(IllegalStateException.class, () -> consumer.read(handler, 1));
            refused.add("record " + refused.size());
        }, 10);
        assertEquals(3, count);
        assertEquals(3, refused.size());
        verifyNoInteractions(handler);
        final byte[] next = payload(9, 8);
        send(producer, next);
        expect(consumer, next);
        expectEmpty(consumer);
    }

    @Test
    @DisplayName("a batch gives its records back with one head store at its end, not record by record")
    void shouldReleaseTheBatchOnlyWhenItEnds() {
        final int sent = fill(8);
        assertTrue(sent > 10, "a 256-byte ring holds more than ten 16-byte records");
        final int[] calls = {0};
        assertEquals(sent, consumer.read(payload -> {
            calls[0]++;
            assertNull(producer.tryClaim(8), "no space is given back while the batch runs");
        }, Integer.MAX_VALUE));
        assertEquals(sent, calls[0]);
        // 15 records and 8 bytes of padding stood in the ring; now its 256 bytes take 16 from offset 192
        assertEquals(15, sent);
        assertEquals(16, fill(8), "after the batch, all of the ring is free again");
    }

    @Test
    @DisplayName("a limit below 1 is an IllegalArgumentException naming it, a null handler a NullPointerException")
    void shouldRejectABadLimitOrHandler() {
        sendSequence(0, 2);
        for (int limit : new int[] {0, -1, Integer.MIN_VALUE}) {
            final IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> consumer.read(handler, limit));
            WriteClaimContract.assertMentions(e.getMessage(), limit);
        }
        assertThrows(NullPointerException.class, () -> consumer.read(null, 1));
        verifyNoInteractions(handler);
        assertEquals(2, consumer.read(handler, 10), "the records are still there");
    }

    @Test
    @DisplayName("a batch while a record is open is an IllegalStateException and hands nothing over")
    void shouldRejectABatchWhileARecordIsOpen() {
        sendSequence(0, 2);
        try (ReadClaim record = consumer.tryClaim()) {
            assertNotNull(record);
            assertThrows(IllegalStateException.class, () -> consumer.read(handler, 10));
            verifyNoInteractions(handler);
            assertArrayEquals(payload(0, 8), Records.bytesOf(record));
        }
        assertEquals(1, consumer.read(handler, 10));
        verify(handler).onRecord(any(Payload.class));
    }

    @Test
    @DisplayName("every record of a batch is still in place, unzeroed, when onBatchEnd runs")
    void shouldKeepTheWholeBatchInPlaceUntilItsEnd() {
        sendSequence(0, 10);                               // crosses the wrap: 200..248, padding, 0..112
        final List<int[]> spans = new ArrayList<>();
        final ByteBuffer[] own = new ByteBuffer[1];
        final List<byte[]> atEnd = new ArrayList<>();
        final int[] ends = new int[1];
        final RecordHandler keeper = new RecordHandler() {
            @Override
            public void onRecord(Payload payload) {
                final ByteBuffer view = payload.buffer();
                if (own[0] == null) {
                    own[0] = view.duplicate();
                }
                spans.add(new int[] {view.position(), view.limit()});
            }

            @Override
            public void onBatchEnd() {
                ends[0]++;
                for (int[] span : spans) {
                    final ByteBuffer view = own[0].limit(span[1]).position(span[0]);
                    final byte[] bytes = new byte[view.remaining()];
                    view.get(bytes);
                    atEnd.add(bytes);
                }
            }
        };
        assertEquals(10, consumer.read(keeper, 100));
        assertEquals(1, ends[0], "onBatchEnd runs once per batch");
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(payload(i, 8), atEnd.get(i), "record " + i + " at the end of the batch");
        }
        assertEquals(0, consumer.read(keeper, 100));
        assertEquals(1, ends[0], "an empty batch has no end to report");
    }

    @Test
    @DisplayName("a batch whose onBatchEnd throws is still consumed, and the exception propagates")
    void shouldReleaseTheBatchWhenOnBatchEndThrows() {
        sendSequence(0, 3);
        doThrow(new IllegalStateException("boom")).when(handler).onBatchEnd();
        assertThrows(IllegalStateException.class, () -> consumer.read(handler, 10));
        verify(handler, times(3)).onRecord(any());
        sendSequence(3, 1);
        expect(consumer, payload(3, 8));
        expectEmpty(consumer);
    }
}
