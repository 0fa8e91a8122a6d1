/**
 * jqwik building blocks that check a logbuf queue or channel, or anything that
 * wraps one (a codec, a typed API, a channel of your own), against the
 * contracts of the ring: meant for a user's test scope, not for a runtime image.
 *
 * <p>The module exports and opens one package, {@link dev.logbuf.testkit}:
 * <ul>
 *   <li>adapter interfaces that a variant plugs into
 *       ({@link dev.logbuf.testkit.RingUnderTest},
 *       {@link dev.logbuf.testkit.ChannelUnderTest} and their handles), with
 *       adapters for logbuf's four variants in {@link dev.logbuf.testkit.Variants};</li>
 *   <li>{@link dev.logbuf.testkit.LogbufArbitraries}: capacities, record
 *       lengths biased to the edges, payloads, operation sequences and
 *       multi-sender schedules;</li>
 *   <li>{@link dev.logbuf.testkit.RingModel}: a sequential model that predicts
 *       every claim's outcome and what the consumer must see next;</li>
 *   <li>the contracts, {@link dev.logbuf.testkit.RingContract} and
 *       {@link dev.logbuf.testkit.ChannelContract}: abstract jqwik property
 *       classes; subclass one and name a factory to run them all.</li>
 * </ul>
 * It is opened so that the test engines can call the inherited property
 * methods of a user's subclass reflectively.
 *
 * <p>logbuf's own suites for logbuf-queue and logbuf-channel live in this
 * module's test sources: those modules cannot depend on the testkit, even in
 * test scope, since it depends on them.
 *
 * <p>Threading contract: the contracts drive every handle from one thread at a
 * time, as the library requires; the concurrent properties give each producer
 * its own thread and consume on the test's thread.
 */
open module dev.logbuf.testkit {
    requires transitive dev.logbuf.channel;
    requires transitive net.jqwik.api;
    requires transitive org.junit.jupiter.api;

    exports dev.logbuf.testkit;
}
