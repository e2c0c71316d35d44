package org.pstore.capture;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Self-checking lines for the ring's stress tests: writer {@code w}'s line {@code n} is
 * {@code w<w> n<n> <payload> #<crc>}, with a payload of 5 to 300 characters (ASCII and multi-byte, so that
 * lines take one to four slots) and the CRC32C of everything before {@code " #"}. A line that holds a byte of
 * another line, or misses one, fails its CRC. Checking allocates nothing, so readers keep up with writers.
 */
final class CheckedLines {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_€éß";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder line = new StringBuilder(1024);
    private final byte[] utf8 = new byte[4096];
    private final CRC32C crc = new CRC32C();

    /** The line; the returned builder is reused by the next call. */
    StringBuilder write(int w, long n) {
        line.setLength(0);
        line.append('w').append(w).append(" n").append(n).append(' ');
        int length = (int) (5 + (n * 7 + w * 13) % 296);
        for (int i = 0; i < length; i++) {
            line.append(ALPHABET.charAt((int) ((w * 31 + n * 17 + i) % ALPHABET.length())));
        }
        int bytes = encode(line);
        crc.reset();
        crc.update(utf8, 0, bytes);
        long sum = crc.getValue();
        line.append(" #");
        for (int shift = 28; shift >= 0; shift -= 4) {
            line.append(HEX[(int) (sum >>> shift) & 0xf]);
        }
        return line;
    }

    private int encode(CharSequence s) {
        byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, utf8, 0, b.length);
        return b.length;
    }

    /** {@code [   12.345678] }'s inside: spaces, then at least one digit of seconds, a dot, six digits of microseconds. */
    private static boolean uptime(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && buf[i] == ' ') {
            i++;
        }
        int dot = to - 7;
        if (dot <= i || buf[dot] != '.') {
            return false;
        }
        for (int k = i; k < to; k++) {
            if (k != dot && (buf[k] < '0' || buf[k] > '9')) {
                return false;
            }
        }
        return true;
    }

    /** Whether the captured line (with its uptime prefix) at {@code buf[offset, offset + length)} is intact. */
    boolean intact(byte[] buf, int offset, int length) {
        int end = offset + length;
        if (length < 12 || buf[offset] != '[') {
            return false;
        }
        int body = -1;
        for (int i = offset; i + 1 < end; i++) {
            if (buf[i] == ']' && buf[i + 1] == ' ') {
                body = i + 2;
                break;
            }
        }
        if (body < 0 || !uptime(buf, offset + 1, body - 2)) {
            return false;
        }
        int hash = end - 10;
        if ( hash <= body || buf[hash] != ' ' || buf[hash + 1] != '#' || buf[body] != 'w') {
            return false;
        }
        crc.reset();
        crc.update(buf, body, hash - body);
        long sum = crc.getValue();
        for (int k = 0; k < 8; k++) {
            if (buf[hash + 2 + k] != HEX[(int) (sum >>> (28 - 4 * k)) & 0xf]) {
                return false;
            }
        }
        return true;
    }
}
