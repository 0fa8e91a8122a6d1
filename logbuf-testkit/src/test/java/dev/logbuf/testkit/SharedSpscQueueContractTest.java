package dev.logbuf.testkit;

/** The ring contracts against logbuf's {@code SpscQueue} over shared memory. */
class SharedSpscQueueContractTest extends RingContract {

    @Override
    protected RingFactory factory() {
        return Variants.sharedSpscQueue();
    }
}
