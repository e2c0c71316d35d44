package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/: the systemd units pass {@code systemd-analyze verify}, the Kubernetes manifests and the Collector
 * configurations parse, they agree with each other on paths, and the pstore command lines they hold run.
 */
class DeployTest {
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path tmp;

    @Test
    void theSystemdUnitsPassSystemdAnalyzeVerify() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
                "systemd-analyze is missing (Debian's systemd package): the units are not verified here");
        Path units = Files.createDirectory(tmp.resolve("units"));
        List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
        for (String u : List.of("pstore-archive.service", "pstore-ship.service", "pstore-ship.timer")) {
            Files.copy(DEPLOY.resolve("systemd").resolve(u), units.resolve(u));
            cmd.add(units.resolve(u).toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SYSTEMD_UNIT_PATH", units + ":"); // the timer's service is found beside it
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("no warning either (unknown keys, bad values)").isBlank();
    }

    @Test
    void theArchiveRunsBeforeTheApplicationAndTheTimerShipsToWhatTheCollectorReads() throws Exception {
        Map<String, List<String>> archive = unit("pstore-archive.service");
        assertThat(archive.get("Before")).containsExactly("myapp.service");
        assertThat(archive.get("WantedBy")).containsExactly("myapp.service");
        assertThat(archive.get("Type")).containsExactly("oneshot");
        assertThat(archive.get("ExecStart")).singleElement().asString().contains(" archive --to ");
        assertThat(archive.get("ExecStartPre")).singleElement().asString().contains(" export --format otlp --cursor ");
        for (String name : List.of("pstore-archive.service", "pstore-ship.service")) {
            Map<String, List<String>> u = unit(name);
            String store = u.get("Environment").get(0).replace("PSTORE_DIR=", "");
            assertThat(u.get("ConditionPathExists")).as(name + " does nothing before the first boot made the store")
                    .containsExactly(store + "/PSTORE");
        }
        Map<String, List<String>> timer = unit("pstore-ship.timer");
        assertThat(timer.get("Unit")).containsExactly("pstore-ship.service");
        String ship = unit("pstore-ship.service").get("ExecStart").get(0);
        assertThat(ship).isEqualTo(archive.get("ExecStartPre").get(0).substring(1)).as("the same cursor, the same directory");

        JsonNode collector = YAML.readTree(DEPLOY.resolve("collector/pstore.yaml").toFile());
        checkCollector(collector, option(ship, "--out"));
    }

    @Test
    void theKubernetesRecipeArchivesBeforeTheApplicationAndTheCollectorSidecarReadsTheShippedFiles() throws Exception {
        List<JsonNode> docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(DEPLOY.resolve("kubernetes/pstore.yaml").toFile()).readAll();
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("StatefulSet", "ConfigMap");
        JsonNode pod = docs.get(0).path("spec").path("template").path("spec");
        JsonNode init = pod.path("initContainers");
        assertThat(init.get(0).path("name").asText()).isEqualTo("pstore-archive");
        String archive = init.get(0).path("command").get(2).asText();
        assertThat(archive).contains(" archive --to ");
        assertThat(init.get(1).path("name").asText()).isEqualTo("pstore-ship");
        assertThat(init.get(1).path("restartPolicy").asText()).as("a native sidecar").isEqualTo("Always");
        String ship = init.get(1).path("command").get(2).asText();
        String app = storeDir(pod.path("containers").get(0));
        assertThat(archive).as("the first start, before any store, is not a failure").startsWith("if [ ! -e " + app + "/PSTORE ]; then")
                .contains("exit 0; fi;");
        assertThat(storeDir(init.get(0))).isEqualTo(app);
        assertThat(storeDir(init.get(1))).isEqualTo(app);
        JsonNode collectorContainer = pod.path("containers").get(1);
        assertThat(collectorContainer.path("image").asText()).startsWith("otel/opentelemetry-collector-contrib:");
        assertThat(mountOf(collectorContainer, "pstore")).isEqualTo(mountOf(pod.path("containers").get(0), "pstore"));
        assertThat(docs.get(0).path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText())
                .as("the store outlives the pod").isEqualTo("pstore");
        assertThat(collectorContainer.path("args").get(0).asText()).isEqualTo("--config=/etc/otelcol-contrib/pstore.yaml");
        JsonNode config = YAML.readTree(docs.get(1).path("data").path("pstore.yaml").asText());
        checkCollector(config, option(ship, "--out"));
    }

    /** The pstore command lines of deploy/, run on a real store with their paths moved under a temporary directory. */
    @Test
    void thePstoreCommandLinesInDeployRun() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(unit("pstore-archive.service").get("ExecStartPre").get(0).substring(1));
        lines.add(unit("pstore-ship.service").get("ExecStart").get(0));
        lines.add(unit("pstore-archive.service").get("ExecStart").get(0));
        List<JsonNode> docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(DEPLOY.resolve("kubernetes/pstore.yaml").toFile()).readAll();
        JsonNode init = docs.get(0).path("spec").path("template").path("spec").path("initContainers");
        for (String part : (init.get(1).path("command").get(2).asText() + ";" + init.get(0).path("command").get(2).asText()).split(";")) {
            if (part.contains("pstore-cli.jar")) {
                lines.add(part.replace("exec ", "").strip());
            }
        }
        SmallStore.write(tmp.resolve("var/lib/myapp/pstore"));
        Crashes.copy(tmp.resolve("var/lib/myapp/pstore"), tmp.resolve("pstore/store"));
        for (String line : lines) {
            String[] words = line.substring(line.indexOf("pstore-cli.jar") + "pstore-cli.jar".length()).strip().split("\\s+");
            List<String> args = new ArrayList<>();
            for (String w : words) {
                args.add(w.startsWith("/") ? tmp + w : w);
            }
            args.add("--dir");
            args.add(line.contains("/pstore/") && !line.contains("/var/lib/") ? tmp + "/pstore/store" : tmp + "/var/lib/myapp/pstore");
            Cli c = Cli.run(args.toArray(new String[0]));
            assertThat(c.status).as(line + "\n" + c).isZero();
        }
        assertThat(Files.list(tmp.resolve("var/lib/pstore/myapp/export")).count()).as("shipped once, then nothing new").isEqualTo(1);
        assertThat(tmp.resolve("var/lib/pstore/myapp/archive/boot-1/panic-1/dmesg.txt")).exists();
        assertThat(tmp.resolve("pstore/archive/boot-1")).exists();
    }

    private static void checkCollector(JsonNode c, String exportDir) {
        JsonNode receiver = c.path("receivers").path("otlp_json_file");
        assertThat(receiver.path("start_at").asText()).isEqualTo("beginning");
        assertThat(receiver.path("storage").asText()).isEqualTo("file_storage");
        assertThat(c.path("extensions").path("file_storage").path("directory").asText()).isNotBlank();
        assertThat(c.path("service").path("extensions").toString()).contains("\"file_storage\"");
        JsonNode logs = c.path("service").path("pipelines").path("logs");
        assertThat(logs.path("receivers").toString()).isEqualTo("[\"otlp_json_file\"]");
        for (JsonNode e : logs.path("exporters")) {
            assertThat(c.path("exporters").has(e.asText())).as("exporter " + e + " is configured").isTrue();
        }
        for (JsonNode p : logs.path("processors")) {
            assertThat(c.path("processors").has(p.asText())).as("processor " + p + " is configured").isTrue();
        }
        Path file = Path.of(exportDir).resolve("pstore-20261201T100000Z-0a1b2c3d-000001.jsonl");
        boolean read = false;
        for (JsonNode glob : receiver.path("include")) {
            read |= FileSystems.getDefault().getPathMatcher("glob:" + glob.asText()).matches(file);
        }
        assertThat(read).as("the receiver's include reads what export --out " + exportDir + " writes").isTrue();
    }

    private static String option(String commandLine, String name) {
        List<String> words = Arrays.asList(commandLine.split("\\s+"));
        return words.get(words.indexOf(name) + 1).replace(";", "");
    }

    private static String storeDir(JsonNode container) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals("PSTORE_DIR")) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no PSTORE_DIR in " + container.path("name"));
    }

    private static String mountOf(JsonNode container, String volume) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("name").asText().equals(volume)) {
                return m.path("mountPath").asText();
            }
        }
        throw new AssertionError("no mount of " + volume + " in " + container.path("name"));
    }

    /** A unit file's settings, each key with its values in order (comments and sections left out). */
    private static Map<String, List<String>> unit(String name) throws Exception {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DEPLOY.resolve("systemd").resolve(name))) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("[")) {
                continue;
            }
            int eq = line.indexOf('=');
            settings.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return settings;
    }
}
