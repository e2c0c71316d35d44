package org.pstore.capture;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The text of one captured event, the same for every integration:
 * {@code 2026-11-23T08:00:00.123Z [main] INFO com.example.Orders: order 42 accepted}, then the stack trace
 * of the event's throwable, one ring line per trace line. The time is the event's own (UTC, milliseconds),
 * beside the uptime prefix the ring adds to every line. Built in a per-thread builder, without allocating,
 * apart from the stack trace (an exception is rare, and its trace is worth the garbage).
 */
public final class CaptureLine {
    private static final ThreadLocal<CaptureLine> LINES = ThreadLocal.withInitial(CaptureLine::new);
    private static final long DAY_MILLIS = 86_400_000L;

    private final StringBuilder text = new StringBuilder(256);
    private long cachedDay = Long.MIN_VALUE;
    private final char[] date = new char[11]; // "2026-11-23T"

    private CaptureLine() {
    }

    /**
     * The calling thread's line, cleared and started with {@code time [thread] LEVEL logger: }; append the
     * message and hand it to {@link CaptureSink#println}. Not re-entrant: take the message text before calling
     * (formatting it may log).
     */
    public static StringBuilder begin(long epochMillis, CharSequence thread, CharSequence level, CharSequence logger) {
        CaptureLine l = LINES.get();
        StringBuilder sb = l.text;
        sb.setLength(0);
        l.time(epochMillis);
        sb.append(" [").append(thread == null ? "?" : thread).append("] ");
        if (level != null) {
            sb.append(level).append(' ');
        }
        if (logger != null && logger.length() > 0) {
            sb.append(logger).append(": ");
        }
        return sb;
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
        text.append(date);
        two(ms / 3_600_000);
        text.append(':');
        two(ms / 60_000 % 60);
        text.append(':');
        two(ms / 1000 % 60);
        text.append('.');
        int frac = ms % 1000;
        text.append((char) ('0' + frac / 100)).append((char) ('0' + frac / 10 % 10)).append((char) ('0' + frac % 10));
        text.append('Z');
    }

    private void two(int v) {
        text.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
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
        date[0] = (char) ('0' + year / 1000);
        date[1] = (char) ('0' + year / 100 % 10);
        date[2] = (char) ('0' + year / 10 % 10);
        date[3] = (char) ('0' + year % 10);
        date[4] = '-';
        date[5] = (char) ('0' + m / 10);
        date[6] = (char) ('0' + m % 10);
        date[7] = '-';
        date[8] = (char) ('0' + d / 10);
        date[9] = (char) ('0' + d % 10);
        date[10] = 'T';
    }
}
