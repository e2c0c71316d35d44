package org.pstore.core;

/**
 * The rule for variable names: 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9._:-]}, not
 * starting with a dot. Names become file names when records are archived, hence the narrow alphabet.
 */
public final class VariableNames {
    public static final int MAX_LENGTH = 128;

    private VariableNames() {
    }

    /** Null when the name is well formed, otherwise a constant phrase saying why not. Never allocates. */
    public static String problem(CharSequence name) {
        if (name == null) {
            return "name is null";
        }
        int n = name.length();
        if (n == 0) {
            return "name is empty";
        }
        if (n > MAX_LENGTH) {
            return "name is longer than " + MAX_LENGTH + " characters";
        }
        if (name.charAt(0) == '.') {
            return "name starts with a dot";
        }
        for (int i = 0; i < n; i++) {
            if (!allowed(name.charAt(i))) {
                return "name has a character outside [A-Za-z0-9._:-]";
            }
        }
        return null;
    }

    public static boolean valid(CharSequence name) {
        return problem(name) == null;
    }

    /**
     * Checks {@code name} and copies its ASCII bytes into {@code out} (at least {@value #MAX_LENGTH} long) in
     * the same pass: its length, or -1 when it is not well formed. Never allocates.
     */
    public static int toAscii(CharSequence name, byte[] out) {
        if (name == null) {
            return -1;
        }
        int n = name.length();
        if (n == 0 || n > MAX_LENGTH || name.charAt(0) == '.') {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (!allowed(c)) {
                return -1;
            }
            out[i] = (byte) c;
        }
        return n;
    }

    static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '-';
    }
}
