package com.example;

import dev.logbuf.testkit.ChannelContract;
import dev.logbuf.testkit.ChannelFactory;
import dev.logbuf.testkit.Variants;

/**
 * The testkit README's example, built by the README's pom: every channel
 * contract against logbuf's MPSC channel (a wrapper of its own would stand
 * in its place).
 */
public class MyChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFactory factory() {
        return ChannelFactory.of("MyChannel", true, capacity -> Variants.mpscChannel().create(capacity));
    }
}
