package org.pstore.panic.trigger;

import org.pstore.panic.DumpReason;
import org.pstore.panic.PanicMachine;

/**
 * The shutdown hook: a {@link DumpReason#SHUTDOWN} dump (the dumpers decide by their maxReason), unless a
 * panic started, which has dumped or is dumping already: then the hook waits for it
 * ({@link PanicMachine#awaitPanic()}), so that the JVM does not end in the middle of the crash record. A
 * panic that begins while the hook dumps (the JDK's Cleaner calls System.exit(1) when it meets an exhausted
 * heap, and the threads that exhausted it panic a moment later) is waited for in the same way.
 */
final class ShutdownDump implements Runnable {
    static final String THREAD_NAME = "pstore-shutdown";

    private final PanicMachine machine;

    ShutdownDump(PanicMachine machine) {
        this.machine = machine;
    }

    Thread hook() {
        return new Thread(this, THREAD_NAME);
    }

    @Override
    public void run() {
        if (machine.panicking()) {
            machine.awaitPanic();
            return;
        }
        try {
            machine.dump(DumpReason.SHUTDOWN, "shutdown", null);
        } catch (Throwable ignored) {
            // nothing to do about it while the JVM ends
        }
        if (machine.panicking()) {
            machine.awaitPanic();
        }
    }
}
