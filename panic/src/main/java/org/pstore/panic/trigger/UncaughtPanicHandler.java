package org.pstore.panic.trigger;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.pstore.panic.PanicAction;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.PanicSettings;

/**
 * The default uncaught exception handler installed by {@link Triggers}. A VirtualMachineError
 * (OutOfMemoryError, StackOverflowError, ...) anywhere in the cause chain, or any uncaught exception in the
 * main thread or a {@linkplain CriticalThreads critical} thread, panics; in any other thread it is an oops
 * (which panics too with panicOnOops). Then the previous default handler runs. Never throws, and builds no
 * message at crash time: the report carries the thread and the cause.
 *
 * <p>A crash goes through pstore once: an application's handler installed after boot and chained under a new
 * one of pstore's ({@link Triggers#keepDefaultHandler}) may itself call the handler it replaced, pstore's
 * first one; that one sees its thread already inside a pstore handler and only passes the crash on.
 */
final class UncaughtPanicHandler implements Thread.UncaughtExceptionHandler {
    static final String VM_ERROR = PanicMachine.VM_ERROR;
    static final String MAIN = "uncaught exception in main thread";
    static final String CRITICAL = "uncaught exception in critical thread";
    static final String OOPS = "uncaught exception";
    private static final int MAX_CAUSES = 16;
    /** The threads inside a pstore handler now, one slot each (more at once go untracked). */
    private static final Thread[] HANDLING = new Thread[16];
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Thread[].class);
    private static final int NESTED = -1;
    private static final int UNTRACKED = -2;

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
        int slot = enter(Thread.currentThread());
        boolean panicked = false;
        try {
            if (slot != NESTED) {
                String why = panicReason(t, e);
                if (why != null) {
                    panicked = true;
                    machine.panic(why, e);
                } else {
                    machine.oops(OOPS, e);
                }
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
        } finally {
            leave(slot);
        }
    }

    /** Claims a slot for {@code me}: its index, NESTED when {@code me} holds one already, UNTRACKED when all are taken. */
    private static int enter(Thread me) {
        for (int i = 0; i < HANDLING.length; i++) {
            if ((Thread) SLOT.getVolatile(HANDLING, i) == me) {
                return NESTED;
            }
        }
        for (int i = 0; i < HANDLING.length; i++) {
            if (SLOT.compareAndSet(HANDLING, i, (Thread) null, me)) {
                return i;
            }
        }
        return UNTRACKED;
    }

    private static void leave(int slot) {
        if (slot >= 0) {
            SLOT.setVolatile(HANDLING, slot, (Thread) null);
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
