package dev.logbuf.testkit.broken;

import dev.logbuf.testkit.ChannelContract;
import dev.logbuf.testkit.ChannelFactory;
import dev.logbuf.testkit.RingContract;
import dev.logbuf.testkit.RingFactory;
import dev.logbuf.testkit.Variants;
import java.time.Duration;

/**
 * The contracts run against the broken implementations. These classes are not
 * named like tests, so Surefire does not run them in the build (they fail,
 * as they must); {@code KitBitesTest} runs them through the JUnit Platform
 * launcher and asserts that each targeted contract fails.
 */
public final class Specimens {

    private Specimens() {
    }

    /** A ring whose abort writes no skip marker. */
    public static class DropsAbortMarker extends RingContract {
        @Override
        protected RingFactory factory() {
            return RingFactory.of("DropsAbortMarker", true, c -> new HeapRing(c, true, HeapRing.Bug.DROPS_ABORT_MARKER));
        }
    }

    /** A ring whose release does not zero the payload. */
    public static class ForgetsToZero extends RingContract {
        @Override
        protected RingFactory factory() {
            return RingFactory.of("ForgetsToZero", false, c -> new HeapRing(c, false, HeapRing.Bug.FORGETS_TO_ZERO));
        }
    }

    /** An MPSC ring that reorders two senders' records. */
    public static class ReordersSenders extends RingContract {
        @Override
        protected RingFactory factory() {
            return RingFactory.of("ReordersSenders", true, PerSenderRings::new);
        }
    }

    /** A channel that reports the disconnect before draining. */
    public static class DisconnectsBeforeDrain extends ChannelContract {
        @Override
        protected ChannelFactory factory() {
            return ChannelFactory.of("DisconnectsBeforeDrain", true,
                    c -> new EarlyDisconnectChannel(Variants.mpscChannel().create(c)));
        }
    }

    /** A wrapper whose counters miss refused claims. */
    public static class MiscountsRefusals extends RingContract {
        @Override
        protected RingFactory factory() {
            return tampered("MiscountsRefusals", TamperedRing.Bug.STATS_MISS_REFUSALS);
        }
    }

    /** A wrapper whose producer close leaves the real handle open. */
    public static class CloseKeepsHandle extends RingContract {
        @Override
        protected RingFactory factory() {
            return tampered("CloseKeepsHandle", TamperedRing.Bug.CLOSE_KEEPS_HANDLE);
        }
    }

    /** A wrapper that never passes recovery on: dead claims hold the head for ever. */
    public static class NeverUnblocks extends RingContract {
        @Override
        protected RingFactory factory() {
            return tampered("NeverUnblocks", TamperedRing.Bug.NEVER_UNBLOCKS);
        }

        @Override
        protected Duration recoveryTimeout() {
            return Duration.ofSeconds(3); // it fails by timing out: keep that short
        }
    }

    /** A wrapper that drops the stall listener: a held claim is never reported. */
    public static class DropsStallListener extends RingContract {
        @Override
        protected RingFactory factory() {
            return tampered("DropsStallListener", TamperedRing.Bug.DROPS_STALL_LISTENER);
        }

        @Override
        protected Duration recoveryTimeout() {
            return Duration.ofSeconds(3);
        }
    }

    private static RingFactory tampered(String name, TamperedRing.Bug bug) {
        final RingFactory mpsc = Variants.mpscQueue();
        return RingFactory.of(name, true, c -> new TamperedRing(mpsc.create(c), bug));
    }
}
