package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.logs.v1.LogsData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.PstoreConfig;
import org.pstore.boot.Boot;
import org.pstore.panic.DumpReason;

/** export --format otlp over real stores written in this JVM, read back with the official OTLP bindings. */
class OtlpExportTest {
    @TempDir
    Path tmp;

    @Test
    void everyLineIsALogsDataTheOfficialBindingsParseStrictly() throws Exception {
        SmallStore store = SmallStore.write(tmp.resolve("store"));
        Cli c = store.pstore("export", "--format", "otlp");
        assertThat(c.status).as(c.toString()).isZero();
        OtlpFile otlp = OtlpFile.of(c.out);

        assertThat(otlp.ofType("pmsg")).hasSize(2);
        OtlpFile.Log text = otlp.ofType("pmsg").stream().filter(l -> l.record().getBody().hasStringValue()).findFirst().orElseThrow();
        assertThat(text.body()).isEqualTo("checkpoint 1");
        assertThat(text.record().getEventName()).isEqualTo("pstore.pmsg");
        assertThat(text.record().getSeverityNumberValue()).isEqualTo(9);
        assertThat(text.attr("pstore.record.name")).isEqualTo("pmsg-efi-" + store.pmsgId);
        OtlpFile.Log binary = otlp.ofType("pmsg").stream().filter(l -> l.record().getBody().hasBytesValue()).findFirst().orElseThrow();
        assertThat(binary.record().getBody().getBytesValue().toByteArray()).containsExactly(0xff, 0, 0xfe, 1);

        List<OtlpFile.Log> dumps = otlp.ofType("dmesg");
        assertThat(dumps).as("the dump is one record, all its parts oldest first").hasSize(1);
        OtlpFile.Log dump = dumps.get(0);
        assertThat(dump.record().getSeverityNumberValue()).isEqualTo(21);
        assertThat(dump.record().getSeverityText()).isEqualTo("FATAL");
        assertThat(dump.record().getEventName()).isEqualTo("pstore.panic");
        assertThat(dump.attr("pstore.reason")).isEqualTo("panic");
        assertThat(dump.attr("pstore.count")).isEqualTo("1");
        assertThat(Integer.parseInt(dump.attr("pstore.parts"))).isGreaterThan(1);
        assertThat(dump.body()).isEqualTo(asStored(store.pstore("show", "--panic", "1").out));

        List<OtlpFile.Log> console = otlp.ofType("console");
        String journal = asStored(store.pstore("show", "console-efi-1000000000").out);
        assertThat(console).as("one record per line of the journal").hasSize((int) journal.lines().count());
        assertThat(console.stream().map(OtlpFile.Log::body).collect(Collectors.joining("\n", "", "\n"))).isEqualTo(journal);
        assertThat(console).allSatisfy(l -> {
            assertThat(l.record().getSeverityNumberValue()).isEqualTo(9);
            assertThat(l.record().getTimeUnixNano()).as("each line has its own time").isPositive();
            assertThat(l.record().getObservedTimeUnixNano()).isGreaterThanOrEqualTo(l.record().getTimeUnixNano());
        });
        assertThat(console.stream().map(l -> l.record().getTimeUnixNano()).distinct().count()).as("lines are timed one by one").isGreaterThan(100);

        assertThat(otlp.logs).allSatisfy(l -> {
            assertThat(l.res("service.name")).isEqualTo("unknown_service:java");
            assertThat(l.res("process.pid")).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(l.res("process.runtime.version")).isEqualTo(System.getProperty("java.runtime.version"));
            assertThat(l.res("host.name")).isNotBlank();
            assertThat(l.res("service.instance.id")).matches("[0-9a-f-]{36}");
        });
        assertThat(otlp.logs.stream().map(OtlpFile.Log::uid).distinct().count()).as("uids are unique").isEqualTo(otlp.logs.size());
    }

    @Test
    void enumsAreIntegersAnd64BitIntegersDecimalStringsAsOtlpJsonRequires() {
        SmallStore store = SmallStore.write(tmp.resolve("store"));
        String line = store.pstore("export", "--format", "otlp").out.lines().findFirst().orElseThrow();
        assertThat(line).contains("\"severityNumber\":21").contains("\"severityNumber\":9").doesNotContain("SEVERITY_NUMBER")
                .containsPattern("\"timeUnixNano\":\"\\d{19}\"").containsPattern("\"intValue\":\"\\d+\"")
                .doesNotContain("time_unix_nano").doesNotContain("\"traceId\"");
        String unknown = line.replaceFirst("\\{\"timeUnixNano\"", "{\"crashedAt\":1,\"timeUnixNano\"");
        assertThatThrownBy(() -> JsonFormat.parser().merge(unknown, LogsData.newBuilder()))
                .as("the check is strict: an unknown field is refused").isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void theServiceNameIsTheOptionElseTheBootsElseUnknown() throws Exception {
        Path dir = tmp.resolve("store");
        Boot.Booted b = Boot.open(SmallStore.config(dir).service("checkout").build());
        try {
            b.pmsg().write("hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
        } finally {
            b.close();
        }
        assertThat(OtlpFile.of(Cli.run("export", "--format", "otlp", "--dir", dir.toString()).out).logs)
                .allSatisfy(l -> assertThat(l.res("service.name")).isEqualTo("checkout"));
        assertThat(OtlpFile.of(Cli.run("export", "--format", "otlp", "--service", "orders", "--dir", dir.toString()).out).logs)
                .allSatisfy(l -> assertThat(l.res("service.name")).isEqualTo("orders"));
        Cli bad = Cli.run("export", "--service", "orders", "--dir", dir.toString());
        assertThat(bad.status).isEqualTo(2);
        assertThat(bad.err).startsWith("pstore: --service goes with --format otlp");
    }

    @Test
    void aDumpLargerThanALineGoesAsItsPartsEachNamingTheDumpAndThePart() throws Exception {
        Path dir = tmp.resolve("big");
        Boot.Booted b = Boot.open(PstoreConfig.builder().dir(dir).kmsgBytes(2 << 20).recordSize(256 << 10)
                .capacity(64 << 20).reserve(8 << 20).build());
        try {
            for (int i = 0; i < 30_000; i++) {
                b.ring().println("INFO app: order " + i + " accepted " + "-".repeat(60));
            }
            b.dumper().dump(DumpReason.PANIC, System.currentTimeMillis());
        } finally {
            b.close();
        }
        Path out = tmp.resolve("big.jsonl");
        Cli c = Cli.run("export", "--format", "otlp", "--out", out.toString(), "--dir", dir.toString());
        assertThat(c.status).as(c.toString()).isZero();
        assertThat(Files.size(out)).as("more than a line holds").isGreaterThan(2L << 20);
        OtlpFile otlp = OtlpFile.of(out);
        List<OtlpFile.Log> parts = otlp.ofType("dmesg");
        assertThat(parts.size()).isGreaterThan(4);
        assertThat(parts).allSatisfy(p -> {
            assertThat(p.attr("pstore.reason")).isEqualTo("panic");
            assertThat(p.attr("pstore.count")).isEqualTo("1");
            assertThat(p.attr("pstore.part")).isNotNull();
            assertThat(p.attr("pstore.parts")).isEqualTo(Integer.toString(parts.size()));
            assertThat(p.body()).startsWith("Panic#1 Part#" + p.attr("pstore.part") + "\n");
        });
        String whole = parts.stream().sorted((x, y) -> Integer.parseInt(y.attr("pstore.part")) - Integer.parseInt(x.attr("pstore.part")))
                .map(OtlpFile.Log::body).collect(Collectors.joining());
        assertThat(whole).isEqualTo(asStored(Cli.run("show", "--panic", "1", "--dir", dir.toString()).out));
    }

    @Test
    void aRecordLargerThanALineIsCutInPiecesThatJoinUp() throws Exception {
        Path dir = tmp.resolve("pieces");
        byte[] blob = new byte[900 << 10];
        new java.util.Random(7).nextBytes(blob);
        Boot.Booted b = Boot.open(PstoreConfig.builder().dir(dir).recordSize(1 << 20).kmsgBytes(64 << 10)
                .capacity(64 << 20).reserve(4 << 20).pmsgBytes(8 << 20).build());
        try {
            b.pmsg().write(blob, 0, blob.length);
        } finally {
            b.close();
        }
        OtlpFile otlp = OtlpFile.of(Cli.run("export", "--format", "otlp", "--dir", dir.toString()).out);
        List<OtlpFile.Log> pieces = otlp.ofType("pmsg");
        assertThat(pieces.size()).as("900 KiB in base64 does not fit 1 MiB with room to spare").isGreaterThan(1);
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (int i = 1; i <= pieces.size(); i++) {
            String n = Integer.toString(i);
            OtlpFile.Log piece = pieces.stream().filter(p -> n.equals(p.attr("pstore.chunk"))).findFirst().orElseThrow();
            assertThat(piece.attr("pstore.chunks")).isEqualTo(Integer.toString(pieces.size()));
            joined.write(piece.record().getBody().getBytesValue().toByteArray());
        }
        assertThat(joined.toByteArray()).isEqualTo(blob);
    }

    /** show's text without the UTC time it puts before each line's uptime: the lines as stored. */
    static String asStored(String shown) {
        return shown.replaceAll("(?m)^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z (\\[)", "$1");
    }

    @Test
    void aCursorGoesWithOtlpAndADirectory() {
        SmallStore store = SmallStore.write(tmp.resolve("store"));
        Cli noFormat = store.pstore("export", "--cursor", tmp.resolve("c").toString(), "--out", tmp.toString());
        assertThat(noFormat.status).isEqualTo(2);
        assertThat(noFormat.err).startsWith("pstore: --cursor goes with --format otlp");
        Cli noOut = store.pstore("export", "--format", "otlp", "--cursor", tmp.resolve("c").toString());
        assertThat(noOut.status).isEqualTo(2);
        assertThat(noOut.err).startsWith("pstore: --cursor needs --out DIR");
    }
}
