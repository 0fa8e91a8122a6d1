package dev.logbuf.queue;

import static dev.logbuf.queue.Records.expect;
import static dev.logbuf.queue.Records.expectEmpty;
import static dev.logbuf.queue.Records.payload;
import static dev.logbuf.queue.Records.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The contract suites, run against {@link MpscQueue}, and what is MPSC's own: many handles. */
@DisplayName("MPSC queue")
class MpscQueueTest {

    @Nested
    @DisplayName("dead and stalled claims")
    class Recovery extends RecoveryContract {
        @Override
        Variant variant() {
            return Variant.MPSC;
        }
    }

    @Nested
    @DisplayName("lifecycle and counters")
    class Lifecycle extends LifecycleContract {
        @Override
        Variant variant() {
            return Variant.MPSC;
        }
    }

    @Nested
    @DisplayName("records flow")
    class Flow extends FlowContract {
        @Override
        Variant variant() {
            return Variant.MPSC;
        }
    }

    @Nested
    @DisplayName("write claims")
    class WriteClaims extends WriteClaimContract {
        @Override
        Variant variant() {
            return Variant.MPSC;
        }
    }

    @Nested
    @DisplayName("read claims")
    class ReadClaims extends ReadClaimContract {
        @Override
        Variant variant() {
            return Variant.MPSC;
        }
    }

    @Nested
    @DisplayName("batch reads")
    class BatchReads extends BatchReadContract {
        @Override
        Variant variant() {
            return Variant.MPSC;
        }
    }

    @Nested
    @DisplayName("controlled reads")
    class ControlledReads extends ControlledReadContract {
        @Override
        Variant variant() {
            return Variant.MPSC;
        }
    }

    @Nested
    @DisplayName("held reads")
    class HeldReads extends HeldReadContract {
        @Override
        Variant variant() {
            return Variant.MPSC;
        }
    }

    @Nested
    @DisplayName("threads")
    class Threads extends ConcurrencyContract {
        @Override
        Variant variant() {
            return Variant.MPSC;
        }

        @Test
        @DisplayName("two producer threads: 2 x 50k records through a 1 KiB ring, each producer's order intact")
        void shouldCarryRecordsFromTwoProducerThreads() {
            final MpscQueue queue = MpscQueue.create(1024);
            final MpscProducer first = queue.newProducer();
            Stress.run(queue.consumer(), List.of(first, first.duplicate()), 50_000, 200);
        }

        @Test
        @DisplayName("four producer threads: 4 x 25k records through a 1 KiB ring, each producer's order intact")
        void shouldCarryRecordsFromFourProducerThreads() {
            final MpscQueue queue = MpscQueue.create(1024);
            final MpscProducer first = queue.newProducer();
            Stress.run(queue.consumer(),
                    List.of(first, first.duplicate(), queue.newProducer(), first.duplicate()), 25_000, 200);
        }

        @Test
        @DisplayName("two producer threads racing for a 64-byte ring: padding written under contention")
        void shouldCarryRecordsFromTwoProducersThroughATinyRing() {
            final MpscQueue queue = MpscQueue.create(64);
            final MpscProducer first = queue.newProducer();
            Stress.run(queue.consumer(), List.of(first, first.duplicate()), 15_000, queue.maxRecordLength());
        }
    }

    @Nested
    @DisplayName("producer handles")
    class Handles {

        private MpscQueue queue;
        private Consumer consumer;

        @BeforeEach
        void startAtOffset104() {
            queue = MpscQueue.create(128);
            consumer = queue.consumer();
            final byte[] partWay = payload(-1, 96);         // 0..104: the next claim starts at 104 of 128
            send(queue.newProducer(), partWay);
            expect(consumer, partWay);
        }

        @Test
        @DisplayName("newProducer() and duplicate() give distinct handles with distinct claims on one ring")
        void shouldGiveDistinctHandles() {
            final MpscProducer a = queue.newProducer();
            final MpscProducer b = queue.newProducer();
            final MpscProducer c = a.duplicate();
            assertNotSame(a, b);
            assertNotSame(a, c);
            assertNotSame(b, c);
            for (MpscProducer handle : List.of(a, b, c)) {
                assertEquals(128, handle.capacity());
                assertEquals(120, handle.maxRecordLength());
            }
            final WriteClaim ca = a.tryClaim(8);
            final WriteClaim cb = b.tryClaim(8);
            final WriteClaim cc = c.tryClaim(8);
            assertNotNull(ca);
            assertNotNull(cb);
            assertNotNull(cc);
            assertNotSame(ca, cb);
            assertNotSame(ca, cc);
            assertNotSame(cb, cc);
            ca.put(payload(0, 8)).commit();
            cb.put(payload(1, 8)).commit();
            cc.put(payload(2, 8)).commit();
            for (int i = 0; i < 3; i++) {
                expect(consumer, payload(i, 8));
            }
            expectEmpty(consumer);
            assertSame(consumer, queue.consumer());
        }

        @Test
        @DisplayName("claims open on several handles at once arrive in claim order, whatever the commit order")
        void shouldDeliverInClaimOrderWhateverTheCommitOrder() {
            final MpscProducer a = queue.newProducer();
            final MpscProducer b = a.duplicate();
            final MpscProducer c = queue.newProducer();
            final WriteClaim first = a.tryClaim(8);      // 104..120
            final WriteClaim second = b.tryClaim(8);     // padding 120..128, then 0..16
            final WriteClaim third = c.tryClaim(8);      // 16..32
            assertNotNull(first);
            assertNotNull(second);
            assertNotNull(third);
            third.put(payload(3, 8)).commit();
            expectEmpty(consumer);                       // the first claim holds the rest back
            second.put(payload(2, 8)).commit();
            expectEmpty(consumer);
            first.put(payload(1, 8)).commit();
            expect(consumer, payload(1, 8));
            expect(consumer, payload(2, 8));
            expect(consumer, payload(3, 8));
            expectEmpty(consumer);
        }

        @Test
        @DisplayName("an aborted claim between open claims of other handles is skipped; the rest keep claim order")
        void shouldSkipAnAbortedClaimBetweenOpenClaims() {
            final MpscProducer a = queue.newProducer();
            final MpscProducer b = a.duplicate();
            final MpscProducer c = a.duplicate();
            final WriteClaim first = a.tryClaim(12);
            final WriteClaim second = b.tryClaim(30);
            final WriteClaim third = c.tryClaim(5);
            assertNotNull(first);
            assertNotNull(second);
            assertNotNull(third);
            second.put(payload(9, 30)).abort();
            third.put(payload(3, 5)).commit();
            expectEmpty(consumer);
            first.put(payload(1, 12)).commit();
            expect(consumer, payload(1, 12));
            expect(consumer, payload(3, 5));
            expectEmpty(consumer);
        }

        @Test
        @DisplayName("the one-open-claim rule is per handle: another handle still claims")
        void shouldApplyTheOneOpenClaimRulePerHandle() {
            final MpscProducer a = queue.newProducer();
            final MpscProducer b = a.duplicate();
            final WriteClaim first = a.tryClaim(8);
            assertNotNull(first);
            assertThrows(IllegalStateException.class, () -> a.tryClaim(8));
            final WriteClaim second = b.tryClaim(8);
            assertNotNull(second, "b's claim does not depend on a's");
            assertThrows(IllegalStateException.class, () -> b.tryClaim(8));
            second.put(payload(2, 8)).commit();
            first.put(payload(1, 8)).commit();
            expect(consumer, payload(1, 8));
            expect(consumer, payload(2, 8));
            expectEmpty(consumer);
        }

        @Test
        @DisplayName("all handles share one ring: when one sees it full, so do the others")
        void shouldShareTheRingAcrossHandles() {
            final MpscProducer a = queue.newProducer();
            final MpscProducer b = a.duplicate();
            int sent = 0;
            for (WriteClaim claim; (claim = (sent % 2 == 0 ? a : b).tryClaim(8)) != null; sent++) {
                claim.put(payload(sent, 8)).commit();
            }
            // 104..128 holds one 16-byte record and 8 bytes of padding; 0..104 holds six more
            assertEquals(7, sent);
            assertNull(a.tryClaim(1));
            assertNull(b.tryClaim(1));
            assertNull(queue.newProducer().tryClaim(1), "a new handle sees the same full ring");
            for (int i = 0; i < sent; i++) {
                expect(consumer, payload(i, 8));
            }
            expectEmpty(consumer);
        }
    }
}
