package dev.logbuf.testkit;

import java.net.URL;
import java.security.CodeSource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link RingContract#testkitContractsNeedTheJUnitPlatform()} tells a
 * build whose test runner is not the JUnit Platform: which contract class
 * ran nothing, which Surefire ran it (when it can tell), and what to pin.
 *
 * <p>Maven 3 runs a pom's tests with Surefire 2.12.4 unless the pom pins
 * {@code maven-surefire-plugin}. That Surefire predates the JUnit Platform:
 * without JUnit 4 on the test class path it uses its JUnit 3 / POJO provider,
 * which takes every public class named like a test and calls its public,
 * non-static, no-argument {@code void} methods whose names start with
 * {@code test}. None of the contracts is such a method, so without the guard
 * it reports "Tests run: 0" and the build succeeds.
 */
final class PlatformGuard {

    /** The Surefire (and Failsafe) release logbuf's own build and logbuf-it's user builds run with. */
    static final String TESTED_SUREFIRE = "3.5.4";

    /** The first Surefire release that runs the kit's JUnit Platform version without help (SUREFIRE-1585). */
    static final String MINIMUM_SUREFIRE = "3.0.0";

    /** Where the README explains it. */
    static final String README = "https://github.com/logbuf/logbuf/blob/main/logbuf-testkit/README.md"
            + "#surefire-and-failsafe-versions";

    /** The class in every Surefire and Failsafe fork (2.x and 3.x) whose jar names the version. */
    private static final String FORKED_BOOTER = "org.apache.maven.surefire.booter.ForkedBooter";

    private static final Pattern BOOTER_JAR = Pattern.compile("surefire-booter-([^/\\\\]+)\\.jar$");

    private PlatformGuard() {
    }

    /**
     * The message for a contract class run outside the JUnit Platform.
     *
     * @param contractClass the user's contract subclass
     * @return what ran, what did not, and what to pin
     */
    static String message(Class<?> contractClass) {
        final String version = surefireVersion();
        final String runner = version == null ? "this build's test runner"
                : "this build's Surefire (version " + version + ")";
        return "logbuf-testkit's contracts run on the JUnit Platform (they are jqwik properties), and " + runner
                + " ran none of " + contractClass.getName() + "'s: it called this method only because its name"
                + " starts with \"test\". Maven 3.8 and older use Surefire 2.12.4, which has no JUnit Platform"
                + " provider, when a pom names no maven-surefire-plugin version. Pin maven-surefire-plugin (and"
                + " maven-failsafe-plugin) to " + MINIMUM_SUREFIRE + " or later (logbuf is tested with " + TESTED_SUREFIRE + "): see " + README;
    }

    /**
     * The version of the Surefire (or Failsafe) fork this runs in, from the
     * name of the jar its booter was loaded from.
     *
     * @return the version, or {@code null} outside a Surefire fork or when it cannot tell
     */
    static String surefireVersion() {
        try {
            final Class<?> booter = Class.forName(FORKED_BOOTER, false, PlatformGuard.class.getClassLoader());
            final CodeSource source = booter.getProtectionDomain().getCodeSource();
            final URL location = source == null ? null : source.getLocation();
            if (location != null) {
                final Matcher jar = BOOTER_JAR.matcher(location.getPath());
                if (jar.find()) {
                    return jar.group(1);
                }
            }
            final Package p = booter.getPackage();
            return p == null ? null : p.getImplementationVersion();
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return null;
        }
    }
}
