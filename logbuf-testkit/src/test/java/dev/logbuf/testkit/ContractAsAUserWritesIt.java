package dev.logbuf.testkit;

/**
 * A user's contract class as the README shows it: public, so that a JUnit 3
 * / POJO runner takes it. {@code PlatformGuardTest} runs it by hand; it is
 * not named like a test, so Surefire does not run its contracts again.
 */
public class ContractAsAUserWritesIt extends ChannelContract {

    @Override
    protected ChannelFactory factory() {
        return Variants.mpscChannel();
    }
}
