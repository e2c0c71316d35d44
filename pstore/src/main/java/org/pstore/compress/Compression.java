package org.pstore.compress;

import java.util.Locale;

/** How dmesg parts are stored: zlib deflate (the default, as Linux pstore) or as they are. */
public enum Compression {
    DEFLATE,
    NONE;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Compression parse(String word) {
        for (Compression c : values()) {
            if (c.word().equalsIgnoreCase(word.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + word + "' (expected deflate or none)");
    }
}
