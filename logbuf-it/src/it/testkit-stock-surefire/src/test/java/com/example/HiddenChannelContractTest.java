package com.example;

import dev.logbuf.testkit.ChannelContract;
import dev.logbuf.testkit.ChannelFactory;
import dev.logbuf.testkit.Variants;

/**
 * The same, not public: Surefire 2.12.4 passes over it without a word (it
 * wants a public no-argument constructor), so the guard cannot fail for it.
 * The README says so; this keeps it true.
 */
class HiddenChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFactory factory() {
        return ChannelFactory.of("HiddenChannel", true, capacity -> Variants.mpscChannel().create(capacity));
    }
}
