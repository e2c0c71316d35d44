package org.pstore.record;

/**
 * Where a record lives (what the reader found it in), or where a write put it. The words are what the
 * reader's JSON shows, and never change.
 */
public enum Location {
    /** A variable of the variable store ({@code vars/}). */
    STORE("store"),
    /** A slot of the reserved panic area ({@code panic.area}): a crash record the store could not take then. */
    PANIC_AREA("panic-area"),
    /** The console journal ({@code console/}): one record per run. */
    JOURNAL("journal"),
    /** A file a boot moved into the quarantine ({@code quarantine/}), read-only. */
    QUARANTINE("quarantine"),
    /** A write that found no room anywhere. */
    NOWHERE("nowhere");

    private final String word;

    Location(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    @Override
    public String toString() {
        return word;
    }
}
