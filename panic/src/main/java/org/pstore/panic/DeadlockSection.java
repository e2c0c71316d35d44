package org.pstore.panic;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The Java-level deadlock cycle, if {@code ThreadMXBean.findDeadlockedThreads} finds one: one line per
 * thread in the cycle, {@code Deadlock: "A" #1 waits for LOCK held by "B" #2}. Printed before the thread
 * dump so that truncation never cuts it.
 */
final class DeadlockSection {

    void print(ReportPrinter p, JvmFacts facts, HeapPressure pressure) {
        ThreadMXBean threads = facts == null ? null : facts.threads();
        if (threads == null) {
            return;
        }
        ThreadInfo[] infos = null;
        for (int attempt = 0; ; attempt++) {
            try {
                long[] ids = facts.lockedSynchronizers()
                        ? threads.findDeadlockedThreads() : threads.findMonitorDeadlockedThreads();
                if (ids == null) {
                    return;
                }
                infos = threads.getThreadInfo(ids);
                break;
            } catch (OutOfMemoryError e) {
                if (pressure == null || !pressure.recover(attempt)) {
                    Lost.line(p, 0, "deadlock check", e);
                    return;
                }
            } catch (Throwable e) {
                Lost.line(p, 0, "deadlock check", e);
                return;
            }
        }
        for (ThreadInfo info : infos) {
            if (info == null || !p.open()) {
                continue;
            }
            LineBuffer line = p.line().append("Deadlock: ");
            Describe.thread(line, info.getThreadName(), info.getThreadId());
            line.append(" waits for ").append(info.getLockName()).append(" held by ");
            Describe.thread(line, info.getLockOwnerName(), info.getLockOwnerId());
            p.emit();
        }
    }
}
