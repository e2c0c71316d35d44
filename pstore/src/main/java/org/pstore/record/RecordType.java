package org.pstore.record;

import java.util.Locale;

/**
 * Kinds of record. The numbers are written to disk and match Linux's {@code enum pstore_type_id}: an ABI,
 * never renumber. Types this version does not write are still recognised when read.
 */
public enum RecordType {
    DMESG(0),
    MCE(1),
    CONSOLE(2),
    FTRACE(3),
    PMSG(7),
    /** How a previous run of the writer ended, judged at the next boot (pstore's own: no Linux number). */
    ENDING(32),
    /** A JVM fatal error log ({@code hs_err_pid<pid>.log}) ingested at the next boot, in parts (pstore's own). */
    HSERR(33),
    /**
     * What a boot found damaged in the store and healed (files moved into the quarantine, a marker rewritten):
     * pstore's own, outside the range Linux uses.
     */
    HEALING(64);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Lower-case word used in names and JSON: "dmesg", "console", "pmsg", "ending", "hserr". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a code read from disk, or null for a code this version does not know. */
    public static RecordType ofCode(int code) {
        for (RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    public static RecordType parse(String word) {
        for (RecordType t : values()) {
            if (t.word().equalsIgnoreCase(word.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown record type '" + word + "' (expected dmesg, console, pmsg, ending, hserr or healing)");
    }
}
