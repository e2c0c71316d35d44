package org.pstore.panic;

import java.lang.management.LockInfo;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The thread dump, as jstack shows it but in the report's line budget: the panicking thread first, in
 * full (its frames of the panic path left out), then every other live thread to {@code depth} frames,
 * with its state, the lock it waits for and the locks it holds.
 *
 * <p>The JDK builds the dump on the heap. When that fails with OutOfMemoryError the heap is relieved and
 * the call tried again ({@link HeapPressure}); when the whole dump still cannot be had, it is taken thread
 * by thread, so that only the threads that could not be read are named as lost.
 */
final class ThreadDumpSection {
    /** Leading frames of these packages are the panic path itself, not what the thread was doing. */
    private static final String[] PANIC_PATH = {
        "org.pstore.panic.", "sun.management.", "java.lang.management.", "com.sun.management.", "jdk.management."};

    private final long[] one = new long[1];

    void print(ReportPrinter p, JvmFacts facts, Thread panicking, int depth, HeapPressure pressure) {
        ThreadMXBean threads = facts == null ? null : facts.threads();
        if (threads == null) {
            p.line().append("[thread dump unavailable: no ThreadMXBean]");
            p.emit();
            return;
        }
        LineBuffer count = p.line().append("Threads: ");
        try {
            count.append(threads.getThreadCount()).append(" live");
        } catch (Throwable unavailable) {
            count.append("[count unavailable]");
        }
        p.emit();
        long self = panicking == null ? -1 : panicking.getId();
        if (self >= 0) {
            ThreadInfo mine = info(p, facts, self, Integer.MAX_VALUE, pressure);
            if (mine != null) {
                printThread(p, mine, true);
            }
        }
        ThreadInfo[] all = null;
        Throwable lost = null;
        for (int attempt = 0; all == null; attempt++) {
            try {
                all = threads.dumpAllThreads(facts.lockedMonitors(), facts.lockedSynchronizers(), depth);
            } catch (OutOfMemoryError e) {
                lost = e;
                if (pressure == null || !pressure.recover(attempt)) {
                    break;
                }
            } catch (Throwable e) {
                lost = e;
                break;
            }
        }
        if (all == null) {
            Lost.line(p, 0, "whole thread dump", lost);
            threadByThread(p, facts, self, depth);
            return;
        }
        for (ThreadInfo info : all) {
            if (!p.open()) {
                return;
            }
            if (info != null && info.getThreadId() != self) {
                printThread(p, info, false);
            }
        }
    }

    /** The fallback: one thread at a time, each failure one line. */
    private void threadByThread(ReportPrinter p, JvmFacts facts, long self, int depth) {
        long[] ids;
        try {
            ids = facts.threads().getAllThreadIds();
        } catch (Throwable e) {
            Lost.line(p, 0, "thread list", e);
            return;
        }
        for (long id : ids) {
            if (!p.open()) {
                return;
            }
            if (id != self) {
                ThreadInfo info = info(p, facts, id, depth, null);
                if (info != null) {
                    printThread(p, info, false);
                }
            }
        }
    }

    /** One thread's info, or null (a thread that ended meanwhile, or one named as lost). */
    private ThreadInfo info(ReportPrinter p, JvmFacts facts, long id, int depth, HeapPressure pressure) {
        for (int attempt = 0; ; attempt++) {
            try {
                one[0] = id;
                ThreadInfo[] infos = facts.threads().getThreadInfo(one, facts.lockedMonitors(),
                        facts.lockedSynchronizers(), depth);
                return infos.length == 0 ? null : infos[0];
            } catch (OutOfMemoryError e) {
                if (pressure == null || !pressure.recover(attempt)) {
                    lostThread(p, id, e);
                    return null;
                }
            } catch (Throwable e) {
                lostThread(p, id, e);
                return null;
            }
        }
    }

    private static void lostThread(ReportPrinter p, long id, Throwable why) {
        LineBuffer line = p.line().append("[thread #").append(id).append(" lost: ");
        Describe.throwable(line, why).append(']');
        p.emit();
    }

    private static void printThread(ReportPrinter p, ThreadInfo info, boolean panicking) {
        try {
            printLines(p, info, panicking);
        } catch (Throwable unavailable) {
            lostThread(p, info.getThreadId(), unavailable);
        }
    }

    private static void printLines(ReportPrinter p, ThreadInfo info, boolean panicking) {
        LineBuffer line = p.line();
        Describe.thread(line, info.getThreadName(), info.getThreadId());
        if (info.isDaemon()) {
            line.append(" daemon");
        }
        line.append(' ').append(info.getThreadState().name());
        String lock = info.getLockName();
        if (lock != null) {
            line.append(" on ").append(lock);
            String owner = info.getLockOwnerName();
            if (owner != null) {
                line.append(" owned by \"").append(owner).append('"');
            }
        }
        if (panicking) {
            line.append(" (panicking)");
        }
        if (!p.emit()) {
            return;
        }
        StackTraceElement[] frames = info.getStackTrace();
        MonitorInfo[] monitors = info.getLockedMonitors();
        int from = panicking ? panicPathFrames(frames) : 0;
        if (from > 0) {
            p.line().indent(4).append("... ").append(from).append(" frames of the panic path left out");
            if (!p.emit()) {
                return;
            }
        }
        for (int depth = from; depth < frames.length; depth++) {
            Describe.frame(p.line().indent(4).append("at "), frames[depth]);
            if (!p.emit()) {
                return;
            }
            for (MonitorInfo monitor : monitors) {
                if (monitor.getLockedStackDepth() == depth && !locked(p, 8, monitor, "- locked <0x")) {
                    return;
                }
            }
        }
        for (LockInfo synchronizer : info.getLockedSynchronizers()) {
            if (!locked(p, 4, synchronizer, "- locked synchronizer <0x")) {
                return;
            }
        }
    }

    /** How many leading frames belong to the panic path (the dump itself, the machine, the trigger). */
    static int panicPathFrames(StackTraceElement[] frames) {
        int n = 0;
        while (n < frames.length && panicPath(frames[n].getClassName())) {
            n++;
        }
        return n;
    }

    private static boolean panicPath(String className) {
        for (String prefix : PANIC_PATH) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean locked(ReportPrinter p, int indent, LockInfo lock, String caption) {
        p.line().indent(indent).append(caption).appendHex(lock.getIdentityHashCode() & 0xffffffffL, 8)
                .append("> (a ").append(lock.getClassName()).append(')');
        return p.emit();
    }
}
