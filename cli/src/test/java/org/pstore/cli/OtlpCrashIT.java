package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;

/**
 * The OTLP export of a store a real crash made (the demo application's uncaught exception, on every JDK
 * installed), every line parsed strictly by the official bindings and the mapping checked field by field.
 */
class OtlpCrashIT {
    @TempDir
    Path tmp;

    static Stream<Jdks.Jdk> jdks() {
        return Jdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aRealCrashExportsAsOpenTelemetryLogs(Jdks.Jdk jdk) throws Exception {
        Path dir = tmp.resolve("store");
        long before = System.currentTimeMillis();
        JvmFork.Child app = Crashes.crash(tmp.resolve("app"), dir, "exception", jdk);
        long pid = app.pid();
        Crashes.awaitCrash(app, dir);
        JsonNode list = new ObjectMapper().readTree(Cli.run("list", "--json", "--dir", dir.toString()).out);
        JsonNode panic = stream(list).filter(r -> "panic".equals(r.path("reason").asText())).findFirst().orElseThrow();

        Cli c = Cli.run("export", "--format", "otlp", "--dir", dir.toString());
        assertThat(c.status).as(c.toString()).isZero();
        OtlpFile otlp = OtlpFile.of(c.out);

        assertThat(otlp.logs).allSatisfy(l -> {
            assertThat(l.res("service.name")).as("pstore.service, recorded at boot").isEqualTo("checkout");
            assertThat(l.res("service.instance.id")).isEqualTo(panic.path("bootId").asText());
            assertThat(l.res("host.name")).isEqualTo(panic.path("host").asText());
            assertThat(l.res("process.pid")).isEqualTo(Long.toString(pid));
            assertThat(l.res("process.runtime.version")).startsWith(Integer.toString(jdk.feature()));
            assertThat(l.res("process.runtime.name")).contains("VM");
        });

        List<OtlpFile.Log> crash = otlp.ofType("dmesg");
        assertThat(crash).as("the crash is one record").hasSize(1);
        OtlpFile.Log r = crash.get(0);
        assertThat(r.record().getEventName()).isEqualTo("pstore.panic");
        assertThat(r.record().getSeverityNumberValue()).isEqualTo(21);
        assertThat(r.record().getSeverityText()).isEqualTo("FATAL");
        assertThat(r.record().getTimeUnixNano()).isEqualTo(Instant.parse(panic.path("time").asText()).toEpochMilli() * 1_000_000L);
        assertThat(r.record().getObservedTimeUnixNano()).isGreaterThan(r.record().getTimeUnixNano());
        assertThat(r.attr("pstore.record.name")).isEqualTo(panic.path("name").asText());
        assertThat(r.attr("pstore.reason")).isEqualTo("panic");
        assertThat(r.attr("pstore.count")).isEqualTo("1");
        assertThat(r.attr("pstore.boot")).isEqualTo(panic.path("boot").asText());
        assertThat(r.attr("pstore.location")).isEqualTo("store");
        assertThat(r.attr("exception.type")).isEqualTo("java.lang.IllegalStateException");
        assertThat(r.attr("exception.message")).isEqualTo("demo: nobody catches this");
        assertThat(r.attr("exception.stacktrace")).startsWith("java.lang.IllegalStateException: demo: nobody catches this\n\tat ")
                .contains("\tat org.pstore.cli.demo.DemoApp.crash(DemoApp.java:").doesNotContain("[    ");
        assertThat(r.body()).contains("JVM panic - not syncing: uncaught exception in main thread").contains("INFO demo.app: tick 200");

        List<OtlpFile.Log> pmsg = otlp.ofType("pmsg");
        assertThat(pmsg).extracting(OtlpFile.Log::body).contains("checkpoint after tick 50", "checkpoint after tick 200");
        assertThat(pmsg).allSatisfy(m -> assertThat(m.record().getSeverityNumberValue()).isEqualTo(9));

        List<OtlpFile.Log> console = otlp.ofType("console");
        OtlpFile.Log last = console.stream().filter(l -> l.body().endsWith("INFO demo.app: tick 200")).findFirst().orElseThrow();
        long tick200 = last.record().getTimeUnixNano();
        assertThat(tick200).as("timed by the report's Time: line, before the crash").isBetween(before * 1_000_000L, r.record().getTimeUnixNano());
        assertThat(console).allSatisfy(l -> {
            assertThat(l.record().getTimeUnixNano() / 1_000_000L).isBetween(before, r.record().getTimeUnixNano() / 1_000_000L + 1000);
            assertThat(l.body()).doesNotContain("\n");
            assertThat(l.record().getEventName()).isEmpty();
        });
        List<Long> ticks = console.stream().filter(l -> l.body().contains("INFO demo.app: tick ")).map(l -> l.record().getTimeUnixNano()).toList();
        assertThat(ticks).hasSize(200).isSorted();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
