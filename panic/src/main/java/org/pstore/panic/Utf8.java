package org.pstore.panic;

/**
 * UTF-8 length and encoding of chars without allocating (the JDK's encoders allocate). A lone surrogate
 * becomes '?', as {@code String.getBytes(UTF_8)} does.
 */
final class Utf8 {
    private Utf8() {
    }

    static int length(char[] chars, int length) {
        int bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chars[i + 1])) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Encodes as much as fits; returns the new offset in {@code out}. Never splits a character. */
    static int encode(char[] chars, int length, byte[] out, int offset) {
        int o = offset;
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c < 0x80) {
                if (o + 1 > out.length) {
                    break;
                }
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                if (o + 2 > out.length) {
                    break;
                }
                out[o++] = (byte) (0xc0 | (c >> 6));
                out[o++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chars[i + 1])) {
                if (o + 4 > out.length) {
                    break;
                }
                int cp = Character.toCodePoint(c, chars[++i]);
                out[o++] = (byte) (0xf0 | (cp >> 18));
                out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                out[o++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (o + 1 > out.length) {
                    break;
                }
                out[o++] = (byte) '?';
            } else {
                if (o + 3 > out.length) {
                    break;
                }
                out[o++] = (byte) (0xe0 | (c >> 12));
                out[o++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[o++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return o;
    }
}
