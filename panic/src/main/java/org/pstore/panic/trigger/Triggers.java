package org.pstore.panic.trigger;

import java.util.Map;
import java.util.WeakHashMap;
import org.pstore.panic.PanicMachine;

/** Installs every trigger for a machine: once per machine, however often called (boot may run twice). */
public final class Triggers {
    private static final Map<PanicMachine, Boolean> INSTALLED = new WeakHashMap<>();

    private Triggers() {
    }

    /**
     * Arms the machine, then installs (a) the default uncaught exception handler, chained to the previous
     * one, (b) the shutdown dump hook, (c) the machine's {@link Watchdog}.
     */
    public static synchronized void install(PanicMachine machine) {
        if (INSTALLED.containsKey(machine)) {
            return;
        }
        machine.arm();
        UncaughtPanicHandler.warmUp();
        Thread.setDefaultUncaughtExceptionHandler(
                new UncaughtPanicHandler(machine, Thread.getDefaultUncaughtExceptionHandler()));
        try {
            Runtime.getRuntime().addShutdownHook(new ShutdownDump(machine).hook());
        } catch (IllegalStateException shuttingDown) {
            // too late for a shutdown dump
        }
        Watchdog.of(machine);
        INSTALLED.put(machine, Boolean.TRUE);
    }

    /**
     * The handler for pstore's own threads (set on each, so that an application that replaces the default
     * handler cannot make a VirtualMachineError on one of them pass without a panic).
     */
    public static Thread.UncaughtExceptionHandler handler(PanicMachine machine) {
        return new UncaughtPanicHandler(machine, null);
    }

    static synchronized boolean installed(PanicMachine machine) {
        return INSTALLED.containsKey(machine);
    }
}
