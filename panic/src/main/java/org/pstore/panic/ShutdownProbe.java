package org.pstore.panic;

/**
 * Tells whether the JVM is shutting down, when {@code System.exit} would deadlock: registering a
 * shutdown hook then throws IllegalStateException. The hook is an unstarted thread created up front; if
 * registering it succeeds it is removed again at once.
 */
final class ShutdownProbe {
    private final Thread hook = new Thread(ShutdownProbe::nothing, "pstore-shutdown-probe");

    boolean shutdownInProgress() {
        Runtime runtime = Runtime.getRuntime();
        try {
            runtime.addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return true;
        } catch (Throwable other) {
            // already registered by a concurrent probe, so the hooks were still open; or not permitted
            return false;
        }
        try {
            runtime.removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return true;
        } catch (Throwable ignored) {
            // the probe stays registered; it does nothing when run
        }
        return false;
    }

    private static void nothing() {
        // a probe, never meant to run
    }
}
