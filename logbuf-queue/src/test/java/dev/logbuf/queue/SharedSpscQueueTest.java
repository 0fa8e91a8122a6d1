package dev.logbuf.queue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The contract suites, run against an {@link SpscQueue} over shared memory. */
@DisplayName("shared SPSC queue")
class SharedSpscQueueTest {

    @Nested
    @DisplayName("dead and stalled claims")
    class Recovery extends RecoveryContract {
        @Override
        Variant variant() {
            return Variant.SHARED_SPSC;
        }
    }

    @Nested
    @DisplayName("lifecycle and counters")
    class Lifecycle extends LifecycleContract {
        @Override
        Variant variant() {
            return Variant.SHARED_SPSC;
        }
    }

    @Nested
    @DisplayName("records flow")
    class Flow extends FlowContract {
        @Override
        Variant variant() {
            return Variant.SHARED_SPSC;
        }
    }

    @Nested
    @DisplayName("write claims")
    class WriteClaims extends WriteClaimContract {
        @Override
        Variant variant() {
            return Variant.SHARED_SPSC;
        }
    }

    @Nested
    @DisplayName("read claims")
    class ReadClaims extends ReadClaimContract {
        @Override
        Variant variant() {
            return Variant.SHARED_SPSC;
        }
    }

    @Nested
    @DisplayName("batch reads")
    class BatchReads extends BatchReadContract {
        @Override
        Variant variant() {
            return Variant.SHARED_SPSC;
        }
    }

    @Nested
    @DisplayName("controlled reads")
    class ControlledReads extends ControlledReadContract {
        @Override
        Variant variant() {
            return Variant.SHARED_SPSC;
        }
    }

    @Nested
    @DisplayName("held reads")
    class HeldReads extends HeldReadContract {
        @Override
        Variant variant() {
            return Variant.SHARED_SPSC;
        }
    }

    @Nested
    @DisplayName("threads")
    class Threads extends ConcurrencyContract {
        @Override
        Variant variant() {
            return Variant.SHARED_SPSC;
        }
    }
}
