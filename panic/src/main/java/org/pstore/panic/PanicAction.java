package org.pstore.panic;

import java.util.Locale;

/** What the machine does once the notifier chain has run. */
public enum PanicAction {
    /** {@code Runtime.halt(exitStatus)}: no shutdown hooks. */
    HALT,
    /** {@code System.exit(exitStatus)}, unless the JVM is already shutting down (then it returns). */
    EXIT,
    /** Return to the caller; the JVM goes on. */
    CONTINUE;

    private static final PanicAction[] VALUES = values();
    private static final String WORDS = Words.list(VALUES);

    /** The lower-case word: "halt", "exit", "continue". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive. */
    public static PanicAction parse(String word) {
        PanicAction action = Words.find(VALUES, word);
        if (action == null) {
            throw new IllegalArgumentException("unknown panic action '" + word + "': expected one of " + WORDS);
        }
        return action;
    }
}
