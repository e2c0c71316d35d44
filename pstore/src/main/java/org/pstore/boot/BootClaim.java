package org.pstore.boot;

import org.pstore.PstoreException;
import org.pstore.core.Status;

/**
 * One pstore per JVM. A process may hold two copies of pstore, each in its own class loader (the Java
 * agent's and the application's own); only one may boot, since both would install the process-wide
 * triggers and own a store. The claim is the system property {@value #PROPERTY}, the one place every copy
 * (and {@code bin/pstore attach}, through the Attach API) can see: {@code opening: <who>, store <dir>} while
 * the store opens, {@code running: ...} once booted. A boot that fails releases it.
 */
public final class BootClaim {
    public static final String PROPERTY = "org.pstore.running";

    private final String who;

    private BootClaim(String who) {
        this.who = who;
    }

    /** Claims this JVM for {@code who} (e.g. "the Java agent, store /var/lib/app/pstore"), or says who has it. */
    public static BootClaim take(String who) {
        String held = (String) System.getProperties().putIfAbsent(PROPERTY, "opening: " + who);
        if (held != null) {
            throw new PstoreException(Status.BUSY, "pstore already runs in this JVM (" + held + ")");
        }
        return new BootClaim(who);
    }

    /** The claim in force, or null. */
    public static String holder() {
        return System.getProperty(PROPERTY);
    }

    /** The store is open and armed. */
    public void running() {
        System.setProperty(PROPERTY, "running: " + who);
    }

    /** Boot failed: another may try. */
    public void release() {
        System.getProperties().remove(PROPERTY);
    }
}
