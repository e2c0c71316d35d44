package org.pstore.core;

/**
 * The rule for variable names: 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9._:-]}, not
 * starting with a dot. Names become file names when records are archived, hence the narrow alphabet.
 */
public final class VariableNames {
    public static final int MAX_LENGTH = 128;

    private VariableNames() {
    }

    private static final int NULL = -1;
    private static final int EMPTY = -2;
    private static final int TOO_LONG = -3;
    private static final int DOT = -4;
    private static final int OUTSIDE = -5;

    /** Null when the name is well formed, otherwise a constant phrase saying why not. Never allocates. */
    public static String problem(CharSequence name) {
        switch (check(name, null)) {
            case NULL:
                return "name is null";
            case EMPTY:
                return "name is empty";
            case TOO_LONG:
                return "name is longer than " + MAX_LENGTH + " characters";
            case DOT:
                return "name starts with a dot";
            case OUTSIDE:
                return "name has a character outside [A-Za-z0-9._:-]";
            default:
                return null;
        }
    }

    public static boolean valid(CharSequence name) {
        return check(name, null) > 0;
    }

    /**
     * Checks {@code name} and copies its ASCII bytes into {@code out} (at least {@value #MAX_LENGTH} long) in
     * the same pass: its length, or -1 when it is not well formed. Never allocates.
     */
    public static int toAscii(CharSequence name, byte[] out) {
        return Math.max(check(name, out), -1);
    }

    /** The rule, once: the name's length when well formed (its bytes into {@code out} unless null), else why not. */
    private static int check(CharSequence name, byte[] out) {
        if (name == null) {
            return NULL;
        }
        int n = name.length();
        if (n == 0) {
            return EMPTY;
        }
        if (n > MAX_LENGTH) {
            return TOO_LONG;
        }
        if (name.charAt(0) == '.') {
            return DOT;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (!allowed(c)) {
                return OUTSIDE;
            }
            if (out != null) {
                out[i] = (byte) c;
            }
        }
        return n;
    }

    static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '-';
    }
}
