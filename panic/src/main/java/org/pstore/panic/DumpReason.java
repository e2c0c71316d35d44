package org.pstore.panic;

import java.util.Locale;

/**
 * Why a kmsg dump happens, as in Linux {@code enum kmsg_dump_reason}. The codes are written to disk by
 * pstore: never renumber them. Lower codes are more severe; a dumper runs for every reason whose code is
 * at most its {@code maxReason}'s code.
 */
public enum DumpReason {
    UNDEF(0), PANIC(1), OOPS(2), EMERG(3), SHUTDOWN(4);

    private static final DumpReason[] VALUES = values();
    private static final String WORDS = Words.list(VALUES);

    private final int code;
    private final String word;

    DumpReason(int code) {
        this.code = code;
        this.word = name().toLowerCase(Locale.ROOT);
    }

    public int code() {
        return code;
    }

    /** The lower-case word: "undef", "panic", "oops", "emerg", "shutdown". */
    public String word() {
        return word;
    }

    /** Case-insensitive inverse of {@link #word()}. */
    public static DumpReason parse(String word) {
        DumpReason reason = Words.find(VALUES, word);
        if (reason == null) {
            throw new IllegalArgumentException("unknown dump reason '" + word + "': expected one of " + WORDS);
        }
        return reason;
    }

    public static DumpReason ofCode(int code) {
        for (DumpReason reason : VALUES) {
            if (reason.code == code) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown dump reason code " + code + ": expected 0..4");
    }
}
