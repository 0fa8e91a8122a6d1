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

    /** A wrapper whose controlled read passes ABORT on as BREAK: the aborted record is consumed. */
    public static class AbortReadsAsBreak extends RingContract {
        @Override
        protected RingFactory factory() {
            return tampered("AbortReadsAsBreak", TamperedRing.Bug.ABORT_READS_AS_BREAK);
        }

        @Override
        protected Duration concurrentTimeout() {
            return Duration.ofSeconds(1); // a lost record fails the concurrent run by timing out
        }
    }

    /** A wrapper whose controlled read passes COMMIT on as CONTINUE: nothing is given back mid-read. */
    public static class CommitGivesNothingBack extends RingContract {
        @Override
        protected RingFactory factory() {
            return tampered("CommitGivesNothingBack", TamperedRing.Bug.COMMIT_GIVES_NOTHING_BACK);
        }
    }

    /** A wrapper whose put-back releases the record. */
    public static class PutBackConsumes extends RingContract {
        @Override
        protected RingFactory factory() {
            return tampered("PutBackConsumes", TamperedRing.Bug.PUT_BACK_CONSUMES);
        }

        @Override
        protected Duration concurrentTimeout() {
            return Duration.ofSeconds(1); // a lost record fails the concurrent run by timing out
        }
    }

    /** A heap ring without controlled read and put-back that does not opt out of their contracts. */
    public static class NoControlNoOptOut extends RingContract {
        @Override
        protected RingFactory factory() {
            return RingFactory.of("NoControlNoOptOut", true, c -> new HeapRing(c, true, HeapRing.Bug.NONE));
        }
    }

    /** A channel whose bounded send never gives up. */
    public static class SendNeverGivesUp extends ChannelContract {
        @Override
        protected ChannelFactory factory() {
            return tamperedChannel("SendNeverGivesUp", TamperedChannel.Bug.SEND_NEVER_GIVES_UP);
        }

        @Override
        protected Duration concurrentTimeout() {
            return Duration.ofSeconds(1); // it fails by the watchdog: keep the wait short
        }
    }

    /** A channel whose bounded send returns null, forgetting the claim it made. */
    public static class SendLeaksItsClaim extends ChannelContract {
        @Override
        protected ChannelFactory factory() {
            return tamperedChannel("SendLeaksItsClaim", TamperedChannel.Bug.SEND_LEAKS_ITS_CLAIM);
        }
    }

    /** A channel whose sends swallow interrupts. */
    public static class SendSwallowsInterrupts extends ChannelContract {
        @Override
        protected ChannelFactory factory() {
            return tamperedChannel("SendSwallowsInterrupts", TamperedChannel.Bug.SEND_SWALLOWS_INTERRUPTS);
        }

        @Override
        protected Duration concurrentTimeout() {
            return Duration.ofSeconds(1); // the threaded contract fails by timing out
        }
    }

    /** A channel whose sends look at the interrupt before trying. */
    public static class SendChecksTheInterruptFirst extends ChannelContract {
        @Override
        protected ChannelFactory factory() {
            return tamperedChannel("SendChecksTheInterruptFirst", TamperedChannel.Bug.SEND_CHECKS_THE_INTERRUPT_FIRST);
        }
    }

    /** A channel whose controlled read reports the disconnect while an aborted record is left. */
    public static class ControlledReadDisconnectsEarly extends ChannelContract {
        @Override
        protected ChannelFactory factory() {
            return tamperedChannel("ControlledReadDisconnectsEarly",
                    TamperedChannel.Bug.CONTROLLED_READ_DISCONNECTS_EARLY);
        }
    }

    /** A channel without bounded send and controlled read that does not opt out of their contracts. */
    public static class NoOptionalsNoOptOut extends ChannelContract {
        @Override
        protected ChannelFactory factory() {
            return tamperedChannel("NoOptionalsNoOptOut", TamperedChannel.Bug.NO_OPTIONAL_METHODS);
        }
    }

    private static ChannelFactory tamperedChannel(String name, TamperedChannel.Bug bug) {
        final ChannelFactory mpsc = Variants.mpscChannel();
        return ChannelFactory.of(name, true, c -> new TamperedChannel(mpsc.create(c), bug));
    }

    private static RingFactory tampered(String name, TamperedRing.Bug bug) {
        final RingFactory mpsc = Variants.mpscQueue();
        return RingFactory.of(name, true, c -> new TamperedRing(mpsc.create(c), bug));
    }
}
