package org.pstore.capture;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * The text of one captured event, the same for every integration:
 * {@code 2026-11-23T08:00:00.123Z [main] INFO com.example.Orders: order 42 accepted}, then the stack trace
 * of the event's throwable, one ring line per trace line. The time is the event's own (UTC, milliseconds),
 * beside the uptime prefix the ring adds to every line.
 *
 * <p>The line is encoded as it is built: each part goes once over its characters, straight into the calling
 * thread's UTF-8 buffer (ASCII, the usual case, one byte per char), and the ring copies those bytes into its
 * slots in one move. Nothing is allocated, apart from the stack trace (an exception is rare, and its trace
 * is worth the garbage) and a buffer that grows for an event longer than any before it on that thread.
 */
public final class CaptureLine {
    private static final ThreadLocal<CaptureLine> LINES = ThreadLocal.withInitial(CaptureLine::new);
    private static final long DAY_MILLIS = 86_400_000L;
    /** An event's text is cut here (its lines are cut again at {@link CaptureRing#MAX_LINE} each). */
    static final int MAX_EVENT = 64 << 10;

    private byte[] bytes = new byte[CaptureRing.MAX_LINE];
    private int length;
    /** A newline was appended: the ring makes a line of each piece. */
    private boolean multiline;
    private long cachedDay = Long.MIN_VALUE;
    private final byte[] date = new byte[11]; // "2026-11-23T"

    private CaptureLine() {
    }

    /**
     * The calling thread's line, cleared and started with {@code time [thread] LEVEL logger: }; append the
     * message and hand it to {@link CaptureSink#println(CaptureLine)}. Not re-entrant: take the message text
     * before calling (formatting it may log).
     */
    public static CaptureLine begin(long epochMillis, CharSequence thread, CharSequence level, CharSequence logger) {
        CaptureLine l = LINES.get();
        l.length = 0;
        l.multiline = false;
        l.time(epochMillis);
        l.ascii((byte) ' ').ascii((byte) '[').append(thread == null ? "?" : thread).ascii((byte) ']').ascii((byte) ' ');
        if (level != null) {
            l.append(level).ascii((byte) ' ');
        }
        if (logger != null && logger.length() > 0) {
            l.append(logger).ascii((byte) ':').ascii((byte) ' ');
        }
        return l;
    }

    /** Appends {@code s} ({@code null} as "null") in UTF-8 (unpaired surrogates as '?'), in one pass; what passes {@link #MAX_EVENT} is cut. */
    public CaptureLine append(CharSequence s) {
        if (s == null) {
            s = "null"; // as StringBuilder and String.valueOf write it
        }
        return append(s, 0, s.length());
    }

    /** Appends {@code s[from, to)}. */
    public CaptureLine append(CharSequence s, int from, int to) {
        int i = from;
        int n = length;
        byte[] b = bytes;
        if (b.length - n < to - from) {
            b = grow(to - from);
        }
        int asciiEnd = Math.min(to, from + (b.length - n));
        for (; i < asciiEnd; i++) { // the usual text: ASCII, copied as it is checked
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            if (c == '\n') {
                multiline = true;
            }
            b[n++] = (byte) c;
        }
        length = n;
        if (i < to && i < asciiEnd) {
            encode(s, i, to);
        }
        return this;
    }

    /** The rest of a part from its first non-ASCII char on, code point by code point, as far as there is room. */
    private void encode(CharSequence s, int from, int to) {
        for (int i = from; i < to; i += Utf8.chars(s, i, to)) {
            int cp = Utf8.codePoint(s, i, to);
            int need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes.length - length < need && grow(need).length - length < need) {
                return; // cut at MAX_EVENT, on a character boundary
            }
            byte[] b = bytes;
            int n = length;
            if (cp < 0x80) {
                if (cp == '\n') {
                    multiline = true;
                }
                b[n++] = (byte) cp;
            } else if (cp < 0x800) {
                b[n++] = (byte) (0xC0 | cp >> 6);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                b[n++] = (byte) (0xE0 | cp >> 12);
                b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            } else {
                b[n++] = (byte) (0xF0 | cp >> 18);
                b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            }
            length = n;
        }
    }

    /** Room for {@code more} bytes (as much as {@link #MAX_EVENT} allows): a longer event than this thread had. */
    private byte[] grow(int more) {
        if (bytes.length < MAX_EVENT) {
            int want = (int) Math.min(MAX_EVENT, Math.max((long) bytes.length * 2, (long) length + more));
            bytes = java.util.Arrays.copyOf(bytes, want);
        }
        return bytes;
    }

    private CaptureLine ascii(byte c) {
        if (length < bytes.length) {
            bytes[length++] = c;
        }
        return this;
    }

    /** Hands the line to {@code ring}: one ring line, or one per newline-separated piece. */
    void printTo(CaptureRing ring) {
        if (multiline) {
            ring.printlnPieces(bytes, length);
        } else {
            ring.println(bytes, 0, length);
        }
    }

    /** The line's text (for tests and diagnostics; allocates). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** The stack trace as {@link Throwable#printStackTrace()} writes it, without the last newline. */
    public static String trace(Throwable thrown) {
        StringWriter out = new StringWriter(512);
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString().stripTrailing();
    }

    /** Appends {@code 2026-11-23T08:00:00.123Z}; the date part is computed once a day. */
    private void time(long millis) {
        long day = Math.floorDiv(millis, DAY_MILLIS);
        if (day != cachedDay) {
            civil(day);
            cachedDay = day;
        }
        int ms = (int) Math.floorMod(millis, DAY_MILLIS);
        byte[] b = bytes;
        System.arraycopy(date, 0, b, 0, date.length);
        int n = date.length;
        n = two(b, n, ms / 3_600_000);
        b[n++] = ':';
        n = two(b, n, ms / 60_000 % 60);
        b[n++] = ':';
        n = two(b, n, ms / 1000 % 60);
        b[n++] = '.';
        int frac = ms % 1000;
        b[n++] = (byte) ('0' + frac / 100);
        b[n++] = (byte) ('0' + frac / 10 % 10);
        b[n++] = (byte) ('0' + frac % 10);
        b[n++] = 'Z';
        length = n;
    }

    private static int two(byte[] b, int n, int v) {
        b[n] = (byte) ('0' + v / 10);
        b[n + 1] = (byte) ('0' + v % 10);
        return n + 2;
    }

    /** Days since 1970-01-01 to "yyyy-mm-ddT" (the proleptic Gregorian calendar, as java.time has it). */
    private void civil(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        int year = (int) Math.max(0, Math.min(9999, y));
        date[0] = (byte) ('0' + year / 1000);
        date[1] = (byte) ('0' + year / 100 % 10);
        date[2] = (byte) ('0' + year / 10 % 10);
        date[3] = (byte) ('0' + year % 10);
        date[4] = '-';
        date[5] = (byte) ('0' + m / 10);
        date[6] = (byte) ('0' + m % 10);
        date[7] = '-';
        date[8] = (byte) ('0' + d / 10);
        date[9] = (byte) ('0' + d % 10);
        date[10] = 'T';
    }
}
