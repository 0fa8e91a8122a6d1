package dev.logbuf.testkit;

import dev.logbuf.testkit.broken.HeapRing;

/**
 * The ring contracts against the heap ring without a bug: it must pass, so
 * that the broken specimens fail because of their bugs alone.
 */
class HeapRingContractTest extends RingContract {

    @Override
    protected RingFactory factory() {
        return RingFactory.of("HeapRing", true, c -> new HeapRing(c, true, HeapRing.Bug.NONE));
    }
}
