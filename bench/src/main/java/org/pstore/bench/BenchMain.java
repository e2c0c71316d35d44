package org.pstore.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.pstore.core.store.JvmFlags;

/**
 * The suite's runner: every benchmark beside its anchor in one run, then a table of results and ratios on
 * stdout and RESULTS.md. Started by {@code bench/run}:
 *
 * <pre>
 * BenchMain [--full] [--only REGEX] [--results FILE] [--root DIR]
 * </pre>
 * {@code --only} keeps the benchmarks whose full name the regex finds (e.g. {@code StoreWrite}, {@code panic$},
 * {@code BootBench}); a partial run still writes every table, with "not run" where nothing was measured.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws IOException {
        boolean full = false;
        Pattern only = null;
        Path results = Path.of("bench", "RESULTS.md");
        Path root = Path.of(".").toAbsolutePath().normalize();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full":
                    full = true;
                    break;
                case "--only":
                    only = Pattern.compile(value(args, ++i, "--only"));
                    break;
                case "--results":
                    results = Path.of(value(args, ++i, "--results"));
                    break;
                case "--root":
                    root = Path.of(value(args, ++i, "--root")).toAbsolutePath().normalize();
                    break;
                case "-h":
                case "--help":
                    System.out.println("usage: BenchMain [--full] [--only REGEX] [--results FILE] [--root DIR]");
                    return;
                default:
                    System.err.println("unknown argument " + args[i] + " (try --help)");
                    System.exit(2);
            }
        }

        String cliProblem = cliProblem(root);
        Plan plan = new Plan(full, cliProblem == null).only(only);
        boolean boot = plan.runsBoot(only);
        double estimate = plan.groups.stream().mapToDouble(Plan.Group::estimateSeconds).sum() + (boot ? plan.bootEstimateSeconds() : 0);
        System.out.printf("pstore bench, %s mode: %d JMH runs%s; expected duration about %.0f min on 2 cores%n",
                full ? "full" : "short", plan.groups.size(), boot ? " and " + plan.bootRuns + " boot probes" : "", Math.ceil(estimate / 60));
        if (cliProblem != null) {
            System.out.println("bin/pstore list --json: " + cliProblem);
        }

        Path notesFile = Files.createTempFile("pstore-bench-notes-", ".txt");
        List<String> forkArgs = new ArrayList<>(JvmFlags.required());
        forkArgs.add("-D" + Notes.PROPERTY + "=" + notesFile);
        forkArgs.add("-D" + Bench.ROOT_PROPERTY + "=" + root);
        ZonedDateTime started = ZonedDateTime.now();
        long t0 = System.nanoTime();

        List<Measurement> measured = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Plan.Group g : plan.groups) {
            System.out.println();
            System.out.println("== " + g.name() + ": " + g.settings());
            ChainedOptionsBuilder o = new OptionsBuilder()
                    .forks(g.forks())
                    .warmupIterations(g.warmups())
                    .measurementIterations(g.iterations())
                    .jvmArgsAppend(forkArgs.toArray(new String[0]))
                    .addProfiler(GCProfiler.class)
                    .shouldFailOnError(false);
            for (String m : g.methods()) {
                o.include("^" + Pattern.quote(m) + "$");
            }
            if (!g.singleShot()) {
                o.warmupTime(g.warmupTime()).measurementTime(g.iterationTime());
            }
            try {
                Collection<RunResult> runs = new Runner(o.build()).run();
                for (RunResult r : runs) {
                    measured.add(Measurement.of(r));
                }
                for (String m : g.methods()) {
                    String name = m.substring(m.lastIndexOf('.', m.lastIndexOf('.') - 1) + 1);
                    if (runs.stream().noneMatch(r -> r.getParams().getBenchmark().equals(m))) {
                        failures.add(name + " failed: see the JMH output above");
                    }
                }
            } catch (RunnerException | RuntimeException e) {
                failures.add(g.name() + ": " + e);
                e.printStackTrace();
            }
        }

        BootBench.Result bootResult = null;
        if (boot) {
            System.out.println();
            System.out.println("== boot: " + plan.bootRuns + " runs of Pstore.boot() in fresh JVMs");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            bootResult = BootBench.measure(plan.bootRuns, java, JvmFlags.required(), System.getProperty("java.class.path"));
            if (bootResult.error != null) {
                failures.add("boot: " + bootResult.error);
            }
        }

        Map<String, String> notes = Notes.read(notesFile);
        Files.deleteIfExists(notesFile);
        long minutes = Math.round((System.nanoTime() - t0) / 60e9);
        Report report = new Report(Machine.here(), plan, only, started, minutes, forkArgs.subList(0, forkArgs.size() - 2),
                measured, bootResult, cliProblem, notes, failures);
        System.out.println();
        System.out.println(report.text());
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, report.markdown(), StandardCharsets.UTF_8);
        System.out.println("wrote " + results);
        if (!failures.isEmpty()) {
            System.exit(1);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /**
     * Why {@code bin/pstore list --json} cannot be measured, or null when it can. The launcher rebuilds the CLI
     * when its jar is older than any source; the benchmark never lets it do that (it would time a build).
     */
    static String cliProblem(Path root) {
        Path launcher = root.resolve("bin").resolve("pstore");
        Path jar = root.resolve("cli").resolve("target").resolve("pstore-cli.jar");
        if (!Files.isExecutable(launcher)) {
            return "not measured: CLI not built (no bin/pstore)";
        }
        if (!Files.isRegularFile(jar)) {
            return "not measured: CLI not built (no cli/target/pstore-cli.jar; `mvn -B -DskipTests install` builds it)";
        }
        try {
            long built = Files.getLastModifiedTime(jar).toMillis();
            try (Stream<Path> files = Files.walk(root)) {
                boolean stale = files.filter(p -> !inTarget(root, p))
                        .filter(p -> {
                            String n = p.getFileName().toString();
                            return n.endsWith(".java") || n.equals("pom.xml") || n.endsWith(".properties");
                        })
                        .anyMatch(p -> {
                            try {
                                return Files.getLastModifiedTime(p).toMillis() > built;
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                if (stale) {
                    return "not measured: CLI not built (cli/target/pstore-cli.jar is older than the sources, so bin/pstore would"
                            + " rebuild it first; `mvn -B -DskipTests install` brings it up to date)";
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return "not measured: " + e;
        }
        return null;
    }

    private static boolean inTarget(Path root, Path p) {
        Path rel = root.relativize(p);
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            String part = rel.getName(i).toString();
            if ((i > 0 && part.equals("target")) || part.equals(".git")) {
                return true;
            }
        }
        return false;
    }

    static String today(ZonedDateTime t) {
        return t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"));
    }

    static boolean is(Measurement m, String bench, Mode mode) {
        return m.benchmark().equals(bench) && m.mode() == mode;
    }
}
