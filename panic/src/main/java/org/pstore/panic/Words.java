package org.pstore.panic;

import java.util.Locale;

/** Parsing of the lower-case words that name enum constants in settings and on disk. */
final class Words {
    private Words() {
    }

    static <E extends Enum<E>> E find(E[] values, String word) {
        if (word == null) {
            return null;
        }
        String wanted = word.trim();
        for (E value : values) {
            if (value.name().equalsIgnoreCase(wanted)) {
                return value;
            }
        }
        return null;
    }

    static <E extends Enum<E>> String list(E[] values) {
        StringBuilder words = new StringBuilder();
        for (E value : values) {
            if (words.length() > 0) {
                words.append(", ");
            }
            words.append(value.name().toLowerCase(Locale.ROOT));
        }
        return words.toString();
    }
}
