package org.pstore.panic;

/** Notifier priorities: higher runs first; equal priorities run in registration order. */
public final class Priority {
    /** pstore's ops switch: always first. */
    public static final int SWITCH = Integer.MAX_VALUE;
    /** The kmsg dump step, which runs every registered dumper. */
    public static final int DUMP = Integer.MAX_VALUE - 1;
    public static final int DEFAULT = 0;

    private Priority() {
    }
}
