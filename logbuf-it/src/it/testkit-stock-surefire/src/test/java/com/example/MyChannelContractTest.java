package com.example;

import dev.logbuf.testkit.ChannelContract;
import dev.logbuf.testkit.ChannelFactory;
import dev.logbuf.testkit.Variants;

/** The README's example, as a user would write it, on a Surefire that predates the JUnit Platform. */
public class MyChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFactory factory() {
        return ChannelFactory.of("MyChannel", true, capacity -> Variants.mpscChannel().create(capacity));
    }
}
