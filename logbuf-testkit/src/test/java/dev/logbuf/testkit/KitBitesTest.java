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
        assertTrue(failed.get("statsMatchTheModel").contains("claims refused"), failed.get("statsMatchTheModel"));
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
    @DisplayName("the same properties pass on the four real variants (a control for the launcher runs)")
    void shouldPassOnARealVariant() {
        final Map<String, String> failed = run(SpscQueueContractTest.class, "modelEquivalence",
                "releasedRegionsReadAsZero");
        assertFalse(failed.containsKey("modelEquivalence"), failed.toString());
        assertFalse(failed.containsKey("releasedRegionsReadAsZero"), failed.toString());
    }

    /** Runs the named properties of {@code specimen}; returns failed property → failure message and report. */
    private static Map<String, String> run(Class<?> specimen, String... properties) {
        return run(specimen, false, properties);
    }

    /** As {@link #run}, without shrinking: for properties whose failure is a time-out (each shrink step would wait it out). */
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
