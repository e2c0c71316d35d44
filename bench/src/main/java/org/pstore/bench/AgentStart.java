package org.pstore.bench;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Item 6, the Java agent's start-up cost: a hello-world application (this class's {@link Hello}) in a fresh JVM,
 * {@code runs} times without and with {@code -javaagent} (alternating, so drift hits both), each on a new store
 * directory. Measured from the parent: until the first line main prints (what the agent adds before main;
 * target: at most 150 ms) and until the process ends (the store opens in the background meanwhile, and a
 * program whose main returns first waits for it). Medians. Not JMH: JMH cannot time a fresh JVM's start.
 * Args: java, agent jar, runs. Prints a Markdown section.
 */
public final class AgentStart {
    static final double TARGET_MS = 150;

    private AgentStart() {
    }

    /** The application: prints one line, returns. */
    public static final class Hello {
        public static void main(String[] args) {
            System.out.println("hello from main");
        }
    }

    public static void main(String[] args) throws Exception {
        String java = args[0];
        Path agent = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        if (!Files.isRegularFile(agent)) {
            System.out.println("\n### 6. Java agent start-up\n\nnot measured: " + agent + " is missing (build the agent module)\n");
            return;
        }
        String cp = Path.of(AgentStart.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<Double> mainWithout = new ArrayList<>();
        List<Double> mainWith = new ArrayList<>();
        List<Double> endWithout = new ArrayList<>();
        List<Double> endWith = new ArrayList<>();
        probe(List.of(java, "-cp", cp, Hello.class.getName()), null, null); // warm the disk cache
        for (int i = 0; i < runs; i++) {
            probe(List.of(java, "-cp", cp, Hello.class.getName()), mainWithout, endWithout);
            Path dir = Temp.dir("agent-start");
            try {
                probe(List.of(java, "-javaagent:" + agent + "=dir=" + dir.resolve("store"), "-cp", cp, Hello.class.getName()),
                        mainWith, endWith);
            } finally {
                Temp.delete(dir);
            }
        }
        double added = median(mainWith) - median(mainWithout);
        StringBuilder md = new StringBuilder("\n### 6. Java agent start-up (hello world, whole process, median of " + runs + ")\n\n");
        md.append("| | without agent (ms) | with agent (ms) | added (ms) | target | result |\n|---|---|---|---|---|---|\n");
        md.append(String.format("| until main prints its line | %.0f | %.0f | %.0f | <= %.0f | %s |%n", median(mainWithout), median(mainWith),
                added, TARGET_MS, added <= TARGET_MS ? "PASS" : "MISS"));
        md.append(String.format("| until the process ends | %.0f | %.0f | %.0f | | |%n", median(endWithout), median(endWith),
                median(endWith) - median(endWithout)));
        md.append("\n- With the agent, everything before main is the agent's first part (the JVM claimed, the capture ring, the "
                + "JUL/stdout/logging hooks, the early crash handler); settings, module opens, the store directory and the store itself "
                + "follow on a background thread, and a program whose main returns while the store opens waits for it at its exit (so "
                + "its lines reach the journal), hence the second row. Both sides run the same class path (bench/target/benchmarks.jar) "
                + "and the same JDK as bench/run; the load average of the machine during the run is printed here because on 2 shared "
                + "cores it moves these numbers more than anything the agent does.\n");
        md.append(String.format("- load average at the end of the runs: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.print(md);
    }

    private static void probe(List<String> cmd, List<Double> toMain, List<Double> toEnd) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long firstLine = -1;
        try (InputStream in = p.getInputStream()) {
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n' && firstLine < 0) {
                    firstLine = System.nanoTime();
                }
            }
        }
        p.waitFor();
        long end = System.nanoTime();
        if (toMain != null) {
            toMain.add((firstLine - t0) / 1e6);
            toEnd.add((end - t0) / 1e6);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
