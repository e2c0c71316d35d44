package org.pstore.agent.arming;

import java.util.concurrent.locks.LockSupport;

/**
 * The crash trigger while the store opens in the background. Installed before {@code main} as the default
 * uncaught exception handler, and as the main thread's own (so that an application that sets a default
 * handler of its own at once still has its main thread's crash recorded): an exception that reaches it before
 * the store is open waits for the opening (bounded), and is then handed to the real triggers, which boot
 * installs on top of this handler; so the crash record is written as usual, with every line captured since
 * the agent started. Once pstore runs, the real handler calls this one as its previous handler, and it
 * passes on to the one before it (or prints what the JVM prints). If the store never opens, the exception
 * is reported as without pstore. A heap reserve, dropped when an exception arrives, lets the opening finish
 * when the error was the heap running out. Its waits allocate nothing (flags polled, not latches, whose
 * waiters take a node): they happen while the heap is gone.
 */
final class EarlyCrash implements Thread.UncaughtExceptionHandler {
    private final Thread.UncaughtExceptionHandler previous;
    /** How often a wait looks at its flag again. */
    private static final long POLL_NANOS = 1_000_000;
    private volatile boolean settledYet;
    private volatile boolean crashedYet;
    private final long waitNanos;
    private volatile byte[] reserve;

    private EarlyCrash(Thread.UncaughtExceptionHandler previous, long waitNanos, int reserveBytes) {
        this.previous = previous;
        this.waitNanos = waitNanos;
        this.reserve = new byte[reserveBytes];
    }

    /** Installs the handler; {@code mainThread} (the thread premain runs on, or null) gets it as its own too. */
    static EarlyCrash install(long waitNanos, int reserveBytes, Thread mainThread) {
        EarlyCrash h = new EarlyCrash(Thread.getDefaultUncaughtExceptionHandler(), waitNanos, reserveBytes);
        Thread.setDefaultUncaughtExceptionHandler(h);
        if (mainThread != null) {
            // its previous: what the thread had, its own handler or its group (which calls the default handler)
            mainThread.setUncaughtExceptionHandler(h.new OwnHandler(mainThread.getUncaughtExceptionHandler()));
        }
        return h;
    }

    /** The main thread's own handler: the same waits, then the thread's own handler that boot put in its place. */
    private final class OwnHandler implements Thread.UncaughtExceptionHandler {
        private final Thread.UncaughtExceptionHandler previous;

        OwnHandler(Thread.UncaughtExceptionHandler previous) {
            this.previous = previous;
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            handle(t, e, previous, this);
        }
    }

    /** The store opened (and the triggers are in) or failed to: either way nothing waits any more. */
    void settled() {
        reserve = null; // the panic machine keeps its own from now on
        settledYet = true;
    }

    /**
     * The opening ran out of heap: waits (bounded) until an exception reaches this handler, by then the reserve
     * is dropped (and the crashing thread's own garbage collectable), so one more try may finish. False when
     * no crash came: the heap is simply too small.
     */
    boolean awaitCrash(long nanos) {
        reserve = null;
        long deadline = System.nanoTime() + nanos;
        while (!crashedYet && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(this, POLL_NANOS);
        }
        return crashedYet;
    }

    boolean awaitSettled(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!settledYet && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(this, POLL_NANOS);
        }
        return settledYet;
    }

    static boolean exiting() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        handle(t, e, previous, null);
    }

    /**
     * Before the store settled nothing of pstore's calls these handlers, the JVM does: the store may still be
     * opening, so wait for it, then hand the crash to what boot installed in this handler's place (the
     * default handler, or with {@code own} the thread's own), which calls back here as its previous.
     * Afterwards, and when nothing took the place, pass it on.
     */
    private void handle(Thread t, Throwable e, Thread.UncaughtExceptionHandler previous, Thread.UncaughtExceptionHandler own) {
        if (!settledYet) {
            reserve = null;
            crashedYet = true;
            awaitSettled(waitNanos);
            Thread.UncaughtExceptionHandler now = own != null ? t.getUncaughtExceptionHandler() : Thread.getDefaultUncaughtExceptionHandler();
            if (now != null && now != this && now != own && now != t.getThreadGroup()) {
                now.uncaughtException(t, e);
                return;
            }
        }
        if (t.getContextClassLoader() == EarlyCrash.class.getClassLoader() && Thread.currentThread() == t && exiting()) {
            return; // a thread of the store's opening, cut short by the JVM's exit: not the application's
        }
        if (previous != null) {
            previous.uncaughtException(t, e);
        } else {
            System.err.print("Exception in thread \"" + t.getName() + "\" "); // what the JVM prints without a handler
            e.printStackTrace(System.err);
        }
    }
}
