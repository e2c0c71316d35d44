package org.pstore.core;

/** Which ops table serves normal operation. Decided at runtime, never at build time. */
public enum Mode {
    /** The worker, unless its thread cannot start; a probe at open warms the write path and reports its latency. */
    AUTO,
    /** Every operation runs on the interruptible worker thread; callers wait with a timeout. */
    INTERRUPTIBLE,
    /** Every operation runs on the caller's thread under the store lock. */
    LEGACY;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Mode parse(String word) {
        for (Mode m : values()) {
            if (m.name().equalsIgnoreCase(word.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + word + "' (expected auto, interruptible or legacy)");
    }
}
