package org.pstore.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --since}: an instant (2026-11-23T08:00:00Z), a day (2026-11-23, UTC), or an age (30m, 2h, 7d). */
public final class Times implements ITypeConverter<Instant> {
    private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

    @Override
    public Instant convert(String value) {
        Matcher m = AGE.matcher(value.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(d);
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new TypeConversionException("'" + value + "' is not a time: use 2026-11-23T08:00:00Z, 2026-11-23 or an age such as 2h");
            }
        }
    }
}
