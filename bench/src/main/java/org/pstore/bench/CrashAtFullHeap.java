package org.pstore.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.panic.Panic;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.Priority;

/**
 * Item 3c, the crash record when the heap is exhausted: how long from the start of the panic until the crash
 * record is in the store, in fresh JVMs ({@code -Xmx64m}) that really die, {@code runs} times each way:
 * a panic on a healthy heap (main calls {@code Panic.panic}), and the heap exhausted by four threads that keep
 * allocating while main logs (the error lands where it lands). Two moments, each read by a notifier of the
 * dying JVM right after its step and written to a mapped file (no allocation): the early record (cause, log
 * tail: what no heap is needed for) and the full one (with the thread dump). p50 and p99. Not JMH: JMH cannot
 * time a JVM's death. Args: java, runs, then the JVM flags pstore needs. Prints a Markdown section.
 */
public final class CrashAtFullHeap {
    private CrashAtFullHeap() {
    }

    /** The dying application. Args: store dir, timing file, "healthy" or "exhausted". */
    public static final class Dying {
        static final Logger LOG = Logger.getLogger("bench.dying");
        static final List<Object> KEPT = new ArrayList<>();

        public static void main(String[] args) throws Exception {
            MappedByteBuffer times;
            try (FileChannel ch = FileChannel.open(Path.of(args[1]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                times = ch.map(FileChannel.MapMode.READ_WRITE, 0, 16);
            }
            Pstore.boot(PstoreConfig.builder().dir(Path.of(args[0])).build());
            PanicMachine machine = Panic.machine();
            machine.registerNotifier("bench: early record", Priority.DUMP - 1,
                    e -> times.putLong(0, System.nanoTime() - e.startNanos()));
            machine.registerNotifier("bench: full record", Priority.DUMP_FULL - 1,
                    e -> times.putLong(8, System.nanoTime() - e.startNanos()));
            for (int i = 0; i < 300; i++) {
                LOG.info("tick " + i);
            }
            if (args[2].equals("healthy")) {
                Panic.panic("bench: healthy heap", new IllegalStateException("a panic on a healthy heap"));
            }
            for (int t = 0; t < 4; t++) {
                int size = 64 << (4 * t); // 64 B, 1 KiB, 16 KiB, 256 KiB
                new Thread(() -> {
                    for (;;) {
                        byte[] b = new byte[size];
                        synchronized (KEPT) {
                            KEPT.add(b);
                        }
                    }
                }, "allocator-" + t).start();
            }
            for (long n = 300; ; n++) {
                LOG.info("tick " + n);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String java = args[0];
        int runs = Integer.parseInt(args[1]);
        List<String> flags = List.of(args).subList(2, args.length);
        String cp = Path.of(CrashAtFullHeap.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        StringBuilder md = new StringBuilder("\n### 3c. The crash record at an exhausted heap (fresh JVMs, -Xmx64m, "
                + runs + " runs each)\n\n");
        md.append("| heap | record | p50 (ms) | p99 (ms) | max (ms) | runs with it | ratio p50 to healthy |\n|---|---|---|---|---|---|---|\n");
        double[] healthyP50 = new double[2];
        for (String kind : new String[] {"healthy", "exhausted"}) {
            List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < runs; i++) {
                Path dir = Temp.dir("crash-at-full-heap");
                try {
                    Path times = dir.resolve("times");
                    Files.write(times, ByteBuffer.allocate(16).putLong(-1).putLong(-1).array());
                    List<String> cmd = new ArrayList<>(List.of(java));
                    cmd.addAll(flags);
                    cmd.addAll(List.of("-Xmx64m", "-cp", cp, Dying.class.getName(), dir.resolve("store").toString(),
                            times.toString(), kind));
                    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    if (!p.waitFor(120, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor();
                    }
                    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(times));
                    for (int k = 0; k < 2; k++) {
                        long nanos = b.getLong(8 * k);
                        if (nanos >= 0) {
                            ms.get(k).add(nanos / 1e6);
                        }
                    }
                } finally {
                    Temp.delete(dir);
                }
            }
            String[] names = {"early (cause, log tail)", "full (with the thread dump)"};
            for (int k = 0; k < 2; k++) {
                List<Double> s = new ArrayList<>(ms.get(k));
                Collections.sort(s);
                if (s.isEmpty()) {
                    md.append("| ").append(kind).append(" | ").append(names[k]).append(" | - | - | - | 0 of ").append(runs)
                            .append(" | |\n");
                    continue;
                }
                double p50 = pct(s, 0.50);
                if (kind.equals("healthy")) {
                    healthyP50[k] = p50;
                }
                md.append(String.format("| %s | %s | %.2f | %.2f | %.2f | %d of %d | %s |%n", kind, names[k], p50,
                        pct(s, 0.99), s.get(s.size() - 1), s.size(), runs,
                        kind.equals("healthy") ? "1.00" : String.format("%.2f", p50 / healthyP50[k])));
            }
        }
        md.append("\n- Timed inside the dying JVM from the panic's start to the moment each dump step returned, its parts in "
                + "the store (a notifier right after the step reads the clock; it allocates nothing). The early record "
                + "needs no heap; the full one needs heap for the thread dump, which the exhausted runs get back from the "
                + "heap reserve and GC retries while four threads keep allocating.\n");
        md.append(String.format("- load average at the end of the runs: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.print(md);
    }

    /** Nearest-rank percentile of a sorted list. */
    private static double pct(List<Double> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
