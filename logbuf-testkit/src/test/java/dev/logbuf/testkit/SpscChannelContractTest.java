package dev.logbuf.testkit;

/** The ring and channel contracts against logbuf's {@code SpscChannel}. */
class SpscChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFactory factory() {
        return Variants.spscChannel();
    }
}
