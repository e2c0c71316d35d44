package org.pstore.panic;

/**
 * Notifier priorities: higher runs first; equal priorities run in registration order. The machine's own
 * steps come first: the ops switch, the early dump, the rest of the report, the full dump (spaced, so that
 * a notifier may run between two of them). Application notifiers run after them.
 */
public final class Priority {
    /** pstore's ops switch: always first. */
    public static final int SWITCH = Integer.MAX_VALUE;
    /** The early kmsg dump: the cause, the JVM facts and the log tail, written before anything needs heap. */
    public static final int DUMP = Integer.MAX_VALUE - 100;
    /** The heap-hungry rest of the report (stack traces, thread dump). */
    public static final int REPORT = Integer.MAX_VALUE - 200;
    /** The full kmsg dump, which supersedes the early one. */
    public static final int DUMP_FULL = Integer.MAX_VALUE - 300;
    public static final int DEFAULT = 0;

    private Priority() {
    }
}
