package dev.logbuf.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The guard in {@link RingContract} that fails a build whose Surefire cannot
 * run the contracts: invisible on the JUnit Platform, and the one method a
 * JUnit 3 / POJO runner (Surefire 2.12.4's, which logbuf-it's
 * testkit-stock-surefire runs for real) finds and calls, failing with a
 * message that says what to pin.
 */
class PlatformGuardTest {

    private static final String GUARD = "testkitContractsNeedTheJUnitPlatform";

    @Test
    @DisplayName("no engine on the JUnit Platform (jqwik, Jupiter) discovers the guard as a test")
    void shouldBeInvisibleOnTheJUnitPlatform() {
        final Launcher launcher = LauncherFactory.create();
        final TestPlan plan = launcher.discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ContractAsAUserWritesIt.class)).build());
        final List<String> methods = new ArrayList<>();
        plan.getRoots().forEach(root -> plan.getDescendants(root).forEach(id -> id.getSource()
                .filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName())
                .ifPresent(methods::add)));
        assertTrue(methods.contains("modelEquivalence"), "the contracts must be discovered: " + methods);
        assertTrue(methods.contains("disconnectIsReportedOnlyAfterTheDrain"), methods.toString());
        assertFalse(methods.contains(GUARD), "the guard must not be a test on the JUnit Platform: " + methods);

        // asked for by name, it still runs nowhere
        final List<String> ran = new ArrayList<>();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(ContractAsAUserWritesIt.class, GUARD)).build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            ran.add(id.getDisplayName() + " " + result);
                        }
                    }
                });
        assertEquals(List.of(), ran);
    }

    @Test
    @DisplayName("a JUnit 3 / POJO runner finds exactly the guard, and calling it fails with what to pin")
    void shouldFailAPojoRunnerWithWhatToPin() throws Exception {
        // what Surefire 2.12.4's POJO provider calls: public, not static, void, no parameters, "test" and more
        final List<Method> called = Arrays.stream(ContractAsAUserWritesIt.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && m.getReturnType() == void.class
                        && m.getParameterCount() == 0 && m.getName().length() > 4 && m.getName().startsWith("test"))
                .toList();
        assertEquals(List.of(GUARD), called.stream().map(Method::getName).toList());
        final Object contract = ContractAsAUserWritesIt.class.getConstructor().newInstance();
        final AssertionError failure = assertThrows(AssertionError.class,
                () -> ((RingContract) contract).testkitContractsNeedTheJUnitPlatform());
        final String message = failure.getMessage();
        assertTrue(message.contains("logbuf-testkit's contracts run on the JUnit Platform"), message);
        assertTrue(message.contains("ran none of " + ContractAsAUserWritesIt.class.getName() + "'s"), message);
        assertTrue(message.contains("Pin maven-surefire-plugin (and maven-failsafe-plugin) to 3.0.0 or later"),
                message);
        assertTrue(message.contains("logbuf-testkit/README.md#surefire-and-failsafe-versions"), message);
    }

    @Test
    @DisplayName("the guard names the Surefire it runs in, and the tested version is the one this build uses")
    void shouldNameTheSurefireVersion() {
        final String built = System.getProperty("logbuf.surefire.version");
        Assumptions.assumeTrue(built != null, "run by Maven, which passes logbuf.surefire.version");
        assertEquals(built, PlatformGuard.TESTED_SUREFIRE,
                "PlatformGuard.TESTED_SUREFIRE (and the testkit README) must say what the parent pom's surefire.version is");
        assertEquals(built, PlatformGuard.surefireVersion(), "the version of the Surefire fork this runs in");
        assertTrue(PlatformGuard.message(RingContract.class).contains("this build's Surefire (version " + built + ")"));
    }
}
