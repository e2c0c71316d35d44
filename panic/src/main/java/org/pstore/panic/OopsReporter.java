package org.pstore.panic;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Oopses and plain dumps: problems the JVM survives. Serialized by a plain lock (this is not the panic
 * path), with their own event, report and voice, so that they never touch what a panic uses; an oops in
 * progress when a panic starts stops printing and dumping at once.
 */
final class OopsReporter {
    static final int REPORTED = 0;
    /** Dropped: a panic is in progress. */
    static final int PANICKING = 1;
    /** Dropped: raised by a dumper or console of an oops in progress on the same thread. */
    static final int NESTED = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final PanicEvent event = new PanicEvent();
    private final Voice voice = new Voice();
    private final PanicReport report;
    private final DumperRegistry dumpers;
    private final BooleanSupplier panicStarted;

    OopsReporter(int reportBytes, ThrowableReader reader, DumperRegistry dumpers, BooleanSupplier panicStarted) {
        this.report = new PanicReport(reportBytes, reader, false, 1);
        this.dumpers = dumpers;
        this.panicStarted = panicStarted;
    }

    /**
     * Prints the report (an oops: the full report without thread dump; any other reason: the short header)
     * and runs the dumpers allowed for {@code reason}. Returns {@link #REPORTED} or why it was dropped.
     */
    int report(DumpReason reason, String message, Throwable cause, PanicConsole console, JvmFacts facts) {
        if (lock.isHeldByCurrentThread()) {
            return NESTED;
        }
        lock.lock();
        try {
            if (panicStarted.getAsBoolean()) {
                return PANICKING;
            }
            event.fill(reason, message, cause, Thread.currentThread(), System.currentTimeMillis(), System.nanoTime());
            if (reason == DumpReason.OOPS) {
                report.print(event, console, facts, panicStarted);
            } else {
                report.printHeader(event, console, facts, panicStarted);
            }
            dumpers.dump(reason, Dumper.ONCE, event, console, voice, panicStarted);
            return REPORTED;
        } finally {
            lock.unlock();
        }
    }
}
