package dev.logbuf.testkit.lincheck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Whether Lincheck can run on this JDK.
 *
 * <p>Lincheck 2.39 instruments every class it runs (for the model checker's
 * switch points, and its agent is installed for stress runs too) with the
 * ASM it depends on, 9.6. To compute stack frames ASM reads the class files
 * of the JDK's own classes, and ASM 9.6 reads class files up to JDK 22's: on
 * JDK 25 every class of logbuf fails to transform ("Unable to transform
 * dev/logbuf/queue/Ring ... IllegalArgumentException: Unsupported class file
 * major version 69", one stack trace per class). Lincheck carries on with the
 * classes untransformed, so model checking would see none of the ring's
 * accesses and pass without having checked anything (tried: a wrong
 * specification that Lincheck rejects on JDK 17 passes there). With ASM 9.8
 * on the test class path both strategies work on JDK 25 and bite as on
 * JDK 17, so the parent pom pins ASM 9.8. Should a later JDK outrun the
 * pinned ASM, the Lincheck tests are skipped, with this reason, rather than
 * pass without instrumenting anything; the check is ASM's own, so they come
 * back by themselves once a newer ASM is pinned.
 */
final class LincheckSupport {

    private LincheckSupport() {
    }

    /** Skips the calling test class unless Lincheck's ASM reads this JDK's class files. */
    static void assumeLincheckCanInstrument() {
        final String problem = asmProblem();
        assumeTrue(problem == null, () -> "Lincheck skipped on JDK " + Runtime.version().feature()
                + ": its bytecode instrumentation (ASM " + asmVersion() + ") cannot read this JDK's class files ("
                + problem + "), so the classes under test would stay uninstrumented and model checking would "
                + "check nothing; put ASM 9.8 or later on the test class path to run it here");
    }

    /** Null if ASM's ClassReader reads java.lang.Object's class file of this JDK, else its complaint. */
    private static String asmProblem() {
        try (InputStream in = ClassLoader.getSystemResourceAsStream("java/lang/Object.class")) {
            final byte[] bytes = in.readAllBytes();
            Class.forName("org.objectweb.asm.ClassReader").getConstructor(byte[].class).newInstance((Object) bytes);
            return null;
        } catch (InvocationTargetException e) {
            return String.valueOf(e.getCause());
        } catch (ReflectiveOperationException | IOException e) {
            return String.valueOf(e);
        }
    }

    private static String asmVersion() {
        try {
            final Package asm = Class.forName("org.objectweb.asm.ClassReader").getPackage();
            final String version = asm.getImplementationVersion();
            return version == null ? "?" : version;
        } catch (ClassNotFoundException e) {
            return "missing";
        }
    }
}
