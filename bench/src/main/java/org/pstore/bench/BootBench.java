package org.pstore.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.pstore.Pstore;

/**
 * Item 5, boot: {@code Pstore.boot()} in a fresh JVM, run {@code runs} times by the runner. Each run is a new
 * JVM started with the flags pstore needs ({@link #main} is the probe): it measures the heap in use (after
 * a full GC) before and after the boot, and the boot's own time; the runner adds the whole process's wall
 * time, beside a JVM that does nothing, and the store directory's bytes (apparent and allocated). Each run
 * boots twice: on a new directory (the first boot creates the store) and again on the same one.
 * Not a JMH benchmark: JMH cannot see a fresh JVM's footprint.
 */
public final class BootBench {
    private BootBench() {
    }

    /** The probe: {@code boot} (with -Dpstore.dir) or {@code noop}; prints {@code key=value} pairs on one line. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("noop")) {
            System.out.println("noop=1");
            System.exit(0);
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long start = System.nanoTime();
        Pstore p = Pstore.boot();
        long bootNanos = System.nanoTime() - start;
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        System.out.println("boot_ns=" + bootNanos + " heap_before=" + heapBefore + " heap_after=" + heapAfter
                + " threads=" + Thread.activeCount() + " mode=" + p.mode().replace(' ', '_'));
        System.out.flush();
        System.exit(0);
    }

    /** What the runs measured; every list has one entry per run. */
    static final class Result {
        final List<Double> bootFreshMs = new ArrayList<>();
        final List<Double> bootAgainMs = new ArrayList<>();
        final List<Double> wallFreshMs = new ArrayList<>();
        final List<Double> wallNoopMs = new ArrayList<>();
        final List<Double> heapDeltaBytes = new ArrayList<>();
        final List<Double> heapAfterBytes = new ArrayList<>();
        final List<Double> apparentBytes = new ArrayList<>();
        final List<Double> allocatedBytes = new ArrayList<>();
        long files;
        String mode = "";
        String error;
    }

    static Result measure(int runs, String java, List<String> jvmFlags, String classpath) {
        Result r = new Result();
        try {
            for (int i = 0; i < runs; i++) {
                Path parent = Temp.dir("boot");
                try {
                    Path dir = parent.resolve("store");
                    long t0 = System.nanoTime();
                    Map<String, String> fresh = probe(java, jvmFlags, classpath, dir, "boot");
                    r.wallFreshMs.add((System.nanoTime() - t0) / 1e6);
                    Du du = Du.of(dir); // the footprint of a store after its first boot (the probe has exited)
                    Map<String, String> again = probe(java, jvmFlags, classpath, dir, "boot");
                    long t1 = System.nanoTime();
                    probe(java, jvmFlags, classpath, dir, "noop");
                    r.wallNoopMs.add((System.nanoTime() - t1) / 1e6);

                    r.bootFreshMs.add(Long.parseLong(fresh.get("boot_ns")) / 1e6);
                    r.bootAgainMs.add(Long.parseLong(again.get("boot_ns")) / 1e6);
                    long before = Long.parseLong(fresh.get("heap_before"));
                    long after = Long.parseLong(fresh.get("heap_after"));
                    r.heapDeltaBytes.add((double) (after - before));
                    r.heapAfterBytes.add((double) after);
                    r.mode = fresh.getOrDefault("mode", "").replace('_', ' ');
                    r.apparentBytes.add((double) du.apparent());
                    r.allocatedBytes.add((double) du.allocated());
                    r.files = du.files();
                } finally {
                    Temp.delete(parent);
                }
            }
        } catch (IOException | RuntimeException e) {
            r.error = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.error = e.toString();
        }
        return r;
    }

    private static Map<String, String> probe(String java, List<String> jvmFlags, String classpath, Path dir, String what)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.add("-Dpstore.dir=" + dir);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(BootBench.class.getName());
        cmd.add(what);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("boot probe did not finish in 120 s");
        }
        Map<String, String> values = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("boot_ns=") || line.startsWith("noop=")) {
                for (String pair : line.trim().split(" ")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        values.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            }
        }
        if (p.exitValue() != 0 || values.isEmpty()) {
            throw new IOException("boot probe failed (exit " + p.exitValue() + "): " + out.strip());
        }
        return values;
    }
}
