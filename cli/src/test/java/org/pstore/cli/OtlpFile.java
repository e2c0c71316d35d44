package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

/**
 * OTLP/JSON Lines read with the official bindings: every line parsed strictly (an unknown field fails) into
 * a LogsData, each line checked to be under 1 MiB; the log records with their resource.
 */
final class OtlpFile {
    /** A log record and the resource attributes of its ResourceLogs. */
    record Log(Map<String, AnyValue> resource, LogRecord record) {
        Map<String, AnyValue> attributes() {
            return map(record.getAttributesList());
        }

        String attr(String key) {
            AnyValue v = attributes().get(key);
            return v == null ? null : text(v);
        }

        String res(String key) {
            AnyValue v = resource.get(key);
            return v == null ? null : text(v);
        }

        String uid() {
            return attr("log.record.uid");
        }

        String body() {
            return record.getBody().getStringValue();
        }
    }

    final List<String> lines;
    final List<LogsData> data = new ArrayList<>();
    final List<Log> logs = new ArrayList<>();

    private OtlpFile(List<String> lines) {
        this.lines = lines;
        for (String line : lines) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length + 1).as("a line with its newline is under 1 MiB").isLessThan(1 << 20);
            LogsData.Builder b = LogsData.newBuilder();
            try {
                JsonFormat.parser().merge(line, b); // strict: no ignoringUnknownFields()
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("not a LogsData: " + e.getMessage() + "\n" + line.substring(0, Math.min(500, line.length())), e);
            }
            LogsData d = b.build();
            data.add(d);
            for (ResourceLogs rl : d.getResourceLogsList()) {
                Map<String, AnyValue> res = map(rl.getResource().getAttributesList());
                for (ScopeLogs sl : rl.getScopeLogsList()) {
                    assertThat(sl.getScope().getName()).isEqualTo("org.pstore");
                    for (LogRecord r : sl.getLogRecordsList()) {
                        logs.add(new Log(res, r));
                    }
                }
            }
        }
    }

    static OtlpFile of(String text) {
        assertThat(text).as("JSON Lines end with a newline").endsWith("\n");
        return new OtlpFile(text.lines().toList());
    }

    static OtlpFile of(Path file) throws Exception {
        return of(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Every .jsonl file in {@code dir}, in name order, as one. */
    static OtlpFile ofDirectory(Path dir) throws Exception {
        List<String> all = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                all.addAll(of(f).lines);
            }
        }
        return new OtlpFile(all);
    }

    List<Log> ofType(String type) {
        return logs.stream().filter(l -> type.equals(l.attr("pstore.type"))).toList();
    }

    static Map<String, AnyValue> map(List<KeyValue> kvs) {
        Map<String, AnyValue> m = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            assertThat(m.put(kv.getKey(), kv.getValue())).as("attribute keys are unique: " + kv.getKey()).isNull();
        }
        return m;
    }

    static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            default -> v.toString();
        };
    }
}
