package org.pstore.panic.trigger;

import java.lang.ref.WeakReference;

/**
 * Threads whose uncaught exception is a panic, not an oops. Held by weak reference in a copy-on-write
 * array, so that the lookup (made by the uncaught exception handler at crash time) takes no lock and
 * allocates nothing, and a dead thread does not leak: cleared and terminated marks are dropped at the
 * next mark.
 */
public final class CriticalThreads {
    /** One mark: a weak reference, so that the mark never keeps its thread alive. */
    private static final class Mark extends WeakReference<Thread> {
        Mark(Thread t) {
            super(t);
        }

        boolean live() {
            Thread t = get();
            return t != null && t.getState() != Thread.State.TERMINATED;
        }
    }

    private static volatile Mark[] marks = new Mark[0];

    private CriticalThreads() {
    }

    public static synchronized void mark(Thread t) {
        if (t == null || isCritical(t)) {
            return;
        }
        Mark[] old = marks;
        int live = 0;
        for (Mark mark : old) {
            if (mark.live()) {
                live++;
            }
        }
        Mark[] kept = new Mark[live + 1];
        int at = 0;
        for (Mark mark : old) {
            if (mark.live()) {
                kept[at++] = mark;
            }
        }
        kept[at] = new Mark(t);
        marks = kept;
    }

    public static boolean isCritical(Thread t) {
        if (t == null) {
            return false;
        }
        for (Mark mark : marks) {
            if (mark.get() == t) {
                return true;
            }
        }
        return false;
    }

    /** How many marks are held (for tests: a dead thread's mark goes away). */
    static int held() {
        return marks.length;
    }
}
