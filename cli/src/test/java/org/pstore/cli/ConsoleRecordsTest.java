package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.boot.Boot;

/** A console record names the run that wrote it (pid, host, JVM, boot id), or says it does not know (null). */
class ConsoleRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void consoleRecordsCarryTheirRunsIdentityOrNull() throws Exception {
        Path dir = tmp.resolve("store");
        Boot.Booted first = Boot.open(SmallStore.config(dir).build());
        first.ring().println("INFO app: only console lines in this run");
        first.console().drain();
        first.close();
        SmallStore store = SmallStore.write(dir);

        JsonNode all = JSON.readTree(store.pstore("list", "--json").out);
        JsonNode pmsg = find(all, "pmsg-efi-" + store.pmsgId);
        JsonNode second = find(all, "console-efi-2000000000");
        assertThat(second.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(second.get("host")).isEqualTo(pmsg.get("host"));
        assertThat(second.get("jvm")).isEqualTo(pmsg.get("jvm"));
        assertThat(second.get("bootId")).isEqualTo(pmsg.get("bootId"));

        JsonNode earlier = find(all, "console-efi-1000000000");
        assertThat(earlier.get("pid").isNull()).as("%s: no record of that run says", earlier).isTrue();
        assertThat(earlier.get("host").isNull()).isTrue();
        assertThat(earlier.get("jvm").isNull()).isTrue();
    }

    @Test
    void theLastRunsConsoleRecordIsNamedFromTheMarker() throws Exception {
        Path dir = tmp.resolve("store");
        Boot.Booted only = Boot.open(SmallStore.config(dir).build());
        only.ring().println("INFO app: a run that wrote nothing else");
        only.console().drain();
        only.close();
        JsonNode console = find(JSON.readTree(Cli.run("list", "--json", "--dir", dir.toString()).out), "console-efi-1000000000");
        assertThat(console.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(console.get("host").asText()).isNotEmpty();
        assertThat(console.get("jvm").asText()).contains(System.getProperty("java.runtime.version"));
        assertThat(console.get("bootId").isNull()).isFalse();
    }

    @Test
    void tailDoesNotShowARunWhoseConsoleRecordWasErasedAsListDoesNot() throws Exception {
        Path dir = tmp.resolve("store");
        Boot.Booted first = Boot.open(SmallStore.config(dir).build());
        first.ring().println("INFO app: the first run, erased below");
        first.console().drain();
        first.close();
        Boot.Booted second = Boot.open(SmallStore.config(dir).build());
        second.ring().println("INFO app: the second run, kept");
        second.console().drain();
        second.close();
        assertThat(Cli.run("tail", "-n", "0", "--dir", dir.toString()).out).contains("the first run").contains("the second run");

        Cli erase = Cli.run("erase", "console-efi-1000000000", "--dir", dir.toString());
        assertThat(erase.status).as(erase.toString()).isZero();
        assertThat(Cli.run("list", "--dir", dir.toString()).out).doesNotContain("console-efi-1000000000").contains("console-efi-2000000000");
        Cli tail = Cli.run("tail", "-n", "0", "--dir", dir.toString());
        assertThat(tail.status).as(tail.toString()).isZero();
        assertThat(tail.out).doesNotContain("the first run").contains("the second run");
    }

    private static JsonNode find(JsonNode all, String name) {
        for (JsonNode r : all) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no " + name + " in " + all);
    }
}
