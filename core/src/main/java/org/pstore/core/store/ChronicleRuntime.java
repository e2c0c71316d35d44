package org.pstore.core.store;

import org.pstore.core.Status;
import org.pstore.core.StoreException;

/**
 * Prepares the JVM before the first Chronicle class loads: analytics off, required flags present, no SLF4J
 * warning in a host application that has no SLF4J binding.
 * Without the flags Chronicle dies deep in its static initialisers; we fail first, in one readable line.
 */
public final class ChronicleRuntime {
    private static volatile boolean ready;

    private ChronicleRuntime() {
    }

    public static void ensure() {
        if (ready) {
            return;
        }
        synchronized (ChronicleRuntime.class) {
            if (ready) {
                return;
            }
            // Never phone home. The artifact is excluded from the build too; this covers foreign classpaths.
            System.setProperty("chronicle.analytics.disable", "true");
            // Nothing in the host's log either, where it has a binding: no banner, no timings, no disk poller.
            quietUnlessSet("chronicle.announcer.disable");
            quietUnlessSet("disable.perf.info");
            quietUnlessSet("chronicle.disk.monitor.disable");
            if (!JvmFlags.missing().isEmpty()) {
                // The whole list, as JvmFlags prints it: one list to paste, whichever of its flags are missing.
                throw new StoreException(Status.UNSUPPORTED, "this JVM lacks flags Chronicle Queue needs; start java with: "
                        + String.join(" ", JvmFlags.required()));
            }
            Slf4jFallback.quietWhenUnbound(ChronicleRuntime.class.getClassLoader());
            try {
                Class.forName("net.openhft.chronicle.core.Jvm", true, ChronicleRuntime.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new StoreException(Status.UNSUPPORTED, "Chronicle Queue failed to initialise on Java "
                        + Runtime.version() + ": " + rootMessage(e), e);
            }
            ready = true;
        }
    }

    private static void quietUnlessSet(String property) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, "true");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
