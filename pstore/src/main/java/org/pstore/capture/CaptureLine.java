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
    private static final long DAY_SECONDS = 86_400L;
    /** An event's text is cut here (its lines are cut again at {@link CaptureRing#MAX_LINE} each). */
    static final int MAX_EVENT = 64 << 10;

    /** Names kept as bytes: slots, and the longest name kept (in chars; UTF-8 takes at most 3 bytes per char). */
    private static final int NAMES = 16;
    private static final int NAME_MAX = 160;

    private byte[] bytes = new byte[CaptureRing.MAX_LINE];
    private final StringBuilder scratch = new StringBuilder(256);
    private final String[] names = new String[NAMES];
    private final byte[][] nameBytes = new byte[NAMES][];
    private final int[] nameLengths = new int[NAMES];
    /** Which of a name's two places a miss takes when both are held: each in turn. */
    private boolean evictOther;
    /** The chars of the part being appended, copied out in bulk, a chunk at a time. */
    private static final int CHUNK = 512;
    private final char[] chars = new char[CHUNK];
    private int length;
    /** A newline was appended: the ring makes a line of each piece. */
    private boolean multiline;
    private long cachedDay = Long.MIN_VALUE;
    private final byte[] date = new byte[11]; // "2026-11-23T"
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] upToSecond = new byte[20]; // "2026-11-23T08:00:00."

    private CaptureLine() {
    }

    /**
     * The calling thread's line, cleared and started with {@code time [thread] LEVEL logger: }; append the
     * message and hand it to {@link CaptureSink#println(CaptureLine)}. Not re-entrant: take the message text
     * before calling (formatting it may log).
     */
    public static CaptureLine begin(long epochMillis, CharSequence thread, CharSequence level, CharSequence logger) {
        return LINES.get().start(epochMillis, thread, level, logger);
    }

    /** The calling thread's line, for an integration that also wants its {@link #scratch()}: one lookup. */
    public static CaptureLine current() {
        return LINES.get();
    }

    /**
     * A builder of this thread's, cleared, for a message that must be formatted before its line begins.
     * Only for an integration that its framework never re-enters on the same thread (Log4j2 guards its
     * appenders so); the line's own bytes are separate, so another integration's line may come in between.
     */
    public StringBuilder scratch() {
        scratch.setLength(0);
        return scratch;
    }

    /** As {@link #begin}, on this line (the calling thread's, from {@link #current()}). */
    public CaptureLine start(long epochMillis, CharSequence thread, CharSequence level, CharSequence logger) {
        length = 0;
        multiline = false;
        time(epochMillis);
        ascii((byte) ' ').ascii((byte) '[').name(thread == null ? "?" : thread).ascii((byte) ']').ascii((byte) ' ');
        if (level != null) {
            name(level).ascii((byte) ' ');
        }
        if (logger != null && logger.length() > 0) {
            name(logger).ascii((byte) ':').ascii((byte) ' ');
        }
        return this;
    }

    /**
     * Appends a name (thread, level, logger): the same String objects event after event, so their bytes are
     * kept, by identity, in a small table of this thread's, and copied from there. Only Strings are kept (they
     * cannot change), only short ones, and only those without a newline. Each name has two places in the
     * table, from two parts of its identity hash: with one, two of an event's three names sharing it (one
     * run in six or so) pushed each other out at every event, and both were encoded afresh each time.
     */
    private CaptureLine name(CharSequence s) {
        if (!(s instanceof String) || s.length() > NAME_MAX) {
            return append(s);
        }
        int h = System.identityHashCode(s);
        int slot = h & (NAMES - 1);
        if (names[slot] != s) {
            int other = (h >>> 16) & (NAMES - 1);
            if (names[other] == s) {
                slot = other;
            } else if (names[slot] != null) { // a miss, the first place held: the other if free, else each in turn
                boolean takeOther = names[other] == null || evictOther;
                evictOther = !evictOther;
                if (takeOther) {
                    slot = other;
                }
            }
        }
        byte[] kept = nameBytes[slot];
        if (names[slot] == s && bytes.length - length >= nameLengths[slot]) {
            System.arraycopy(kept, 0, bytes, length, nameLengths[slot]);
            length += nameLengths[slot];
            return this;
        }
        boolean before = multiline;
        multiline = false;
        int start = length;
        append(s);
        if (!multiline) {
            if (kept == null) {
                kept = nameBytes[slot] = new byte[NAME_MAX * 3];
            }
            System.arraycopy(bytes, start, kept, 0, length - start);
            nameLengths[slot] = length - start;
            names[slot] = (String) s;
        }
        multiline |= before;
        return this;
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
        byte[] b = bytes;
        if (b.length - length < to - from) {
            b = grow(to - from);
        }
        int room = Math.min(to - from, b.length - length);
        int ascii = s instanceof String || s instanceof StringBuilder ? asciiBulk(s, from, room) : asciiEach(s, from, room);
        if (ascii < room) {
            encode(s, from + ascii, to);
        }
        return this;
    }

    /**
     * The usual text, from a String or a StringBuilder: its chars taken in bulk copies of up to
     * {@link #CHUNK}, each narrowed to bytes in a loop without branches; where a char is not ASCII, the bytes
     * from there on are rewritten. Returns how many chars went as ASCII.
     */
    private int asciiBulk(CharSequence s, int from, int count) {
        char[] c = chars;
        byte[] b = bytes;
        int done = 0;
        while (done < count) {
            int n = Math.min(CHUNK, count - done);
            if (s instanceof String) {
                ((String) s).getChars(from + done, from + done + n, c, 0);
            } else {
                ((StringBuilder) s).getChars(from + done, from + done + n, c, 0);
            }
            int at = length;
            int seen = 0;
            int newlines = 0;
            for (int k = 0; k < n; k++) {
                char ch = c[k];
                seen |= ch;
                newlines |= ch == '\n' ? 1 : 0;
                b[at + k] = (byte) ch;
            }
            int ascii = n;
            if (seen >= 0x80) {
                ascii = 0;
                while (c[ascii] < 0x80) {
                    ascii++;
                }
                newlines = 0;
                for (int k = 0; k < ascii; k++) {
                    newlines |= c[k] == '\n' ? 1 : 0;
                }
            }
            if (newlines != 0) {
                multiline = true;
            }
            length = at + ascii;
            done += ascii;
            if (ascii < n) {
                break;
            }
        }
        return done;
    }

    /** As above, for any other CharSequence: char by char, up to the first that is not ASCII. */
    private int asciiEach(CharSequence s, int from, int count) {
        byte[] b = bytes;
        int n = length;
        int k = 0;
        for (; k < count; k++) {
            char c = s.charAt(from + k);
            if (c >= 0x80) {
                break;
            }
            if (c == '\n') {
                multiline = true;
            }
            b[n + k] = (byte) c;
        }
        length = n + k;
        return k;
    }

    /** The rest of a part from its first non-ASCII char on, code point by code point, as far as there is room. */
    private void encode(CharSequence s, int from, int to) {
        for (int i = from; i < to; i += Utf8.chars(s, i, to)) {
            int cp = Utf8.codePoint(s, i, to);
            int need = Utf8.size(cp);
            if (bytes.length - length < need && grow(need).length - length < need) {
                return; // cut at MAX_EVENT, on a character boundary
            }
            if (cp == '\n') {
                multiline = true;
            }
            byte[] b = bytes;
            int n = length;
            for (int k = 0; k < need; k++) {
                b[n++] = Utf8.byteAt(cp, need, k);
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

    /**
     * Appends {@code 2026-11-23T08:00:00.123Z}: the text up to the second is kept and formatted again only
     * when the second changes (events come many to a second), the date part once a day.
     */
    private void time(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            formatSecond(second);
            cachedSecond = second;
        }
        int frac = (int) (millis - second * 1000);
        byte[] b = bytes;
        System.arraycopy(upToSecond, 0, b, 0, upToSecond.length);
        int n = upToSecond.length;
        b[n++] = (byte) ('0' + frac / 100);
        b[n++] = (byte) ('0' + frac / 10 % 10);
        b[n++] = (byte) ('0' + frac % 10);
        b[n++] = 'Z';
        length = n;
    }

    /** {@code 2026-11-23T08:00:00.} of the second {@code second} since the epoch, into {@link #upToSecond}. */
    private void formatSecond(long second) {
        long day = Math.floorDiv(second, DAY_SECONDS);
        if (day != cachedDay) {
            civil(day);
            cachedDay = day;
        }
        int s = (int) (second - day * DAY_SECONDS);
        byte[] b = upToSecond;
        System.arraycopy(date, 0, b, 0, date.length);
        int n = date.length;
        n = two(b, n, s / 3600);
        b[n++] = ':';
        n = two(b, n, s / 60 % 60);
        b[n++] = ':';
        n = two(b, n, s % 60);
        b[n] = '.';
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
