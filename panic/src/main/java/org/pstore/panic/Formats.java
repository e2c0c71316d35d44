package org.pstore.panic;

/**
 * Times and sizes written into a {@link LineBuffer} without allocating: the report prints them at panic
 * time, when {@code Instant.toString()} or {@code String.format} may find no heap.
 */
final class Formats {
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Formats() {
    }

    /** ISO-8601 in UTC with milliseconds, as {@code Instant.toString()} prints it: {@code 2026-12-01T10:00:00.123Z}. */
    static LineBuffer isoTime(LineBuffer line, long epochMillis) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        long ofDay = Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // civil_from_days (Howard Hinnant): proleptic Gregorian calendar from days since 1970-01-01
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        padded(line, year, 4).append('-');
        padded(line, month, 2).append('-');
        padded(line, day, 2).append('T');
        padded(line, ofDay / 3_600_000, 2).append(':');
        padded(line, ofDay / 60_000 % 60, 2).append(':');
        padded(line, ofDay / 1000 % 60, 2).append('.');
        return padded(line, ofDay % 1000, 3).append('Z');
    }

    /** Seconds with microseconds, as the capture ring's line prefix shows uptime: {@code 12.345678}. */
    static LineBuffer seconds(LineBuffer line, long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        line.append(micros / 1_000_000).append('.');
        return padded(line, micros % 1_000_000, 6);
    }

    /** A size in binary units with one decimal: {@code 512 B}, {@code 21.1 MiB}, {@code 6.0 GiB}. */
    static LineBuffer bytes(LineBuffer line, long bytes) {
        if (bytes < 0) {
            return line.append("unknown");
        }
        if (bytes < 1024) {
            return line.append(bytes).append(" B");
        }
        int unit = 0;
        long whole = bytes;
        while (whole >= 1024 * 1024 && unit < UNITS.length - 2) {
            whole >>= 10;
            unit++;
        }
        // whole is in [1024, 1024^2) of units[unit]: one decimal of units[unit + 1], rounded
        long tenths = (whole * 10 + 512) / 1024;
        return line.append(tenths / 10).append('.').append(tenths % 10).append(' ').append(UNITS[unit + 1]);
    }

    /** {@code value} in decimal, left-padded with zeros to {@code width} digits. */
    static LineBuffer padded(LineBuffer line, long value, int width) {
        long v = Math.max(0, value);
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            line.append('0');
        }
        return line.append(v);
    }
}
