package dev.logbuf.testkit;

/** The ring contracts against logbuf's {@code SpscQueue}. */
class SpscQueueContractTest extends RingContract {

    @Override
    protected RingFactory factory() {
        return Variants.spscQueue();
    }
}
