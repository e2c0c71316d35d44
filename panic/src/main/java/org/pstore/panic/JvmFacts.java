package org.pstore.panic;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Facts about the JVM that never change, captured (allocating) when the machine is armed, plus the
 * MXBeans whose live counters the report reads without allocating. The arguments are redacted here, once
 * ({@link Redaction}), and pstore's own flags are summarised as one token so that they never crowd out
 * the application's.
 */
final class JvmFacts {
    static final String OWN_FLAGS = "[pstore: %d flags for Chronicle Queue]";

    private final String vm;
    private final long uptimeMillisAtCapture;
    private final long capturedNanos;
    private final GarbageCollectorMXBean[] gcs;
    private final String[] gcNames;
    private final String args;
    private final ThreadMXBean threads;
    private final boolean lockedMonitors;
    private final boolean lockedSynchronizers;
    /** What hs_err would tell of the machine and the JVM, for the rest of the report (null: not captured). */
    private SystemSection system;

    private JvmFacts(String vm, long uptimeMillis, long uptimeNanos, GarbageCollectorMXBean[] gcs, String[] gcNames, String args,
            ThreadMXBean threads) {
        this.vm = vm;
        this.uptimeMillisAtCapture = uptimeMillis;
        this.capturedNanos = uptimeNanos;
        this.gcs = gcs;
        this.gcNames = gcNames;
        this.args = args;
        this.threads = threads;
        this.lockedMonitors = threads != null && supported(threads, true);
        this.lockedSynchronizers = threads != null && supported(threads, false);
    }

    static JvmFacts capture() {
        return capture(Redaction.defaults(), List.of());
    }

    /** Allocates; every part that fails is left out rather than failing the whole. */
    static JvmFacts capture(Redaction redaction, List<String> ownFlags) {
        String vm = "[vm unknown]";
        long uptime = 0;
        long uptimeNanos = System.nanoTime();
        String args = "[unknown]";
        List<String> input = List.of();
        try {
            RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
            vm = runtime.getVmName() + " " + runtime.getVmVersion() + ", pid " + ProcessHandle.current().pid();
            uptime = runtime.getUptime();
            uptimeNanos = System.nanoTime(); // with the uptime, not after the slow lookups below (the first takes ms)
            input = runtime.getInputArguments();
            args = arguments(input, redaction, ownFlags);
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
        JvmFacts facts = new JvmFacts(vm, uptime, uptimeNanos, gcs, gcNames, args, threads);
        try {
            facts.system = SystemSection.capture(redaction, input);
        } catch (RuntimeException | Error unavailable) {
            // the report goes without it
        }
        return facts;
    }

    SystemSection system() {
        return system;
    }

    /** The input arguments, redacted, pstore's own flags as one token where the first of them stood. */
    static String arguments(List<String> input, Redaction redaction, List<String> ownFlags) {
        List<String> shown = new ArrayList<>();
        int own = 0;
        int ownAt = -1;
        for (String arg : input) {
            if (ownFlags.contains(arg)) {
                own++;
                if (ownAt < 0) {
                    ownAt = shown.size();
                }
            } else {
                shown.add(redaction.redact(arg));
            }
        }
        if (own > 0) {
            shown.add(ownAt, String.format(OWN_FLAGS, own));
        }
        return shown.isEmpty() ? "none" : String.join(" ", shown);
    }

    /** These facts with another thread MXBean (the warm-up's, which fails as at an exhausted heap). */
    JvmFacts withThreads(ThreadMXBean other) {
        return new JvmFacts(vm, uptimeMillisAtCapture, capturedNanos, gcs, gcNames, args, other);
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

    /** The JVM's uptime at {@code nanoTime}, on the clock of the capture ring's line prefixes. */
    long uptimeNanos(long nanoTime) {
        return uptimeMillisAtCapture * 1_000_000L + (nanoTime - capturedNanos);
    }

    /**
     * The facts, one line each, allocation-free:
     * <pre>
     * JVM: NAME VERSION, pid P
     * Heap: used 21.1 MiB of 48.0 MiB (22123456 of 50331648 bytes); gc NAME N collections T ms; ...
     * Args: the input arguments, redacted
     * </pre>
     */
    static void print(ReportPrinter p, JvmFacts facts) {
        LineBuffer line = p.line().append("JVM: ");
        line.append(facts == null ? "[facts unavailable]" : facts.vm);
        p.emit();
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        long max = runtime.maxMemory();
        line = p.line().append("Heap: used ");
        Formats.bytes(line, used).append(" of ");
        Formats.bytes(line, max).append(" (").append(used).append(" of ").append(max).append(" bytes)");
        if (facts != null) {
            for (int i = 0; i < facts.gcs.length; i++) {
                line.append(i == 0 ? "; gc " : "; ").append(facts.gcNames[i]);
                try {
                    line.append(' ').append(facts.gcs[i].getCollectionCount()).append(" collections ")
                            .append(facts.gcs[i].getCollectionTime()).append(" ms");
                } catch (Throwable unavailable) {
                    line.append(" [unavailable]");
                }
            }
        }
        p.emit();
        if (facts != null) {
            wrapped(p, "Args: ", facts.args);
        }
    }

    /** {@code text} after {@code caption}, over as many lines as it takes, cut at spaces. Allocation-free. */
    static void wrapped(ReportPrinter p, String caption, String text) {
        int width = ReportPrinter.LINE_CAPACITY - caption.length();
        int at = 0;
        boolean first = true;
        do {
            int end = Math.min(text.length(), at + width);
            if (end < text.length()) {
                int space = text.lastIndexOf(' ', end);
                if (space > at) {
                    end = space;
                }
            }
            LineBuffer line = p.line();
            if (first) {
                line.append(caption);
            } else {
                line.indent(caption.length());
            }
            line.append(text, at, end);
            if (!p.emit()) {
                return;
            }
            at = end;
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
            first = false;
        } while (at < text.length());
    }
}
