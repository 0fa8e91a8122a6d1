/**
 * Property contracts, a sequential model and arbitraries for logbuf rings
 * and channels, and for anything that wraps them.
 *
 * <h2>Running the contracts against your wrapper</h2>
 * Implement {@link dev.logbuf.testkit.RingUnderTest} (or
 * {@link dev.logbuf.testkit.ChannelUnderTest}) over your wrapper, then
 * subclass {@link dev.logbuf.testkit.RingContract} (or
 * {@link dev.logbuf.testkit.ChannelContract}) in your test sources:
 * <pre>{@code
 * public class MyChannelContractTest extends ChannelContract {
 *     @Override
 *     protected ChannelFactory factory() {
 *         return ChannelFactory.of("MyChannel", true, capacity -> new MyChannelAdapter(capacity));
 *     }
 * }
 * }</pre>
 * The adapters of logbuf's own variants, in {@link dev.logbuf.testkit.Variants},
 * are a starting point.
 * The contracts are jqwik properties and need the JUnit Platform: Maven
 * Surefire (or Failsafe) 3.0.0 or later. A {@code public} contract class run
 * by Surefire 2.12.4, Maven 3.8's default, fails with a message saying so
 * ({@link dev.logbuf.testkit.RingContract#testkitContractsNeedTheJUnitPlatform()}).
 *
 * <h2>Lifecycle, recovery, counters and control</h2>
 * The contracts on handle lifecycle, dead, slow and collected producers
 * ({@link dev.logbuf.testkit.RecoveryCheck}), {@code QueueStats}, the
 * controlled read, put-back and the bounded send use optional methods of
 * {@link dev.logbuf.testkit.ProducerUnderTest},
 * {@link dev.logbuf.testkit.ConsumerUnderTest},
 * {@link dev.logbuf.testkit.RecordUnderTest} and
 * {@link dev.logbuf.testkit.SenderUnderTest}, whose defaults throw
 * {@link java.lang.UnsupportedOperationException}. Implement them, or leave
 * such a contract out by overriding it without {@code @Property}; a contract
 * that needs a missing one fails and names it, and the method to override.
 *
 * <h2>Reading a failure</h2>
 * The single-threaded properties print the shrunk {@link dev.logbuf.testkit.Scenario}:
 * the capacity, the producers and the shortest operation sequence that still
 * fails, in {@link dev.logbuf.testkit.Op}'s notation, together with the step
 * at which the ring left the {@link dev.logbuf.testkit.RingModel}.
 */
package dev.logbuf.testkit;
