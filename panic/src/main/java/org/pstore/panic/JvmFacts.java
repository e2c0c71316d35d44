package org.pstore.panic;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Facts about the JVM that never change, captured (allocating) when the machine is armed, plus the
 * MXBeans whose live counters the report reads without allocating.
 */
final class JvmFacts {
    private final String vm;
    private final long uptimeMillisAtCapture;
    private final long capturedNanos;
    private final GarbageCollectorMXBean[] gcs;
    private final String[] gcNames;
    private final String args;
    private final ThreadMXBean threads;
    private final boolean lockedMonitors;
    private final boolean lockedSynchronizers;

    private JvmFacts(String vm, long uptimeMillis, GarbageCollectorMXBean[] gcs, String[] gcNames, String args,
            ThreadMXBean threads) {
        this.vm = vm;
        this.uptimeMillisAtCapture = uptimeMillis;
        this.capturedNanos = System.nanoTime();
        this.gcs = gcs;
        this.gcNames = gcNames;
        this.args = args;
        this.threads = threads;
        this.lockedMonitors = threads != null && supported(threads, true);
        this.lockedSynchronizers = threads != null && supported(threads, false);
    }

    /** Allocates; every part that fails is left out rather than failing the whole. */
    static JvmFacts capture() {
        String vm = "[vm unknown]";
        long uptime = 0;
        String args = "[unknown]";
        try {
            RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
            vm = runtime.getVmName() + " " + runtime.getVmVersion() + ", pid " + ProcessHandle.current().pid();
            uptime = runtime.getUptime();
            args = String.join(" ", runtime.getInputArguments());
        } catch (Throwable unavailable) {
            // keep the fallbacks
        }
        GarbageCollectorMXBean[] gcs = new GarbageCollectorMXBean[0];
        String[] gcNames = new String[0];
        try {
            List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
            gcs = beans.toArray(new GarbageCollectorMXBean[0]);
            gcNames = new String[gcs.length];
            for (int i = 0; i < gcs.length; i++) {
                gcNames[i] = gcs[i].getName();
            }
        } catch (Throwable unavailable) {
            gcs = new GarbageCollectorMXBean[0];
            gcNames = new String[0];
        }
        ThreadMXBean threads = null;
        try {
            threads = ManagementFactory.getThreadMXBean();
        } catch (Throwable unavailable) {
            // no thread dump then
        }
        return new JvmFacts(vm, uptime, gcs, gcNames, args, threads);
    }

    private static boolean supported(ThreadMXBean threads, boolean monitors) {
        try {
            return monitors ? threads.isObjectMonitorUsageSupported() : threads.isSynchronizerUsageSupported();
        } catch (Throwable unavailable) {
            return false;
        }
    }

    ThreadMXBean threads() {
        return threads;
    }

    boolean lockedMonitors() {
        return lockedMonitors;
    }

    boolean lockedSynchronizers() {
        return lockedSynchronizers;
    }

    /**
     * "JVM: NAME VERSION, pid P, uptime U ms, heap used X/Y bytes, gc NAME N collections T ms; ..., args: ...".
     * Allocation-free: uptime from nanoTime, heap from Runtime, GC counters from the captured MXBeans.
     */
    static void format(JvmFacts facts, LineBuffer line) {
        line.append("JVM: ");
        if (facts == null) {
            line.append("[facts unavailable]");
        } else {
            line.append(facts.vm).append(", uptime ")
                    .append(facts.uptimeMillisAtCapture + (System.nanoTime() - facts.capturedNanos) / 1_000_000)
                    .append(" ms");
        }
        Runtime runtime = Runtime.getRuntime();
        line.append(", heap used ").append(runtime.totalMemory() - runtime.freeMemory())
                .append('/').append(runtime.maxMemory()).append(" bytes");
        if (facts == null) {
            return;
        }
        for (int i = 0; i < facts.gcs.length; i++) {
            line.append(i == 0 ? ", gc " : "; ").append(facts.gcNames[i]);
            try {
                line.append(' ').append(facts.gcs[i].getCollectionCount()).append(" collections ")
                        .append(facts.gcs[i].getCollectionTime()).append(" ms");
            } catch (Throwable unavailable) {
                line.append(" [unavailable]");
            }
        }
        line.append(", args: ").append(facts.args);
    }
}
