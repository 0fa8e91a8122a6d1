package dev.logbuf.testkit;

import dev.logbuf.testkit.broken.HeapRing;

/**
 * The ring contracts against the heap ring without a bug: it must pass, so
 * that the broken specimens fail because of their bugs alone.
 *
 * <p>The heap ring has no handle lifecycle, no claim ownership, no
 * counters, no controlled read and no put-back, so it leaves out the
 * contracts that need them the way a user's wrapper would: by overriding them
 * without {@code @Property} (or {@code @Example}).
 */
class HeapRingContractTest extends RingContract {

    @Override
    protected RingFactory factory() {
        return RingFactory.of("HeapRing", true, c -> new HeapRing(c, true, HeapRing.Bug.NONE));
    }

    @Override
    public void aDeadProducersClaimIsSteppedOver(Schedule schedule, int deadLength, int position, boolean automatic) {
        // left out: the heap ring cannot tell who owns a claim
    }

    @Override
    public void aSlowProducersClaimIsNeverTaken(Schedule schedule, int holdLength, int holdAt) {
        // left out: the heap ring has no unblock and no stall listener
    }

    @Override
    public void aCollectedProducersClaimIsSteppedOver() {
        // left out: the heap ring's handles have no lifecycle
    }

    @Override
    public void closingEveryProducerDisconnectsTheConsumer(int requested, int producerCount, int records, int openAt,
            int firstToClose) {
        // left out: the heap ring's handles have no lifecycle
    }

    @Override
    public void closingTheConsumerDisconnectsTheProducers(int requested, int producerCount, boolean commitFirst) {
        // left out: the heap ring's handles have no lifecycle
    }

    @Override
    public void statsMatchTheModel(Scenario scenario) {
        // left out: the heap ring keeps no counters
    }

    @Override
    public void controlledReadsMatchTheModel(Scenario scenario) {
        // left out: the heap ring has no controlled read
    }

    @Override
    public void controlledReadEdgesMatchTheModel() {
        // left out: the heap ring has no controlled read
    }

    @Override
    public void controlledReadMisuseIsRejected(int requested, int records, int limit) {
        // left out: the heap ring has no controlled read
    }

    @Override
    public void concurrentSendersMeetAControlledConsumer(Schedule schedule) {
        // left out: the heap ring has no controlled read
    }

    @Override
    public void putBackMatchesTheModel(Scenario scenario) {
        // left out: the heap ring's records cannot be put back
    }

    @Override
    public void aPutBackRecordEndsItsClaim(int requested, int length, boolean batch) {
        // left out: the heap ring's records cannot be put back
    }
}
