package org.pstore;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads settings as a person writes them: sizes like {@code 64k}, {@code 8m}, {@code 1g} (or plain bytes),
 * durations like {@code 10s}, {@code 500ms}, {@code 2m} (a plain number is milliseconds). Each setting comes
 * from an agent option ({@code kmsgBytes}, the name without {@code pstore.}), else a system property
 * ({@code pstore.kmsgBytes}), else the environment ({@code PSTORE_KMSG_BYTES}).
 */
final class Settings {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?)(i?b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    static final String PREFIX = "pstore.";

    private final Map<String, String> options;
    private final Function<String, String> properties;
    private final Map<String, String> environment;
    private final java.util.Set<String> known = new java.util.LinkedHashSet<>();

    Settings(Map<String, String> options, Function<String, String> properties, Map<String, String> environment) {
        this.options = options;
        this.properties = properties;
        this.environment = environment;
    }

    /** The option names asked for so far, e.g. {@code dir, mode, ...}. */
    java.util.Set<String> known() {
        return known;
    }

    /** {@code pstore.panic.exitStatus} -> {@code PSTORE_PANIC_EXIT_STATUS}. */
    static String environmentName(String property) {
        return property.replace('.', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** The raw value and where it came from, or null when unset. */
    Source get(String property) {
        String option = property.substring(PREFIX.length());
        known.add(option);
        String v = options.get(option);
        if (v != null) {
            return new Source(property, v.trim(), "agent option " + option);
        }
        v = properties.apply(property);
        if (v != null && !v.isBlank()) {
            return new Source(property, v.trim(), "system property " + property);
        }
        String env = environmentName(property);
        v = environment.get(env);
        if (v != null && !v.isBlank()) {
            return new Source(property, v.trim(), "environment variable " + env);
        }
        return null;
    }

    record Source(String property, String value, String origin) {
        IllegalArgumentException bad(String expected) {
            // the value as typed, on one line: a newline in it would forge a line of its own
            String shown = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replaceAll("\\p{Cntrl}", "?");
            return new IllegalArgumentException("bad setting " + property + "=" + shown + " (" + origin + "): expected " + expected);
        }
    }

    static long size(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k":
                return n << 10;
            case "m":
                return n << 20;
            case "g":
                return n << 30;
            default:
                return n;
        }
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        switch (unit) {
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofMillis(n);
        }
    }

    static boolean bool(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
            case "1":
                return true;
            case "false":
            case "no":
            case "off":
            case "0":
                return false;
            default:
                throw new IllegalArgumentException("not a boolean");
        }
    }
}
