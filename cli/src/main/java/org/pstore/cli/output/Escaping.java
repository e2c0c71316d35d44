package org.pstore.cli.output;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Stored text shown on a terminal cannot drive it: control characters other than newline and tab (C0, DEL
 * and C1, where ESC and CSI start the sequences that clear a screen, retitle a window or write the clipboard)
 * are shown as {@code \x1b}, {@code \u009b}, as journalctl and less show them. Everything else passes as it is.
 */
public final class Escaping extends FilterWriter {
    public Escaping(Writer out) {
        super(out);
    }

    /** Whether {@code c} is shown escaped. */
    public static boolean escaped(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f);
    }

    /** {@code s} with every control character escaped. */
    public static String escape(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            append(sb, s.charAt(i));
        }
        return sb.toString();
    }

    /** Bytes that are not text, shown on a terminal: printable ASCII as it is, every other byte as {@code \xNN}. */
    public static String escapeBytes(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            int v = b & 0xff;
            if ((v >= 0x20 && v < 0x7f) || v == '\n' || v == '\t') {
                sb.append((char) v);
            } else {
                sb.append(String.format("\\x%02x", v));
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, char c) {
        if (!escaped(c)) {
            sb.append(c);
        } else if (c < 0x80) {
            sb.append(String.format("\\x%02x", (int) c));
        } else {
            sb.append(String.format("\\u%04x", (int) c));
        }
    }

    @Override
    public void write(int c) throws IOException {
        if (escaped((char) c)) {
            out.write(escape(String.valueOf((char) c)));
        } else {
            out.write(c);
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        write(new String(cbuf, off, len), 0, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (escaped(str.charAt(i))) {
                out.write(str, start, i - start);
                out.write(escape(str.substring(i, i + 1)));
                start = i + 1;
            }
        }
        out.write(str, start, off + len - start);
    }
}
