package org.pstore.panic;

/**
 * For crash tests only: makes one of pstore's own threads (watchdog, journal, panic timer) exhaust the heap
 * itself, so that the OutOfMemoryError really lands on that thread. {@link #exhaust(String)} names the
 * thread; each of those threads calls {@link #check()} once per round of its loop, which costs one volatile
 * read while nothing is named. The memory it takes is kept until the process ends.
 */
public final class ExhaustionHook {
    private static volatile String target;
    /** What the hook took, kept reachable so that the heap stays full. */
    private static Object[] taken;

    private ExhaustionHook() {
    }

    /** From now on the thread called {@code threadName} fills the heap at its next round and dies of it. */
    public static void exhaust(String threadName) {
        target = threadName;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(threadName)) {
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
        }
    }

    /** Called by pstore's threads in their loops: throws OutOfMemoryError on the named thread. */
    public static void check() {
        String name = target;
        if (name != null && name.equals(Thread.currentThread().getName())) {
            target = null;
            fill();
        }
    }

    /** Takes the whole heap in ever smaller pieces; ends with the OutOfMemoryError of the last that failed. */
    private static void fill() {
        Object[] head = new Object[2];
        taken = head;
        int size = 1 << 20;
        for (;;) {
            try {
                Object[] link = new Object[2];
                link[0] = new byte[size];
                head[1] = link;
                head = link;
            } catch (OutOfMemoryError e) {
                if (size <= 16) {
                    throw e;
                }
                size >>= 1;
            }
        }
    }
}
