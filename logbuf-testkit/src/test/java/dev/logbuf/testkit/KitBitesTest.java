package dev.logbuf.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.logbuf.testkit.broken.Specimens;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Proof that the kit bites: each deliberately broken implementation in
 * {@code dev.logbuf.testkit.broken} fails the contract aimed at its bug. The
 * specimens run through the JUnit Platform launcher on the jqwik engine,
 * exactly as a user's contract subclass would.
 */
class KitBitesTest {

    @Test
    @DisplayName("an abort that drops its skip marker fails model equivalence")
    void shouldCatchADroppedAbortMarker() {
        final Map<String, String> failed = run(Specimens.DropsAbortMarker.class, "modelEquivalence",
                "interleavedSendersLoseNothingAndShowNoAbort");
        assertTrue(failed.containsKey("modelEquivalence"), "model equivalence must fail: " + failed);
        // named by the factory's name, not by the class of the ring it makes (HeapRing)
        assertTrue(failed.get("modelEquivalence").contains("on DropsAbortMarker of capacity"),
                failed.get("modelEquivalence"));
        assertTrue(failed.containsKey("interleavedSendersLoseNothingAndShowNoAbort"),
                "the interleaved senders property must fail: " + failed);
    }

    @Test
    @DisplayName("a release that forgets to zero fails the zeroing contract and model equivalence")
    void shouldCatchForgottenZeroing() {
        final Map<String, String> failed = run(Specimens.ForgetsToZero.class, "releasedRegionsReadAsZero",
                "modelEquivalence");
        assertTrue(failed.containsKey("releasedRegionsReadAsZero"), "the zeroing contract must fail: " + failed);
        assertTrue(failed.get("releasedRegionsReadAsZero").contains("must read as zero"),
                failed.get("releasedRegionsReadAsZero"));
        assertTrue(failed.containsKey("modelEquivalence"), "model equivalence must fail: " + failed);
    }

    @Test
    @DisplayName("a consumer that reorders two senders' records fails model equivalence")
    void shouldCatchReorderedSenders() {
        final Map<String, String> failed = run(Specimens.ReordersSenders.class, "modelEquivalence");
        assertTrue(failed.containsKey("modelEquivalence"), "model equivalence must fail: " + failed);
    }

    @Test
    @DisplayName("a receiver that reports the disconnect before draining fails the disconnect contracts")
    void shouldCatchAnEarlyDisconnect() {
        final Map<String, String> failed = run(Specimens.DisconnectsBeforeDrain.class,
                "disconnectIsReportedOnlyAfterTheDrain", "concurrentSendersKeepOrderAndLoseNothing");
        assertTrue(failed.containsKey("disconnectIsReportedOnlyAfterTheDrain"),
                "the drain contract must fail: " + failed);
        assertTrue(failed.get("disconnectIsReportedOnlyAfterTheDrain").contains("before the drain"),
                failed.get("disconnectIsReportedOnlyAfterTheDrain"));
        assertTrue(failed.containsKey("concurrentSendersKeepOrderAndLoseNothing"),
                "the concurrent property must fail: " + failed);
    }

    @Test
    @DisplayName("counters that miss refused claims fail the counters contract")
    void shouldCatchMiscountedStats() {
        final Map<String, String> failed = run(Specimens.MiscountsRefusals.class, "statsMatchTheModel");
        assertTrue(failed.containsKey("statsMatchTheModel"), "the counters contract must fail: " + failed);
        assertTrue(failed.get("statsMatchTheModel").contains("claims that found it full"), failed.get("statsMatchTheModel"));
    }

    @Test
    @DisplayName("a close that leaves the real handle open fails the lifecycle contract")
    void shouldCatchAForgottenClose() {
        final Map<String, String> failed = run(Specimens.CloseKeepsHandle.class,
                "closingEveryProducerDisconnectsTheConsumer");
        assertTrue(failed.containsKey("closingEveryProducerDisconnectsTheConsumer"),
                "the lifecycle contract must fail: " + failed);
    }

    @Test
    @DisplayName("recovery that is never passed on fails the dead and collected producer contracts")
    void shouldCatchMissingRecovery() {
        final Map<String, String> failed = runUnshrunk(Specimens.NeverUnblocks.class,
                "aDeadProducersClaimIsSteppedOver", "aCollectedProducersClaimIsSteppedOver");
        assertTrue(failed.containsKey("aDeadProducersClaimIsSteppedOver"),
                "the dead producer contract must fail: " + failed);
        assertTrue(failed.containsKey("aCollectedProducersClaimIsSteppedOver"),
                "the collected producer contract must fail: " + failed);
    }

    @Test
    @DisplayName("a stall that is never reported fails the slow producer contract")
    void shouldCatchAnUnreportedStall() {
        final Map<String, String> failed = runUnshrunk(Specimens.DropsStallListener.class,
                "aSlowProducersClaimIsNeverTaken");
        assertTrue(failed.containsKey("aSlowProducersClaimIsNeverTaken"),
                "the slow producer contract must fail: " + failed);
        assertTrue(failed.get("aSlowProducersClaimIsNeverTaken").contains("never reported as a stall"),
                failed.get("aSlowProducersClaimIsNeverTaken"));
    }

    @Test
    @DisplayName("a controlled read that consumes an aborted record fails the controlled-read contracts")
    void shouldCatchAnAbortReadAsBreak() {
        final Map<String, String> failed = run(Specimens.AbortReadsAsBreak.class, "controlledReadsMatchTheModel",
                "controlledReadEdgesMatchTheModel");
        failed.putAll(runUnshrunk(Specimens.AbortReadsAsBreak.class, "concurrentSendersMeetAControlledConsumer"));
        assertTrue(failed.containsKey("controlledReadsMatchTheModel"), "the model contract must fail: " + failed);
        assertTrue(failed.containsKey("concurrentSendersMeetAControlledConsumer"),
                "the concurrent contract must fail: " + failed);
        assertTrue(failed.containsKey("controlledReadEdgesMatchTheModel"), "the edges must fail: " + failed);
        assertTrue(failed.get("controlledReadEdgesMatchTheModel").contains("controlled(4: ABORT)"),
                "the abort at the first record is where it fails: " + failed.get("controlledReadEdgesMatchTheModel"));
    }

    @Test
    @DisplayName("a controlled read whose COMMIT gives nothing back fails on the claim inside the read")
    void shouldCatchACommitThatGivesNothingBack() {
        final Map<String, String> failed = run(Specimens.CommitGivesNothingBack.class,
                "controlledReadsMatchTheModel", "controlledReadEdgesMatchTheModel");
        for (String property : List.of("controlledReadsMatchTheModel", "controlledReadEdgesMatchTheModel")) {
            assertTrue(failed.containsKey(property), property + " must fail: " + failed);
            assertTrue(failed.get(property).contains("a claim inside the controlled read"),
                    "the claim inside the read finds the ring full: " + failed.get(property));
        }
    }

    @Test
    @DisplayName("a put-back that releases the record fails the put-back contracts")
    void shouldCatchAPutBackThatConsumes() {
        final Map<String, String> failed = run(Specimens.PutBackConsumes.class, "putBackMatchesTheModel",
                "aPutBackRecordEndsItsClaim", "controlledReadEdgesMatchTheModel");
        failed.putAll(runUnshrunk(Specimens.PutBackConsumes.class, "concurrentSendersMeetAControlledConsumer"));
        assertTrue(failed.containsKey("concurrentSendersMeetAControlledConsumer"),
                "the concurrent contract must fail: " + failed);
        assertTrue(failed.containsKey("putBackMatchesTheModel"), "the model contract must fail: " + failed);
        assertTrue(failed.containsKey("aPutBackRecordEndsItsClaim"), "the put-back contract must fail: " + failed);
        assertTrue(failed.containsKey("controlledReadEdgesMatchTheModel"), "the edges must fail: " + failed);
    }

    @Test
    @DisplayName("a bounded send that never gives up fails by the watchdog, not by hanging")
    void shouldCatchABoundedSendThatNeverGivesUp() {
        final Map<String, String> failed = runUnshrunk(Specimens.SendNeverGivesUp.class, "boundedSendsMatchTheModel",
                "boundedSendEdgesMatchTheModel");
        for (String property : List.of("boundedSendsMatchTheModel", "boundedSendEdgesMatchTheModel")) {
            assertTrue(failed.containsKey(property), property + " must fail: " + failed);
            assertTrue(failed.get(property).contains("the watchdog closed the receiver"), failed.get(property));
        }
    }

    @Test
    @DisplayName("a bounded send that returns null and leaves its claim open fails the send contracts")
    void shouldCatchABoundedSendThatLeaksItsClaim() {
        // unshrunk: its loop ignores interrupts too, so an interrupted send waits out its 2 s at each shrink step
        final Map<String, String> failed = runUnshrunk(Specimens.SendLeaksItsClaim.class,
                "boundedSendsMatchTheModel", "boundedSendEdgesMatchTheModel");
        assertTrue(failed.containsKey("boundedSendsMatchTheModel"), "the model contract must fail: " + failed);
        assertTrue(failed.containsKey("boundedSendEdgesMatchTheModel"), "the edges must fail: " + failed);
        assertTrue(failed.get("boundedSendEdgesMatchTheModel").contains("p0.send(8, 0ms) of 8 bytes must succeed but"
                + " it returned null"), failed.get("boundedSendEdgesMatchTheModel"));
        // named by the factory's name, not by the adapter class (TamperedChannel)
        assertTrue(failed.get("boundedSendEdgesMatchTheModel").contains("on SendLeaksItsClaim of capacity 64"),
                failed.get("boundedSendEdgesMatchTheModel"));
    }

    @Test
    @DisplayName("a send that swallows interrupts fails the interrupt contracts")
    void shouldCatchASendThatSwallowsInterrupts() {
        final Map<String, String> failed = runUnshrunk(Specimens.SendSwallowsInterrupts.class,
                "anInterruptedSendLeavesPromptly", "boundedSendEdgesMatchTheModel");
        assertTrue(failed.containsKey("anInterruptedSendLeavesPromptly"), "the threaded contract must fail: " + failed);
        assertTrue(failed.get("anInterruptedSendLeavesPromptly").contains("did not answer the interrupt"),
                failed.get("anInterruptedSendLeavesPromptly"));
        assertTrue(failed.containsKey("boundedSendEdgesMatchTheModel"), "the edges must fail: " + failed);
        assertTrue(failed.get("boundedSendEdgesMatchTheModel").contains("must throw InterruptedException"),
                failed.get("boundedSendEdgesMatchTheModel"));
    }

    @Test
    @DisplayName("a send that looks at the interrupt before trying fails where the ring has room")
    void shouldCatchASendThatChecksTheInterruptFirst() {
        final Map<String, String> failed = run(Specimens.SendChecksTheInterruptFirst.class,
                "boundedSendsMatchTheModel", "boundedSendEdgesMatchTheModel");
        for (String property : List.of("boundedSendsMatchTheModel", "boundedSendEdgesMatchTheModel")) {
            assertTrue(failed.containsKey(property), property + " must fail: " + failed);
            assertTrue(failed.get(property).contains("whatever the interrupt status"), failed.get(property));
        }
    }

    @Test
    @DisplayName("a controlled read that reports the disconnect over an aborted record fails the drain contract")
    void shouldCatchAControlledReadThatDisconnectsEarly() {
        final Map<String, String> failed = run(Specimens.ControlledReadDisconnectsEarly.class,
                "aControlledReadSeesTheDisconnectOnlyAfterTheDrain");
        assertTrue(failed.containsKey("aControlledReadSeesTheDisconnectOnlyAfterTheDrain"),
                "the drain contract must fail: " + failed);
        assertTrue(failed.get("aControlledReadSeesTheDisconnectOnlyAfterTheDrain").contains("before the drain"),
                failed.get("aControlledReadSeesTheDisconnectOnlyAfterTheDrain"));
    }

    @Test
    @DisplayName("a wrapper without the optional methods is told which one is missing and what to override")
    void shouldNameTheMissingMethod() {
        final Map<String, String> ring = run(Specimens.NoControlNoOptOut.class, "controlledReadMisuseIsRejected",
                "putBackMatchesTheModel");
        assertTrue(ring.getOrDefault("controlledReadMisuseIsRejected", "").contains(
                "ConsumerUnderTest.controlledRead(ControlledRecordHandler, int)"), ring.toString());
        assertTrue(ring.get("controlledReadMisuseIsRejected").contains("override controlledReadMisuseIsRejected"),
                ring.toString());
        assertTrue(ring.getOrDefault("putBackMatchesTheModel", "").contains("RecordUnderTest.putBack()"),
                ring.toString());
        final Map<String, String> channel = run(Specimens.NoOptionalsNoOptOut.class, "boundedSendsMatchTheModel",
                "aControlledReadSeesTheDisconnectOnlyAfterTheDrain");
        assertTrue(channel.getOrDefault("boundedSendsMatchTheModel", "").contains(
                "SenderUnderTest.send(int, Duration)"), channel.toString());
        assertTrue(channel.get("boundedSendsMatchTheModel").contains("override boundedSendsMatchTheModel"),
                channel.toString());
        assertTrue(channel.getOrDefault("aControlledReadSeesTheDisconnectOnlyAfterTheDrain", "").contains(
                "ConsumerUnderTest.controlledRead(ControlledRecordHandler, int)"), channel.toString());
    }

    @Test
    @DisplayName("the same properties pass on the four real variants (a control for the launcher runs)")
    void shouldPassOnARealVariant() {
        final Map<String, String> failed = run(SpscQueueContractTest.class, "modelEquivalence",
                "releasedRegionsReadAsZero", "controlledReadsMatchTheModel", "putBackMatchesTheModel");
        assertTrue(failed.isEmpty(), failed.toString());
        final Map<String, String> channel = run(MpscChannelContractTest.class, "boundedSendsMatchTheModel",
                "aControlledReadSeesTheDisconnectOnlyAfterTheDrain");
        assertTrue(channel.isEmpty(), channel.toString());
    }

    /** Runs the named properties of {@code specimen}; returns failed property → failure message and report. */
    private static Map<String, String> run(Class<?> specimen, String... properties) {
        return run(specimen, false, properties);
    }

    /**
     * As {@link #run}, without shrinking: for properties whose failure is a time-out (each shrink step would
     * wait it out) or that run threads (each shrink step would start them again).
     */
    private static Map<String, String> runUnshrunk(Class<?> specimen, String... properties) {
        return run(specimen, true, properties);
    }

    private static Map<String, String> run(Class<?> specimen, boolean noShrinking, String... properties) {
        final List<Method> methods = new ArrayList<>();
        for (String name : properties) {
            methods.add(Arrays.stream(specimen.getMethods()).filter(m -> m.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no property " + name)));
        }
        final LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(methods.stream().map(m -> selectMethod(specimen, m)).toList())
                .filters(EngineFilter.includeEngines("jqwik"))
                .configurationParameter("jqwik.tries.default", "200")
                .configurationParameter("jqwik.database", "target/jqwik-database-specimens")
                .configurationParameter("jqwik.failures.after.default", "RANDOM_SEED")
                .configurationParameter("jqwik.shrinking.default", noShrinking ? "OFF" : "BOUNDED")
                // a bite needs the failure, not the smallest example: on JDK 25 eight properties shrank
                // until jqwik's default bound of 10 s, which made this class 129 s against 21 s on JDK 17
                .configurationParameter("jqwik.shrinking.bounded.seconds", "2")
                .build();
        final Map<String, String> failed = new LinkedHashMap<>();
        final Map<String, StringBuilder> reports = new LinkedHashMap<>();
        final Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                reports.computeIfAbsent(name(id), k -> new StringBuilder()).append(entry.getKeyValuePairs());
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                    final String message = result.getThrowable().map(Throwable::getMessage).orElse("");
                    failed.put(name(id), message + "\n" + reports.getOrDefault(name(id), new StringBuilder()));
                }
            }
        });
        failed.forEach((name, text) -> System.out.println("[kit bites] " + specimen.getSimpleName() + "."
                + name + " failed:\n" + text + "\n"));
        return failed;
    }

    private static String name(TestIdentifier id) {
        final String display = id.getDisplayName();
        final int paren = display.indexOf('(');
        return paren < 0 ? display : display.substring(0, paren);
    }
}
