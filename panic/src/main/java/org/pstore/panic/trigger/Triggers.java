package org.pstore.panic.trigger;

import java.util.Map;
import java.util.WeakHashMap;
import org.pstore.panic.PanicMachine;

/** Installs every trigger for a machine: once per machine, however often called (boot may run twice). */
public final class Triggers {
    private static final Map<PanicMachine, Boolean> INSTALLED = new WeakHashMap<>();
    /** The machine installed last: the only one that puts its handler back (two would take turns, stacking). */
    private static volatile PanicMachine keeper;

    private Triggers() {
    }

    /**
     * Arms the machine, then installs (a) the default uncaught exception handler, chained to the previous
     * one, (b) the shutdown dump hook, (c) the machine's {@link Watchdog}, which also puts the handler back on
     * top when the application replaces it (see {@link #keepDefaultHandler}).
     */
    public static synchronized void install(PanicMachine machine) {
        if (INSTALLED.containsKey(machine)) {
            return;
        }
        machine.arm();
        UncaughtPanicHandler.warmUp();
        Thread.setDefaultUncaughtExceptionHandler(
                new UncaughtPanicHandler(machine, Thread.getDefaultUncaughtExceptionHandler()));
        guardMain(machine);
        try {
            Runtime.getRuntime().addShutdownHook(new ShutdownDump(machine).hook());
        } catch (IllegalStateException shuttingDown) {
            // too late for a shutdown dump
        }
        keeper = machine;
        Watchdog.of(machine).keepDefaultHandler();
        INSTALLED.put(machine, Boolean.TRUE);
    }

    /**
     * The main thread also gets the machine's handler as its own, in front of what it had (its own handler, or
     * its thread group, which calls the default handler): an application that replaces the default handler
     * just before main fails, before the watchdog's next tick, still leaves the record. A handler of an
     * earlier machine (an earlier boot in this JVM) is replaced, not stacked.
     */
    private static void guardMain(PanicMachine machine) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("main") && t.isAlive() && t.getThreadGroup() != null) {
                Thread.UncaughtExceptionHandler own = t.getUncaughtExceptionHandler();
                if (own instanceof UncaughtPanicHandler) {
                    own = ((UncaughtPanicHandler) own).previous();
                }
                t.setUncaughtExceptionHandler(new UncaughtPanicHandler(machine, own));
                return;
            }
        }
    }

    /**
     * An application that sets a default handler of its own after boot would take every crash record with it
     * (an OutOfMemoryError included): when the default handler is not this machine's, it is chained under a
     * new one of this machine's, so that pstore sees the crash first and the application's handler runs after
     * it, as for a handler set before boot. The watchdog calls this at every tick; it allocates nothing unless
     * the handler changed. Only the machine installed last does it. (A handler the application sets in the instant between the read and the set here
     * would be lost: the window is a few instructions, once per tick.)
     */
    static void keepDefaultHandler(PanicMachine machine) {
        if (machine != keeper) {
            return;
        }
        Thread.UncaughtExceptionHandler current = Thread.getDefaultUncaughtExceptionHandler();
        if (current instanceof UncaughtPanicHandler && ((UncaughtPanicHandler) current).machine() == machine) {
            return;
        }
        Thread.setDefaultUncaughtExceptionHandler(new UncaughtPanicHandler(machine, current));
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
