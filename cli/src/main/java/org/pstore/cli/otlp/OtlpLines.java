package org.pstore.cli.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import org.pstore.cli.CliException;
import org.pstore.cli.output.RecordJson;

/**
 * Writes log records as OTLP/JSON Lines, the OpenTelemetry file exporter's format: each line one complete
 * {@code LogsData}, records of one run sharing its ResourceLogs, every line (newline included) under
 * {@link #MAX_LINE_BYTES}, which is what the Collector's file receivers take as one entry by default. A record
 * too large for a line goes as pieces of its body, each naming its place ({@code pstore.chunk} of
 * {@code pstore.chunks}). Keys are lowerCamelCase, enums integers and 64-bit integers decimal strings, as
 * OTLP/JSON requires.
 */
public final class OtlpLines {
    /** One byte under 1 MiB, the newline included. */
    public static final int MAX_LINE_BYTES = (1 << 20) - 1;
    static final String SCOPE = "org.pstore";

    private final OutputStream out;
    private final int maxLine;
    private final String observed;
    private final String scopeVersion;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
    /** One generator for every record, each a root value of its own (no separator): made once, not per record. */
    private final JsonGenerator r;
    private final List<byte[]> pending = new ArrayList<>();
    private Run run;
    private byte[] head;
    private int size;
    private long lines;
    private long records;

    /**
     * @param observedNanos the time of the export (every record's observedTimeUnixNano)
     * @param scopeVersion  the version of pstore writing (the instrumentation scope's)
     */
    public OtlpLines(OutputStream out, long observedNanos, String scopeVersion) throws IOException {
        this(out, observedNanos, scopeVersion, MAX_LINE_BYTES);
    }

    OtlpLines(OutputStream out, long observedNanos, String scopeVersion, int maxLine) throws IOException {
        this.out = out;
        this.maxLine = maxLine;
        this.observed = Long.toString(observedNanos);
        this.scopeVersion = scopeVersion;
        this.r = RecordJson.generator(buf);
    }

    private static final byte[] TAIL = "]}]}]}\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Adds a record to the current line, or starts a new one; cuts it in pieces when it cannot fit any line. */
    public void add(LogEntry e) throws IOException {
        byte[] record = encode(e);
        byte[] h = e.run().equals(run) ? head : head(e.run());
        int room = maxLine - h.length - TAIL.length;
        if (record.length > room) {
            addInPieces(e, record.length, room);
            return;
        }
        if (!e.run().equals(run) || size + 1 + record.length > room) {
            endLine();
            run = e.run();
            head = h;
        }
        size += (pending.isEmpty() ? 0 : 1) + record.length;
        pending.add(record);
        records++;
    }

    private void addInPieces(LogEntry e, int encoded, int room) throws IOException {
        int n = Math.max(2, (int) Math.ceil(encoded / (room * 0.9)));
        while (n <= Math.max(2, e.bodyLength())) {
            int[] cuts = e.cuts(n);
            List<LogEntry> pieces = new ArrayList<>(n);
            boolean fit = true;
            for (int i = 0; i < n && fit; i++) {
                LogEntry piece = e.piece(i + 1, n, cuts[i], cuts[i + 1]);
                fit = encode(piece).length <= room;
                pieces.add(piece);
            }
            if (fit) {
                for (LogEntry piece : pieces) {
                    add(piece);
                }
                return;
            }
            n *= 2;
        }
        throw new CliException("a record of " + e.run().service() + " (" + e.uid() + ") cannot be cut to fit a line of "
                + maxLine + " bytes: its attributes alone are larger");
    }

    /** Whether {@code e} fits one line whole (else {@link #add} would cut it in pieces). */
    public boolean fits(LogEntry e) throws IOException {
        return encode(e).length <= maxLine - head(e.run()).length - TAIL.length;
    }

    /** Ends the current line. */
    public void endLine() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        out.write(head);
        for (int i = 0; i < pending.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(pending.get(i));
        }
        out.write(TAIL);
        pending.clear();
        size = 0;
        lines++;
    }

    public long lines() {
        return lines;
    }

    public long records() {
        return records;
    }

    /** Everything a line holds before its first record; a generator of its own, left inside the open arrays. */
    private byte[] head(Run r) throws IOException {
        JsonGenerator g = RecordJson.generator(buf);
        g.writeStartObject();
        g.writeArrayFieldStart("resourceLogs");
        g.writeStartObject();
        g.writeObjectFieldStart("resource");
        attributes(g, r.attributes());
        g.writeEndObject();
        g.writeArrayFieldStart("scopeLogs");
        g.writeStartObject();
        g.writeObjectFieldStart("scope");
        g.writeStringField("name", SCOPE);
        g.writeStringField("version", scopeVersion);
        g.writeEndObject();
        g.writeArrayFieldStart("logRecords");
        g.flush();
        byte[] bytes = buf.toByteArray();
        buf.reset();
        return bytes;
    }

    private byte[] encode(LogEntry e) throws IOException {
        r.writeStartObject();
        if (e.timeNanos() > 0) {
            r.writeStringField("timeUnixNano", Long.toUnsignedString(e.timeNanos()));
        }
        r.writeStringField("observedTimeUnixNano", observed);
        if (e.severity() != Severity.UNSPECIFIED) {
            r.writeNumberField("severityNumber", e.severity().number());
            r.writeStringField("severityText", e.severity().text());
        }
        r.writeObjectFieldStart("body");
        if (e.text() != null) {
            r.writeStringField("stringValue", e.text());
        } else {
            r.writeBinaryField("bytesValue", e.bytes() == null ? new byte[0] : e.bytes());
        }
        r.writeEndObject();
        List<Attribute> all = new ArrayList<>(e.attributes());
        all.addAll(e.about());
        all.add(Attribute.of("log.record.uid", e.uid()));
        attributes(r, all);
        if (e.eventName() != null) {
            r.writeStringField("eventName", e.eventName());
        }
        r.writeEndObject();
        r.flush();
        byte[] bytes = buf.toByteArray();
        buf.reset();
        return bytes;
    }

    private static void attributes(JsonGenerator g, List<Attribute> attributes) throws IOException {
        g.writeArrayFieldStart("attributes");
        for (Attribute a : attributes) {
            g.writeStartObject();
            g.writeStringField("key", a.key());
            g.writeObjectFieldStart("value");
            Object v = a.value();
            if (v instanceof String s) {
                g.writeStringField("stringValue", s);
            } else if (v instanceof Long n) {
                g.writeStringField("intValue", Long.toString(n));
            } else if (v instanceof Boolean b) {
                g.writeBooleanField("boolValue", b);
            } else if (v instanceof byte[] b) {
                g.writeBinaryField("bytesValue", b);
            } else {
                throw new IllegalArgumentException("attribute " + a.key() + ": " + v);
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
