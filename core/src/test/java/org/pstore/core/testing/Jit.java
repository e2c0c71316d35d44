package org.pstore.core.testing;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Runs a path until HotSpot's C2 compiler has been asked to compile it, before an allocation measurement.
 *
 * <p>Why: a C2 compile request is made by the thread whose counters overflow, and HotSpot's CompileBroker
 * then resolves every string constant of the compiled method's class on that thread, charging the Strings
 * to it (seen: 56 to 5728 bytes in about 1 measured dump of 40, never with C1 alone,
 * {@code -XX:TieredStopAtLevel=1}). Those bytes are the JIT's bookkeeping, once per class, not the path's
 * allocation; at crash time, with the heap exhausted, the VM clears the failure and the compile request is
 * simply dropped. So the measurement comes after the path has crossed C2's thresholds, and then every
 * measured run must read 0.
 */
public final class Jit {
    private Jit() {
    }

    /** Invocations that take a method past C2's thresholds, with room for the scaling tiered compilation applies under load. */
    public static int c2Invocations() {
        return 3 * Math.max(option("Tier4InvocationThreshold", 5000), option("Tier4CompileThreshold", 15000));
    }

    /** Runs {@code path} {@link #c2Invocations()} times. */
    public static void warm(Runnable path) {
        for (int i = 0, n = c2Invocations(); i < n; i++) {
            path.run();
        }
    }

    private static int option(String name, int fallback) {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(hotspot.getVMOption(name).getValue());
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
