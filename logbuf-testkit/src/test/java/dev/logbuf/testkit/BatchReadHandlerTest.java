package dev.logbuf.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import dev.logbuf.queue.RecordHandler;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.InOrder;

/**
 * The batch read's calls to its handler, verified with a Mockito mock over the
 * four variants: how many calls, in which order, what each payload holds at
 * the time of the call, and what a throwing handler consumes.
 */
class BatchReadHandlerTest {

    static Stream<RingFactory> variants() {
        return Stream.of(Variants.spscQueue(), Variants.mpscQueue(), Variants.spscChannel(), Variants.mpscChannel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void shouldHandEachRecordOnceInOrderUpToTheLimit(RingFactory factory) {
        final RingUnderTest ring = factory.create(128);
        for (int i = 1; i <= 3; i++) {
            commit(ring, i);
        }
        final RecordHandler handler = mock(RecordHandler.class);
        final RecordHandler checking = handler::onRecord;

        assertEquals(2, ring.consumer().read(checking, 2));
        verify(handler, times(2)).onRecord(any(ByteBuffer.class));
        verifyNoMoreInteractions(handler);

        assertEquals(1, ring.consumer().read(checking, 5));
        verify(handler, times(3)).onRecord(any(ByteBuffer.class));
        assertEquals(0, ring.consumer().read(checking, 5));
        verifyNoMoreInteractions(handler);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void shouldSeeThePayloadOfEachRecordDuringItsCall(RingFactory factory) {
        final RingUnderTest ring = factory.create(64);
        commit(ring, 5);
        commit(ring, 9);
        final RecordHandler handler = mock(RecordHandler.class);
        ring.consumer().read(payload -> {
            final byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            handler.onRecord(ByteBuffer.wrap(copy));
        }, 10);
        final InOrder order = inOrder(handler);
        order.verify(handler).onRecord(ByteBuffer.wrap(Payloads.of(0, 5, 5)));
        order.verify(handler).onRecord(ByteBuffer.wrap(Payloads.of(0, 9, 9)));
        verifyNoMoreInteractions(handler);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void shouldConsumeTheRecordAHandlerThrowsOn(RingFactory factory) {
        final RingUnderTest ring = factory.create(64);
        commit(ring, 1);
        commit(ring, 2);
        final RecordHandler handler = mock(RecordHandler.class);
        doThrow(new IllegalStateException("handler failed")).when(handler).onRecord(any());

        assertThrows(IllegalStateException.class, () -> ring.consumer().read(handler, 5));
        verify(handler, times(1)).onRecord(any());

        final RecordUnderTest next = ring.consumer().tryClaim();
        assertNotNull(next, "the record after the one the handler threw on");
        assertEquals(2, next.length());
        next.close();
        assertNull(ring.consumer().tryClaim());
        verify(handler, never()).onRecord(argThat(p -> p.remaining() == 2));
    }

    private static void commit(RingUnderTest ring, int length) {
        final ClaimUnderTest c = ring.producer().tryClaim(length);
        assertNotNull(c);
        c.put(0, Payloads.of(0, length, length));
        c.commit();
    }
}
