package dev.logbuf.testkit;

/** The ring contracts against logbuf's {@code MpscQueue} over shared memory. */
class SharedMpscQueueContractTest extends RingContract {

    @Override
    protected RingFactory factory() {
        return Variants.sharedMpscQueue();
    }
}
