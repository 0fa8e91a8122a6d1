package dev.logbuf.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.AdditionalMatchers.aryEq;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import dev.logbuf.queue.Payload;
import dev.logbuf.queue.RecordHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.InOrder;

/**
 * The batch read's calls to its handler, verified with a Mockito mock over the
 * four variants: how many calls, in which order, what each payload holds at
 * the time of the call, and what a throwing handler consumes.
 *
 * <p>The handler's {@link Payload} is one flyweight, reused for every record
 * and invalid once the read returns, so a mock cannot check it afterwards:
 * what a record holds is copied during its call and handed to a mock of
 * {@link Received}.
 */
class BatchReadHandlerTest {

    /** What the tests hand a mock: the bytes a handler copied during its call. */
    interface Received {
        /**
         * One record's bytes.
         *
         * @param payload the copy
         */
        void record(byte[] payload);
    }

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
        verify(handler, times(2)).onRecord(any(Payload.class));
        verifyNoMoreInteractions(handler);

        assertEquals(1, ring.consumer().read(checking, 5));
        verify(handler, times(3)).onRecord(any(Payload.class));
        assertEquals(0, ring.consumer().read(checking, 5));
        verifyNoMoreInteractions(handler);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void shouldSeeThePayloadOfEachRecordDuringItsCall(RingFactory factory) {
        final RingUnderTest ring = factory.create(64);
        commit(ring, 5);
        commit(ring, 9);
        final Received received = mock(Received.class);
        ring.consumer().read(payload -> {
            final byte[] copy = new byte[payload.length()];
            payload.get(copy);
            received.record(copy);
        }, 10);
        final InOrder order = inOrder(received);
        order.verify(received).record(aryEq(Payloads.of(0, 5, 5)));
        order.verify(received).record(aryEq(Payloads.of(0, 9, 9)));
        verifyNoMoreInteractions(received);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void shouldHandAPayloadThatCountsFromTheRecordsFirstByteUntilTheReadEnds(RingFactory factory) {
        final RingUnderTest ring = factory.create(64);
        commit(ring, 5);
        commit(ring, 9); // its payload starts at ring byte 24, not 0
        final List<Long> positions = new ArrayList<>();
        final Payload[] kept = {null};
        assertEquals(2, ring.consumer().read(payload -> {
            final byte[] want = Payloads.of(0, payload.length(), payload.length());
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], payload.getByte(i), "payload byte " + i);
            }
            assertEquals(want.length, payload.buffer().remaining(), "the view frames the payload");
            positions.add(payload.position());
            kept[0] = payload;
        }, 10));
        assertEquals(List.of(0L, 16L), positions, "each record's ring position");
        assertThrows(IllegalStateException.class, kept[0]::length, "the payload once the read returned");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void shouldConsumeTheRecordAHandlerThrowsOn(RingFactory factory) {
        final RingUnderTest ring = factory.create(64);
        commit(ring, 1);
        commit(ring, 2);
        final RecordHandler handler = mock(RecordHandler.class);
        final List<Integer> lengths = new ArrayList<>();
        doAnswer(call -> {
            lengths.add(call.<Payload>getArgument(0).length()); // during the call: the payload is valid
            throw new IllegalStateException("handler failed");
        }).when(handler).onRecord(any());

        assertThrows(IllegalStateException.class, () -> ring.consumer().read(handler, 5));
        verify(handler, times(1)).onRecord(any());

        final RecordUnderTest next = ring.consumer().tryClaim();
        assertNotNull(next, "the record after the one the handler threw on");
        assertEquals(2, next.length());
        next.close();
        assertNull(ring.consumer().tryClaim());
        assertEquals(List.of(1), lengths, "the handler saw the 1-byte record only");
    }

    private static void commit(RingUnderTest ring, int length) {
        final ClaimUnderTest c = ring.producer().tryClaim(length);
        assertNotNull(c);
        c.put(0, Payloads.of(0, length, length));
        c.commit();
    }
}
