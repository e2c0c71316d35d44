package org.pstore.cli.otlp;

/**
 * One key and its value, as OTLP's KeyValue carries it: a string, a 64-bit integer, a boolean or bytes.
 *
 * @param value a {@code String}, {@code Long}, {@code Boolean} or {@code byte[]}
 */
public record Attribute(String key, Object value) {
    public static Attribute of(String key, String value) {
        return new Attribute(key, value);
    }

    public static Attribute of(String key, long value) {
        return new Attribute(key, value);
    }

    public static Attribute of(String key, boolean value) {
        return new Attribute(key, value);
    }
}
