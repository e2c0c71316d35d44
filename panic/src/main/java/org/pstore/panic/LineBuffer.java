package org.pstore.panic;

/**
 * One console line in a preallocated, fixed-capacity char buffer: the panic path formats into it without
 * allocating. It truncates instead of growing; a truncated line ends in "...".
 *
 * <p>Only {@link #subSequence} and {@link #toString} allocate; the panic path never calls them.
 */
public final class LineBuffer implements CharSequence {
    private static final String NULL = "null";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final char[] chars;
    private final char[] digits = new char[20];
    private int length;
    private boolean truncated;

    public LineBuffer(int capacity) {
        if (capacity < 8) {
            throw new IllegalArgumentException("line capacity " + capacity + " is below 8");
        }
        this.chars = new char[capacity];
    }

    public LineBuffer clear() {
        length = 0;
        truncated = false;
        return this;
    }

    public int capacity() {
        return chars.length;
    }

    /** Whether an append did not fit. */
    public boolean truncated() {
        return truncated;
    }

    /** Appends {@code "null"} for null, like {@link StringBuilder}. */
    public LineBuffer append(CharSequence s) {
        if (s == null) {
            s = NULL;
        }
        int n = s.length();
        int room = chars.length - length;
        int fit = Math.min(n, room);
        if (s instanceof String) {
            ((String) s).getChars(0, fit, chars, length);
        } else if (s instanceof LineBuffer) {
            System.arraycopy(((LineBuffer) s).chars, 0, chars, length, fit);
        } else {
            for (int i = 0; i < fit; i++) {
                chars[length + i] = s.charAt(i);
            }
        }
        length += fit;
        if (fit < n) {
            markTruncated();
        }
        return this;
    }

    /** Appends {@code s[start, end)}. */
    public LineBuffer append(CharSequence s, int start, int end) {
        int n = end - start;
        int fit = Math.min(n, chars.length - length);
        if (s instanceof String) {
            ((String) s).getChars(start, start + fit, chars, length);
        } else {
            for (int i = 0; i < fit; i++) {
                chars[length + i] = s.charAt(start + i);
            }
        }
        length += fit;
        if (fit < n) {
            markTruncated();
        }
        return this;
    }

    public LineBuffer append(char c) {
        if (length < chars.length) {
            chars[length++] = c;
        } else {
            markTruncated();
        }
        return this;
    }

    /** Decimal, without allocating. */
    public LineBuffer append(long v) {
        if (v == Long.MIN_VALUE) {
            return append("-9223372036854775808");
        }
        if (v < 0) {
            append('-');
            v = -v;
        }
        int n = 0;
        do {
            digits[n++] = (char) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        while (n > 0) {
            append(digits[--n]);
        }
        return this;
    }

    /** Lower-case hexadecimal without prefix, at least {@code minDigits} digits (zero-padded). */
    public LineBuffer appendHex(long v, int minDigits) {
        int n = 0;
        do {
            digits[n++] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        } while (v != 0);
        for (int pad = Math.min(minDigits, digits.length) - n; pad > 0; pad--) {
            append('0');
        }
        while (n > 0) {
            append(digits[--n]);
        }
        return this;
    }

    public LineBuffer appendHex(long v) {
        return appendHex(v, 1);
    }

    /** Appends {@code count} spaces. */
    public LineBuffer indent(int count) {
        for (int i = 0; i < count; i++) {
            append(' ');
        }
        return this;
    }

    /** How many bytes this line takes in UTF-8 (as {@link Utf8#encode} writes it). */
    public int utf8Length() {
        return Utf8.length(chars, length);
    }

    char[] array() {
        return chars;
    }

    private void markTruncated() {
        if (!truncated) {
            truncated = true;
            for (int i = Math.max(0, chars.length - 3); i < chars.length; i++) {
                chars[i] = '.';
            }
            length = chars.length;
        }
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return chars[index];
    }

    /** Allocates: not for the panic path. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    /** Allocates: not for the panic path. */
    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
