package org.pstore.panic;

import java.lang.management.LockInfo;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Every live thread with its state, the lock it waits for, up to {@link #MAX_FRAMES} frames and the locks
 * it holds. {@code dumpAllThreads} allocates by nature: the heap reserve released at panic start is what
 * it lives on, and a fixed line replaces it when even that fails. This section is the one truncation cuts.
 */
final class ThreadDumpSection {
    static final int MAX_FRAMES = 24;

    void print(ReportPrinter p, JvmFacts facts) {
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
        ThreadInfo[] infos;
        try {
            infos = threads.dumpAllThreads(facts.lockedMonitors(), facts.lockedSynchronizers(), MAX_FRAMES);
        } catch (Throwable unavailable) {
            p.line().append("[thread dump unavailable: ").append(unavailable.getClass().getName()).append(']');
            p.emit();
            return;
        }
        for (ThreadInfo info : infos) {
            if (!p.open()) {
                return;
            }
            if (info == null) {
                continue;
            }
            try {
                printThread(p, info);
            } catch (Throwable unavailable) {
                p.line().append("[thread unavailable: ").append(unavailable.getClass().getName()).append(']');
                p.emit();
            }
        }
    }

    private static void printThread(ReportPrinter p, ThreadInfo info) {
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
        if (!p.emit()) {
            return;
        }
        StackTraceElement[] frames = info.getStackTrace();
        MonitorInfo[] monitors = info.getLockedMonitors();
        for (int depth = 0; depth < frames.length; depth++) {
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

    private static boolean locked(ReportPrinter p, int indent, LockInfo lock, String caption) {
        p.line().indent(indent).append(caption).appendHex(lock.getIdentityHashCode() & 0xffffffffL, 8)
                .append("> (a ").append(lock.getClassName()).append(')');
        return p.emit();
    }
}
