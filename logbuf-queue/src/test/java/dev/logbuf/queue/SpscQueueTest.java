package dev.logbuf.queue;

import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The contract suites, run against {@link SpscQueue}, and what is SPSC's own. */
@DisplayName("SPSC queue")
class SpscQueueTest {

    @Nested
    @DisplayName("dead and stalled claims")
    class Recovery extends RecoveryContract {
        @Override
        Variant variant() {
            return Variant.SPSC;
        }
    }

    @Nested
    @DisplayName("lifecycle and counters")
    class Lifecycle extends LifecycleContract {
        @Override
        Variant variant() {
            return Variant.SPSC;
        }
    }

    @Nested
    @DisplayName("records flow")
    class Flow extends FlowContract {
        @Override
        Variant variant() {
            return Variant.SPSC;
        }
    }

    @Nested
    @DisplayName("write claims")
    class WriteClaims extends WriteClaimContract {
        @Override
        Variant variant() {
            return Variant.SPSC;
        }
    }

    @Nested
    @DisplayName("read claims")
    class ReadClaims extends ReadClaimContract {
        @Override
        Variant variant() {
            return Variant.SPSC;
        }
    }

    @Nested
    @DisplayName("batch reads")
    class BatchReads extends BatchReadContract {
        @Override
        Variant variant() {
            return Variant.SPSC;
        }
    }

    @Nested
    @DisplayName("controlled reads")
    class ControlledReads extends ControlledReadContract {
        @Override
        Variant variant() {
            return Variant.SPSC;
        }
    }

    @Nested
    @DisplayName("held reads")
    class HeldReads extends HeldReadContract {
        @Override
        Variant variant() {
            return Variant.SPSC;
        }
    }

    @Nested
    @DisplayName("threads")
    class Threads extends ConcurrencyContract {
        @Override
        Variant variant() {
            return Variant.SPSC;
        }
    }

    @Test
    @DisplayName("the queue has exactly one producer and one consumer handle")
    void shouldHandOutTheSameHandlesEveryTime() {
        final SpscQueue queue = SpscQueue.create(64);
        assertSame(queue.producer(), queue.producer());
        assertSame(queue.consumer(), queue.consumer());
    }
}
