package org.pstore.reader;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wall-clock time for log lines that carry only their uptime ({@code [   12.345678] }, seconds since the JVM
 * started): UTC = the anchor's UTC - (the anchor's uptime - the line's uptime). The best anchor is a line a
 * crash report prints, {@code Time: 2026-12-01T10:00:00.123Z (uptime 12.345678 s)}, which pairs the two
 * clocks exactly; failing that, a time written just after a known line (a journal batch, a dump), which is
 * late by the moment in between (about a millisecond for the journal), so the earliest such pairing is taken.
 * It assumes the wall clock was not stepped during the run.
 */
public final class WallClock {
    private static final Pattern UPTIME = Pattern.compile("^\\[\\s*(\\d{1,9})\\.(\\d{6})\\] ");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern REPORT = Pattern.compile("Time: (\\S+Z) \\(uptime (\\d{1,9})\\.(\\d{1,9}) s\\)");

    /** UTC minus uptime, in microseconds; exact when it came from a report's Time: line. */
    private long offsetMicros;
    private boolean known;
    private boolean exact;

    /** The uptime of a line, in microseconds, when it starts with one. */
    public static OptionalLong uptimeMicros(CharSequence line) {
        Matcher m = UPTIME.matcher(line);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1_000_000L + Long.parseLong(m.group(2))) : OptionalLong.empty();
    }

    /** Takes the pairing of a report's Time: line in {@code line}, if it holds one; it wins over estimates. */
    public boolean report(CharSequence line) {
        Matcher m = REPORT.matcher(line);
        if (!m.find()) {
            return false;
        }
        try {
            Instant wall = Instant.parse(m.group(1));
            String fraction = (m.group(3) + "000000").substring(0, 6);
            long uptime = Long.parseLong(m.group(2)) * 1_000_000L + Long.parseLong(fraction);
            offsetMicros = ChronoUnit.MICROS.between(Instant.EPOCH, wall) - uptime;
            known = true;
            exact = true;
            return true;
        } catch (DateTimeParseException | ArithmeticException e) {
            return false;
        }
    }

    /** A wall time in milliseconds written at or just after the line of uptime {@code uptimeMicros}. */
    public void writtenAfter(long wallMillis, long uptimeMicros) {
        if (exact) {
            return;
        }
        long offset = wallMillis * 1000 - uptimeMicros;
        if (!known || offset < offsetMicros) {
            offsetMicros = offset;
            known = true;
        }
    }

    /** Reads every line of {@code text} for a report's Time: line. */
    public WallClock reportsIn(String text) {
        for (String line : text.split("\n", -1)) {
            if (report(line)) {
                break;
            }
        }
        return this;
    }

    /** The uptime of the last line of {@code text} that has one, or -1. */
    public static long lastUptime(String text) {
        long last = -1;
        for (String line : text.split("\n")) {
            OptionalLong u = uptimeMicros(line);
            if (u.isPresent()) {
                last = u.getAsLong();
            }
        }
        return last;
    }

    public boolean known() {
        return known;
    }

    /** The UTC time of {@code line}, microseconds since the epoch, when it has an uptime and the clock is known. */
    public OptionalLong wallMicros(CharSequence line) {
        if (!known) {
            return OptionalLong.empty();
        }
        OptionalLong u = uptimeMicros(line);
        return u.isEmpty() ? u : OptionalLong.of(offsetMicros + u.getAsLong());
    }

    /** {@code line} with the UTC time of its uptime before it, when both are known; else as it is. */
    public String render(String line) {
        if (!known) {
            return line;
        }
        OptionalLong u = uptimeMicros(line);
        if (u.isEmpty()) {
            return line;
        }
        return UTC.format(Instant.EPOCH.plus(offsetMicros + u.getAsLong(), ChronoUnit.MICROS)) + " " + line;
    }

    /** Every line of {@code text} rendered; line ends are kept. */
    public String renderAll(String text) {
        if (!known) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + text.length() / 3);
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? text.length() : nl + 1;
            String line = text.substring(from, nl < 0 ? end : nl);
            sb.append(render(line));
            if (nl >= 0) {
                sb.append('\n');
            }
            from = end;
        }
        return sb.toString();
    }
}
