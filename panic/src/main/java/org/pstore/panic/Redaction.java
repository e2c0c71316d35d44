package org.pstore.panic;

import java.util.List;
import java.util.Locale;

/**
 * Secrets never reach a record: in JVM arguments and system properties, the value of every
 * {@code name=value} whose name contains one of the configured words (case-insensitive) becomes
 * {@code ***}. It looks inside option strings too ({@code -javaagent:a.jar=token=x,dir=y},
 * {@code -XX:Flag=v}). Applied once, when the machine is armed (it allocates): the panic path prints
 * only what was already redacted.
 */
public final class Redaction {
    /** Names that look secret: the default of {@code pstore.redact}. */
    public static final List<String> DEFAULT_WORDS =
            List.of("password", "passwd", "secret", "token", "key", "credential", "auth");
    static final String MASK = "***";

    private final String[] words;

    private Redaction(List<String> words) {
        this.words = words.stream().map(w -> w.trim().toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty())
                .distinct().toArray(String[]::new);
    }

    public static Redaction of(List<String> words) {
        return new Redaction(words);
    }

    public static Redaction defaults() {
        return new Redaction(DEFAULT_WORDS);
    }

    /** The words, lower case. */
    public List<String> words() {
        return List.of(words);
    }

    /** Whether a name looks secret. */
    public boolean secret(CharSequence name) {
        String lower = name.toString().toLowerCase(Locale.ROOT);
        for (String w : words) {
            if (lower.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with the value of every secret-looking {@code name=value} masked. */
    public String redact(String text) {
        if (text == null || text.indexOf('=') < 0 || words.length == 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (int eq = text.indexOf('='); eq >= 0; eq = text.indexOf('=', eq + 1)) {
            int nameStart = eq;
            while (nameStart > 0 && nameChar(text.charAt(nameStart - 1))) {
                nameStart--;
            }
            if (eq < copied || nameStart == eq || !secret(text.substring(nameStart, eq))) {
                continue;
            }
            int valueEnd = eq + 1;
            while (valueEnd < text.length() && !separator(text.charAt(valueEnd))) {
                valueEnd++;
            }
            out.append(text, copied, eq + 1).append(MASK);
            copied = valueEnd;
            eq = valueEnd - 1;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** The value of a property called {@code name}, masked when the name looks secret. */
    public String value(String name, String value) {
        return secret(name) ? MASK : redact(value);
    }

    private static boolean nameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-';
    }

    private static boolean separator(char c) {
        return c == ',' || c == ';' || c == '&' || c == ' ' || c == '\t' || c == '\n';
    }
}
