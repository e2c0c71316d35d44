package org.pstore.panic.trigger;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.pstore.panic.ExhaustionHook;
import org.pstore.panic.PanicMachine;

/**
 * The machine's watchdog: a daemon thread that every {@code watchdogInterval} looks for a Java-level
 * deadlock (panic "deadlock"; the report shows the cycle), missed heartbeats (oops) and hung operations
 * (the probe's callback), and backs up the panic timer's total timeout.
 *
 * <p>A tick allocates nothing (heartbeats and probes are copy-on-write arrays, the MXBean is looked up
 * once), so that the watchdog is never the thread that tips a full heap over. Each check is isolated: one
 * that fails does not blind the others, but an OutOfMemoryError is not a failing check: the heap is
 * exhausted, and the watchdog panics with it, as any thread that dies of one.
 */
public final class Watchdog {
    static final String THREAD_NAME = "pstore-watchdog";
    static final String DEADLOCK = "deadlock";
    private static final Map<PanicMachine, Watchdog> WATCHDOGS = new WeakHashMap<>();
    private static final Heartbeat[] NO_HEARTBEATS = new Heartbeat[0];
    private static final Probe[] NO_PROBES = new Probe[0];

    private final PanicMachine machine;
    private final long intervalNanos;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean synchronizers = threads.isSynchronizerUsageSupported();
    private volatile Heartbeat[] heartbeats = NO_HEARTBEATS;
    private volatile Probe[] probes = NO_PROBES;
    private final Thread thread;
    private volatile boolean stopped;
    /** Set by {@link Triggers}: each tick puts the machine's default uncaught exception handler back on top. */
    private volatile boolean keepsDefaultHandler;

    private Watchdog(PanicMachine machine) {
        this.machine = machine;
        this.intervalNanos = machine.settings().watchdogInterval().toNanos();
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    /** The machine's watchdog, created and started on first use. */
    public static Watchdog of(PanicMachine machine) {
        Objects.requireNonNull(machine, "machine");
        synchronized (WATCHDOGS) {
            Watchdog watchdog = WATCHDOGS.get(machine);
            if (watchdog == null) {
                watchdog = new Watchdog(machine);
                WATCHDOGS.put(machine, watchdog);
                watchdog.thread.start();
            }
            return watchdog;
        }
    }

    /** A heartbeat to {@link Heartbeat#beat()}; missing {@code timeout} is an oops, once per miss episode. */
    public Heartbeat heartbeat(String name, Duration timeout) {
        Objects.requireNonNull(name, "name");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("heartbeat " + name + ": timeout must be positive, got " + timeout);
        }
        Heartbeat heartbeat = new Heartbeat(this, name, timeout);
        synchronized (this) {
            heartbeats = grown(heartbeats, heartbeat);
        }
        return heartbeat;
    }

    /**
     * Watches an operation: {@code busyNanos} says how long the watched thing has been busy in its current
     * operation (0 when idle). When it reaches {@code threshold}, {@code onHang} runs once for that episode,
     * on the watchdog thread; the episode ends when the busy time drops below the threshold again.
     */
    public void watch(String name, LongSupplier busyNanos, Duration threshold, Runnable onHang) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(busyNanos, "busyNanos");
        Objects.requireNonNull(onHang, "onHang");
        if (threshold == null || threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("watch " + name + ": threshold must be positive, got " + threshold);
        }
        Probe probe = new Probe(name, busyNanos, threshold.toNanos(), onHang);
        synchronized (this) {
            probes = grown(probes, probe);
        }
    }

    synchronized void forget(Heartbeat heartbeat) {
        Heartbeat[] old = heartbeats;
        int at = -1;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == heartbeat) {
                at = i;
            }
        }
        if (at >= 0) {
            Heartbeat[] kept = new Heartbeat[old.length - 1];
            System.arraycopy(old, 0, kept, 0, at);
            System.arraycopy(old, at + 1, kept, at, old.length - at - 1);
            heartbeats = kept;
        }
    }

    private static <T> T[] grown(T[] old, T added) {
        T[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = added;
        return grown;
    }

    /** For tests: ends the thread (the watchdog cannot be restarted). */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    Thread thread() {
        return thread;
    }

    private void run() {
        try {
            while (!stopped) {
                LockSupport.parkNanos(this, intervalNanos);
                Thread.interrupted();
                if (stopped) {
                    return;
                }
                ExhaustionHook.check();
                tick();
            }
        } catch (OutOfMemoryError e) {
            machine.panic(PanicMachine.VM_ERROR, e); // on this thread, like any other that dies of it
        }
    }

    void keepDefaultHandler() {
        keepsDefaultHandler = true;
    }

    /** One round of checks; each isolated, so that one failing check does not blind the others. */
    void tick() {
        if (keepsDefaultHandler) {
            try {
                Triggers.keepDefaultHandler(machine);
            } catch (OutOfMemoryError e) {
                throw e;
            } catch (Throwable ignored) {
                // keep watching (a security manager may refuse the set)
            }
        }
        try {
            machine.enforceTimeout();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable ignored) {
            // keep watching
        }
        try {
            checkDeadlock();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable ignored) {
            // keep watching
        }
        long now = System.nanoTime();
        for (Heartbeat heartbeat : heartbeats) {
            try {
                String missed = heartbeat.check(now);
                if (missed != null) {
                    machine.oops(missed, null);
                }
            } catch (OutOfMemoryError e) {
                throw e;
            } catch (Throwable ignored) {
                // keep watching
            }
        }
        for (Probe probe : probes) {
            probe.check(machine);
        }
    }

    private void checkDeadlock() {
        if (machine.panicking()) {
            return;
        }
        long[] deadlocked = synchronizers ? threads.findDeadlockedThreads() : threads.findMonitorDeadlockedThreads();
        if (deadlocked != null) {
            machine.panic(DEADLOCK, null);
        }
    }

    /** One {@link #watch} registration. */
    private static final class Probe {
        private final String failed;
        private final LongSupplier busyNanos;
        private final long thresholdNanos;
        private final Runnable onHang;
        private boolean hanging;

        Probe(String name, LongSupplier busyNanos, long thresholdNanos, Runnable onHang) {
            this.failed = "watch " + name + " failed"; // made now: a tick builds no string
            this.busyNanos = busyNanos;
            this.thresholdNanos = thresholdNanos;
            this.onHang = onHang;
        }

        void check(PanicMachine machine) {
            try {
                if (busyNanos.getAsLong() < thresholdNanos) {
                    hanging = false;
                } else if (!hanging) {
                    hanging = true;
                    onHang.run();
                }
            } catch (OutOfMemoryError e) {
                throw e;
            } catch (Throwable t) {
                try {
                    machine.oops(failed, t);
                } catch (OutOfMemoryError e) {
                    throw e;
                } catch (Throwable ignored) {
                    // keep watching
                }
            }
        }
    }
}
