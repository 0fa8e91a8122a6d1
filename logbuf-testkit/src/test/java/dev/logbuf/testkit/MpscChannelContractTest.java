package dev.logbuf.testkit;

/** The ring and channel contracts against logbuf's {@code MpscChannel}. */
class MpscChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFactory factory() {
        return Variants.mpscChannel();
    }
}
