package org.pstore.cli.demo;

import java.util.Locale;

/** How the demo application dies. */
public enum CrashKind {
    PANIC("Panic.panic(...) called by the application"),
    EXCEPTION("an exception nobody catches, thrown in the main thread"),
    OOM("the heap exhausted (-Xmx64m): a real OutOfMemoryError"),
    STACKOVERFLOW("a runaway recursion: a real StackOverflowError"),
    DEADLOCK("two threads deadlocked; the watchdog notices"),
    STALL("the store's worker stuck inside a store write at the moment of the panic"),
    CONCURRENT("16 threads panic at the same instant"),
    KILL("SIGKILL from outside: no crash record possible, only the journals survive");

    private final String story;

    CrashKind(String story) {
        this.story = story;
    }

    public String story() {
        return story;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
