package org.pstore.cli.output;

import java.io.IOException;
import java.io.Writer;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import org.pstore.panic.DumpReason;
import org.pstore.reader.Payload;
import org.pstore.record.PstoreRecord;

/**
 * The JSON form of a record: the schema documented in the README. Field names and meanings are stable;
 * new fields may be added.
 */
public final class RecordJson {
    private static final JsonFactory JSON = new JsonFactory();

    private RecordJson() {
    }

    public static JsonGenerator generator(Writer out, boolean pretty) throws IOException {
        JsonGenerator g = JSON.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setCharacterEscapes(ControlEscapes.INSTANCE);
        if (pretty) {
            g.useDefaultPrettyPrinter();
        }
        return g;
    }

    /** A compact generator writing UTF-8 to {@code out}, with the same escapes; it never closes {@code out}. */
    public static JsonGenerator generator(java.io.OutputStream out) throws IOException {
        JsonGenerator g = JSON.createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setCharacterEscapes(ControlEscapes.INSTANCE);
        g.setRootValueSeparator(null);
        return g;
    }

    /** Writes the record's fields (without opening or closing the object). */
    public static void fields(JsonGenerator g, PstoreRecord r) throws IOException {
        g.writeNumberField("id", r.id());
        g.writeStringField("name", r.name());
        g.writeStringField("type", r.typeWord());
        g.writeStringField("backend", r.backend());
        g.writeStringField("time", r.time().toString());
        String reason = reasonWord(r);
        if (reason == null) {
            g.writeNullField("reason");
        } else {
            g.writeStringField("reason", reason);
        }
        g.writeNumberField("count", r.count());
        g.writeNumberField("part", r.part());
        g.writeBooleanField("compressed", r.compressed());
        g.writeNumberField("size", r.size());
        g.writeNumberField("boot", r.bootNumber());
        if (r.bootId() == null) {
            g.writeNullField("bootId");
        } else {
            g.writeStringField("bootId", r.bootId().toString());
        }
        if (r.pid() > 0) {
            g.writeNumberField("pid", r.pid());
        } else {
            g.writeNullField("pid");
        }
        stringOrNull(g, "host", r.host());
        stringOrNull(g, "jvm", r.jvm());
        g.writeStringField("location", r.location().word());
    }

    private static void stringOrNull(JsonGenerator g, String field, String value) throws IOException {
        if (value == null || value.isEmpty()) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    /** Writes {@code payload} (UTF-8 text) or {@code payloadBase64}, and flags a payload that did not decompress. */
    public static void payload(JsonGenerator g, Payload p) throws IOException {
        if (p == null) {
            g.writeNullField("payload");
            return;
        }
        String text = p.stillCompressed() ? null : p.text();
        if (text != null) {
            g.writeStringField("payload", text);
        } else {
            g.writeStringField("payloadBase64", Base64.getEncoder().encodeToString(p.bytes()));
        }
        if (p.stillCompressed()) {
            g.writeBooleanField("decompressFailed", true);
        }
    }

    /**
     * JSON escapes C0 controls already; DEL and the C1 controls (CSI is one) are escaped too, as \u007f and
     * \u009b: the same string values, and no byte that a terminal would act on.
     */
    private static final class ControlEscapes extends CharacterEscapes {
        static final ControlEscapes INSTANCE = new ControlEscapes();
        private final int[] ascii = standardAsciiEscapesForJSON();

        private ControlEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch >= 0x80 && ch <= 0x9f ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }

    /** "panic", "oops", "emerg", "shutdown", or null for records that are not dumps. */
    public static String reasonWord(PstoreRecord r) {
        if (r.reason() <= 0) {
            return null;
        }
        try {
            return DumpReason.ofCode(r.reason()).word();
        } catch (IllegalArgumentException e) {
            return "reason" + r.reason();
        }
    }
}
