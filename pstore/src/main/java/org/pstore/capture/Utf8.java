package org.pstore.capture;

/** UTF-8 sizes and code points of a CharSequence, without allocating. Unpaired surrogates become '?'. */
final class Utf8 {
    /** The first byte's marker bits, by the character's size in bytes. */
    private static final int[] LEAD = {0, 0, 0xC0, 0xE0, 0xF0};

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
        return size(codePoint(s, i, end));
    }

    /** UTF-8 bytes of code point {@code cp}. */
    static int size(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /**
     * Byte {@code k} of the {@code size(cp)} bytes that encode {@code cp}: byte by byte, so that a writer can
     * place each where it goes (the ring wraps inside a character).
     */
    static byte byteAt(int cp, int size, int k) {
        if (size == 1) {
            return (byte) cp;
        }
        int bits = cp >> 6 * (size - 1 - k);
        return (byte) (k == 0 ? LEAD[size] | bits : 0x80 | bits & 0x3F);
    }
}
