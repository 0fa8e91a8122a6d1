package dev.logbuf.jcstress;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Runs the scenarios and judges the run, which jcstress itself does not do
 * with its exit status (it exits 0 whatever it found).
 *
 * <pre>
 *   java -cp logbuf-jcstress/target/jcstress.jar dev.logbuf.jcstress.Check run [jcstress options]
 *   java -cp logbuf-jcstress/target/jcstress.jar dev.logbuf.jcstress.Check broken [--observable] [variant ...] [-- jcstress options]
 * </pre>
 *
 * <p>{@code run} runs jcstress in a child JVM with the given options, echoes
 * its output, and exits 1 unless every scenario passed: no FORBIDDEN outcome,
 * no error, at least one result.
 *
 * <p>{@code broken} proves the scenarios bite. For each {@link Broken}
 * variant it copies the sources of logbuf-queue and logbuf-channel, makes the
 * variant's one edit (the edit must match exactly once, so a change to the
 * real code cannot silently turn a variant into a copy of it), compiles the
 * copy, and runs the variant's scenarios with the broken classes ahead of the
 * real ones on the class path (the forked test JVMs inherit it). It prints a
 * table of what each variant did and exits 1 if a variant that this machine
 * can expose was not caught in two runs (a variant caught in many samples,
 * {@code Broken.frequent}, gets one short iteration per result in its first
 * run, and the options as given in the second). Before any of that it
 * applies every variant's edit, chosen or not, to the real source. With
 * {@code --observable} it runs only the variants this machine can expose
 * often enough for a bounded run (the ones {@code mvn verify -Pjcstress} runs: see
 * {@code Broken.requiredInProfile}); with names, only those; with neither,
 * all of them. The jcstress options default to {@code -m quick}.
 */
public final class Check {

    /** The final progress line: "(Results: N planned; P passed, F failed, S soft errs, H hard errs)". */
    private static final Pattern RESULTS = Pattern.compile(
            "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");

    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /**
     * The JVM arguments of a frequent variant's short first run
     * ({@code -Dlogbuf.broken.shortJvmArgs}, one space-separated line for
     * jcstress's {@code -jvmArgs}, which runs that one JVM mode instead of
     * its four); empty for jcstress's own modes.
     */
    private static final String SHORT_JVM_ARGS = System.getProperty("logbuf.broken.shortJvmArgs", "").trim();

    /** The runtime modules whose sources a variant may edit, in the order they are copied. */
    private static final List<String> RUNTIME_MODULES = List.of("logbuf-queue", "logbuf-channel");

    private Check() {
    }

    /**
     * The command line entry point.
     *
     * @param args {@code run} or {@code broken}, then their arguments
     * @throws Exception if a child process or the compiler cannot be run
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("run") || args[0].equals("broken"))) {
            System.err.println("usage: Check run [jcstress options] | Check broken [--observable] [variant ...] [-- jcstress options]");
            System.exit(2);
        }
        final List<String> rest = Arrays.asList(args).subList(1, args.length);
        final boolean ok = args[0].equals("run") ? run(rest) : broken(rest);
        System.exit(ok ? 0 : 1);
    }

    /** A result row: the outcome, its sample count and its expectation. */
    private static final Pattern ROW = Pattern.compile("^\\s*(.+?)\\s+([\\d,]+)\\s+<?[\\d.]+%\\s+(Forbidden|Acceptable|Interesting)\\s");

    /** A test's verdict line: "..... [FAILED] dev.logbuf.jcstress.Reuse.SingleRead". */
    private static final Pattern VERDICT = Pattern.compile("\\[(OK|FAILED|ERROR)\\] (\\S+)");

    /**
     * What one jcstress run reported; {@code failures} names each failed
     * scenario with the forbidden outcomes it saw and their sample counts.
     */
    record Summary(int planned, int passed, int failed, int softErrors, int hardErrors, List<String> failures) {

        boolean clean() {
            return passed > 0 && failed == 0 && hardErrors == 0;
        }

        boolean caughtSomething() {
            return failed > 0;
        }

        @Override
        public String toString() {
            return planned + " planned, " + passed + " passed, " + failed + " failed, " + softErrors
                    + " soft errors, " + hardErrors + " hard errors";
        }
    }

    private static boolean run(List<String> options) throws IOException, InterruptedException {
        final long started = System.nanoTime();
        final Summary summary = jcstress(System.getProperty("java.class.path"), options, true);
        System.out.println("logbuf-jcstress: " + summary + (summary.clean() ? ": PASSED" : ": FAILED")
                + " (" + seconds(started) + ")");
        summary.failures().forEach(f -> System.out.println("  " + f));
        return summary.clean();
    }

    private static boolean broken(List<String> args) throws IOException, InterruptedException {
        final int dashes = args.indexOf("--");
        final List<String> names = new ArrayList<>(dashes < 0 ? args : args.subList(0, dashes));
        final boolean observableOnly = names.remove("--observable");
        final List<String> options = dashes < 0 ? List.of("-m", "quick") : args.subList(dashes + 1, args.size());
        final Path root = projectRoot();
        final Path work = Path.of(System.getProperty("logbuf.broken.dir", "target/broken")).toAbsolutePath();
        final List<Broken> chosen = new ArrayList<>();
        for (Broken variant : Broken.values()) {
            if ((names.isEmpty() || names.contains(variant.id())) && (!observableOnly || variant.requiredInProfile())) {
                chosen.add(variant);
            }
        }
        if (chosen.isEmpty()) {
            System.err.println("no such variant among " + Arrays.stream(Broken.values()).map(Broken::id).toList());
            return false;
        }
        final long begun = System.nanoTime();
        // every variant's edit, chosen or not, must still match the real source exactly once: a
        // variant this run skips (one x86 cannot expose, say) must not drift silently either
        checkEveryEditApplies(root);
        final List<String> table = new ArrayList<>();
        boolean allAsExpected = true;
        for (Broken variant : chosen) {
            System.out.println("== broken variant " + variant.id() + ": " + variant.what());
            final long started = System.nanoTime();
            final Path classes = compile(root, work.resolve(variant.id()), variant);
            final List<String> selected = new ArrayList<>(options);
            selected.addAll(List.of("-t", variant.scenarios(), "-r", work.resolve(variant.id()).resolve("results").toString()));
            final String classPath = classes + File.pathSeparator + System.getProperty("java.class.path");
            final List<String> first = variant.frequent() ? shortened(selected, SHORT_JVM_ARGS) : selected;
            Summary summary = jcstress(classPath, first, false);
            boolean shortRun = !first.equals(selected);
            if (!summary.caughtSomething() && variant.observableHere()) {
                // a bounded run can be unlucky on a loaded machine (a missing fence shows in a few
                // samples per hundred thousand, and fewer when the actors rarely run at once): one
                // more, twice as long, before calling it missed
                System.out.println("    not caught on the first run (" + summary + "); once more, twice as long");
                summary = jcstress(classPath, lengthened(selected, 2), false);
                shortRun = false;
            }
            final boolean caught = summary.caughtSomething();
            final String verdict;
            if (caught) {
                verdict = shortRun ? "CAUGHT (short run" + (SHORT_JVM_ARGS.isEmpty() ? "" : ", " + SHORT_JVM_ARGS) + ")"
                        : "CAUGHT";
            } else if (variant.observableHere()) {
                verdict = "MISSED";
                allAsExpected = false;
            } else {
                verdict = "not caught (not observable on this machine: " + variant.why() + ")";
            }
            final String line = String.format("%-22s %-45s %s; %s (%s)", variant.id(), variant.scenarios(), verdict, summary,
                    seconds(started));
            System.out.println(line);
            summary.failures().forEach(f -> System.out.println("    " + f));
            table.add(line);
            summary.failures().forEach(f -> table.add("    " + f));
            if (summary.passed() + summary.failed() == 0) {
                System.out.println("    no scenario ran: check the selection");
                allAsExpected = false;
            }
        }
        System.out.println();
        System.out.println("Broken variants (" + String.join(" ", options) + "; " + seconds(begun) + " in all):");
        table.forEach(System.out::println);
        return allAsExpected;
    }

    /**
     * The options with one short iteration per result ({@code -iters 1 -time
     * 100}) where they name longer ones, and {@code -jvmArgs jvmArgs} when
     * not empty and not given already: the first run of a variant caught in
     * most samples ({@code Broken.frequent}). Options that do not name
     * iterations or time (a preset alone) are left as they are.
     */
    static List<String> shortened(List<String> options, String jvmArgs) {
        final List<String> out = new ArrayList<>(options);
        if (!jvmArgs.isEmpty() && !out.contains("-jvmArgs")) {
            out.add("-jvmArgs");
            out.add(jvmArgs);
        }
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i).equals("-iters")) {
                out.set(i + 1, String.valueOf(Math.min(1, Integer.parseInt(out.get(i + 1)))));
            } else if (out.get(i).equals("-time")) {
                out.set(i + 1, String.valueOf(Math.min(100, Integer.parseInt(out.get(i + 1)))));
            }
        }
        return out;
    }

    /** The options with {@code times} as many iterations ({@code -iters}) where they name a count. */
    static List<String> lengthened(List<String> options, int times) {
        final List<String> out = new ArrayList<>(options);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i).equals("-iters")) {
                out.set(i + 1, String.valueOf(times * Integer.parseInt(out.get(i + 1))));
            }
        }
        return out;
    }

    /** The time since {@code started} (a System.nanoTime value), as "12.3 s". */
    private static String seconds(long started) {
        return String.format("%.1f s", (System.nanoTime() - started) / 1e9);
    }

    /**
     * Applies every variant's edit to the real source, without compiling or
     * running anything (milliseconds).
     *
     * @throws IllegalStateException naming the first variant whose text no longer occurs exactly once
     */
    private static void checkEveryEditApplies(Path root) throws IOException {
        for (Broken variant : Broken.values()) {
            Path source = null;
            for (String module : RUNTIME_MODULES) {
                final Path candidate = root.resolve(module).resolve("src/main/java").resolve(variant.file());
                if (Files.exists(candidate)) {
                    source = candidate;
                }
            }
            if (source == null) {
                throw new IllegalStateException(variant.id() + ": no source file " + variant.file());
            }
            variant.apply(Files.readString(source, StandardCharsets.UTF_8));
        }
    }

    /** Copies the sources of the runtime modules, applies the variant's edit and compiles the copy. */
    private static Path compile(Path root, Path dir, Broken variant) throws IOException {
        final Path sources = dir.resolve("src");
        final Path classes = dir.resolve("classes");
        deleteTree(dir);
        final List<File> files = new ArrayList<>();
        for (String module : RUNTIME_MODULES) {
            final Path from = root.resolve(module).resolve("src/main/java");
            try (Stream<Path> walk = Files.walk(from)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                    if (file.getFileName().toString().equals("module-info.java")) {
                        continue; // the copy runs on the class path
                    }
                    final Path to = sources.resolve(from.relativize(file));
                    Files.createDirectories(to.getParent());
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    if (from.relativize(file).toString().replace(File.separatorChar, '/').equals(variant.file())) {
                        text = variant.apply(text);
                    }
                    Files.writeString(to, text, StandardCharsets.UTF_8);
                    files.add(to.toFile());
                }
            }
        }
        if (!Files.exists(sources.resolve(variant.file()))) {
            throw new IllegalStateException(variant.id() + ": no source file " + variant.file());
        }
        Files.createDirectories(classes);
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler: run this with a JDK, not a JRE");
        }
        final List<String> options = List.of("--release", "17", "-proc:none", "-nowarn", "-d", classes.toString());
        final boolean compiled = javac.getTask(null, null, null, options, null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjectsFromFiles(files)).call();
        if (!compiled) {
            throw new IllegalStateException(variant.id() + ": the broken copy does not compile");
        }
        return classes;
    }

    /** Runs jcstress in a child JVM, echoing (or, when quiet, only scanning) its output. */
    private static Summary jcstress(String classPath, List<String> options, boolean echo)
            throws IOException, InterruptedException {
        // jcstress sets thread affinity through JNA, which JDK 24+ warns about unless native access
        // is enabled (JDK 17 accepts the flag too); the forked test JVMs inherit this JVM's flags
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), NATIVE_ACCESS,
                "-cp", classPath, "org.openjdk.jcstress.Main"));
        command.addAll(options);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Matcher last = null;
        // failed scenario -> forbidden outcome -> samples, summed over the results printed
        final Map<String, Map<String, Long>> failures = new LinkedHashMap<>();
        String test = null;
        // the per-fork tables come first; the summary after "RUN RESULTS:" repeats them
        boolean summarySection = false;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (echo) {
                    System.out.println(line);
                }
                final Matcher m = RESULTS.matcher(line);
                if (m.find()) {
                    last = m;
                }
                if (line.startsWith("RUN RESULTS:")) {
                    summarySection = true;
                }
                final Matcher verdict = VERDICT.matcher(line);
                if (!summarySection && verdict.find()) {
                    test = verdict.group(2);
                    if (!verdict.group(1).equals("OK")) {
                        failures.computeIfAbsent(test, t -> new LinkedHashMap<>());
                    }
                    continue;
                }
                final Matcher row = ROW.matcher(line);
                if (!summarySection && test != null && failures.containsKey(test) && row.find() && row.group(3).equals("Forbidden")) {
                    final long samples = Long.parseLong(row.group(2).replace(",", ""));
                    if (samples > 0) {
                        failures.get(test).merge(row.group(1), samples, Long::sum);
                    }
                }
            }
        }
        final int exit = process.waitFor();
        if (last == null) {
            throw new IllegalStateException("jcstress printed no result line (exit " + exit + ")");
        }
        return new Summary(Integer.parseInt(last.group(1)), Integer.parseInt(last.group(2)),
                Integer.parseInt(last.group(3)), Integer.parseInt(last.group(4)),
                Integer.parseInt(last.group(5)), failures.entrySet().stream()
                        .map(f -> f.getKey() + (f.getValue().isEmpty() ? " (an error, or no forbidden row was printed)" : ": forbidden "
                                + f.getValue().entrySet().stream()
                                        .map(o -> "[" + o.getKey() + "] x " + String.format("%,d", o.getValue()))
                                        .collect(Collectors.joining(", "))))
                        .toList());
    }

    /** The project root: the working directory or its parent, whichever holds logbuf-queue. */
    private static Path projectRoot() {
        final Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("logbuf-queue/src/main/java"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from the project root or a module of it: no logbuf-queue/src/main/java above " + here);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
