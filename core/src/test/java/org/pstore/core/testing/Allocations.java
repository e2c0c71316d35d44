package org.pstore.core.testing;

import java.lang.management.ManagementFactory;

/** Heap bytes allocated by the current thread, as HotSpot counts them (com.sun.management). */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    public static long current() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Bytes allocated by {@code r} on this thread, net of the measurement's own cost. */
    public static long of(Runnable r) {
        long overhead = current();
        overhead = current() - overhead;
        long before = current();
        r.run();
        return current() - before - overhead;
    }
}
