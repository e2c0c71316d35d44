package org.pstore.capture;

/** UTF-8 sizes and code points of a CharSequence, without allocating. Unpaired surrogates become '?'. */
final class Utf8 {
    private Utf8() {
    }

    /** Chars taken by the code point at {@code i}: 2 for a surrogate pair, else 1. */
    static int chars(CharSequence s, int i, int end) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
    }

    static int codePoint(CharSequence s, int i, int end) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
            return Character.toCodePoint(c, s.charAt(i + 1));
        }
        return Character.isSurrogate(c) ? '?' : c;
    }

    /** UTF-8 bytes of the code point at {@code i}. */
    static int length(CharSequence s, int i, int end) {
        int cp = codePoint(s, i, end);
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}
