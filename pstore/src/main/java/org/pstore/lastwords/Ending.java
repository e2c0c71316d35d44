package org.pstore.lastwords;

import java.util.Locale;

/** How a run of a store's writer ended, as far as what it left behind tells. */
public enum Ending {
    /** A crash record of that run exists. */
    PANIC,
    /** An orderly exit: its shutdown hooks ran and left the end mark. */
    EXIT,
    /** The JVM died of a fatal error: an hs_err file of that pid exists. */
    NATIVE_CRASH,
    /** The cgroup's OOM-kill counter rose during the run: the kernel's OOM killer. */
    OOM_KILLED,
    /** None of the above and no end mark: SIGKILL, power loss, or an exit that runs no Java code. */
    KILLED,
    /** The writer is still alive. */
    RUNNING;

    /** "panic", "exit", "native-crash", "oom-killed", "killed", "running". */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Ending parse(String word) {
        for (Ending e : values()) {
            if (e.word().equals(word.strip())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown ending '" + word + "'");
    }
}
