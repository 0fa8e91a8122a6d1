package dev.logbuf.testkit;

/** The ring contracts against logbuf's {@code MpscQueue}. */
class MpscQueueContractTest extends RingContract {

    @Override
    protected RingFactory factory() {
        return Variants.mpscQueue();
    }
}
