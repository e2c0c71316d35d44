package org.pstore.panic.trigger;

import org.pstore.panic.PanicAction;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.PanicSettings;

/**
 * The default uncaught exception handler installed by {@link Triggers}. A VirtualMachineError
 * (OutOfMemoryError, StackOverflowError, ...) anywhere in the cause chain, or any uncaught exception in the
 * main thread or a {@linkplain CriticalThreads critical} thread, panics; in any other thread it is an oops
 * (which panics too with panicOnOops). Then the previous default handler runs. Never throws, and builds no
 * message at crash time: the report carries the thread and the cause.
 */
final class UncaughtPanicHandler implements Thread.UncaughtExceptionHandler {
    static final String VM_ERROR = PanicMachine.VM_ERROR;
    static final String MAIN = "uncaught exception in main thread";
    static final String CRITICAL = "uncaught exception in critical thread";
    static final String OOPS = "uncaught exception";
    private static final int MAX_CAUSES = 16;

    private final PanicMachine machine;
    private final Thread.UncaughtExceptionHandler previous;

    UncaughtPanicHandler(PanicMachine machine, Thread.UncaughtExceptionHandler previous) {
        this.machine = machine;
        this.previous = previous;
    }

    PanicMachine machine() {
        return machine;
    }

    Thread.UncaughtExceptionHandler previous() {
        return previous;
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        boolean panicked = false;
        try {
            String why = panicReason(t, e);
            if (why != null) {
                panicked = true;
                machine.panic(why, e);
            } else {
                machine.oops(OOPS, e);
            }
        } catch (Throwable ignored) {
            // the handler must never throw
        }
        try {
            if (previous != null) {
                previous.uncaughtException(t, e);
            } else if (!panicked) {
                // what the JDK prints when there is no default handler; a panic has echoed its report already
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace(System.err);
            }
        } catch (Throwable ignored) {
            // the handler must never throw
        }
    }

    /**
     * Runs every branch of the classification and the oops path once, on a scratch machine, so that nothing
     * in the handler is resolved or loaded for the first time when the heap is exhausted.
     */
    static void warmUp() {
        PanicMachine scratch = new PanicMachine(
                PanicSettings.builder().action(PanicAction.CONTINUE).heapReserveBytes(0).build());
        UncaughtPanicHandler handler = new UncaughtPanicHandler(scratch, (t, e) -> { });
        Thread worker = new Thread(UncaughtPanicHandler::nothing, "pstore-warm-up");
        panicReason(worker, new RuntimeException(new OutOfMemoryError("warm-up")));
        panicReason(new Thread(UncaughtPanicHandler::nothing, "main"), new RuntimeException("warm-up"));
        handler.uncaughtException(worker, new RuntimeException("warm-up"));
    }

    private static void nothing() {
        // a thread that is never started
    }

    /** The constant panic message, or null for an oops. */
    static String panicReason(Thread t, Throwable e) {
        Throwable c = e;
        for (int i = 0; c != null && i < MAX_CAUSES; i++) {
            if (c instanceof VirtualMachineError) {
                return VM_ERROR;
            }
            c = c.getCause();
        }
        if (t != null && "main".equals(t.getName())) {
            return MAIN;
        }
        if (CriticalThreads.isCritical(t)) {
            return CRITICAL;
        }
        return null;
    }
}
