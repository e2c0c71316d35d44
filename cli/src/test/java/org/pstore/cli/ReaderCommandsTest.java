package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.PstoreConfig;
import org.pstore.boot.Boot;
import org.pstore.panic.DumpReason;

/** The reader's commands over a real store written in this JVM (nothing process-wide booted). */
class ReaderCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path store;
    long pmsgId;
    long binaryId;

    @BeforeEach
    void writeAStore() {
        store = tmp.resolve("store");
        Boot.Booted b = Boot.open(PstoreConfig.builder().dir(store).kmsgBytes(16 << 10).recordSize(4 << 10)
                .capacity(2 << 20).reserve(512 << 10).build());
        try {
            for (int i = 1; i <= 300; i++) {
                b.ring().println("INFO app: tick " + i + " " + "-".repeat(30));
            }
            pmsgId = b.pmsg().write("checkpoint 1".getBytes(StandardCharsets.UTF_8), 0, 12);
            byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, 1};
            binaryId = b.pmsg().write(binary, 0, binary.length);
            b.dumper().dump(DumpReason.PANIC, System.currentTimeMillis());
            b.console().drain();
        } finally {
            b.close();
        }
    }

    private Cli pstore(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--dir";
        all[args.length + 1] = store.toString();
        return Cli.run(all);
    }

    @Test
    void listShowsATableForPeople() {
        Cli c = pstore("list");
        assertThat(c.status).as(c.toString()).isZero();
        assertThat(c.out.lines().findFirst().orElseThrow()).startsWith("NAME").contains("TIME", "REASON", "COUNT", "PART", "SIZE", "WHERE");
        assertThat(c.out).contains("pmsg-efi-" + pmsgId).contains("console-efi-1000000000").contains(" panic ");
        assertThat(c.err).isEmpty();
    }

    @Test
    void listJsonFollowsTheSchema() throws Exception {
        Cli c = pstore("list", "--json");
        assertThat(c.status).as(c.toString()).isZero();
        JsonNode all = JSON.readTree(c.out);
        assertThat(all.isArray()).isTrue();
        for (JsonNode r : all) {
            for (String field : List.of("id", "name", "type", "backend", "time", "reason", "count", "part", "compressed",
                    "size", "bootId", "pid")) {
                assertThat(r.has(field)).as("%s has %s", r, field).isTrue();
            }
            assertThat(r.get("type").asText()).isIn("dmesg", "console", "pmsg");
            assertThat(r.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(r.get("name").asText()).isEqualTo(r.get("type").asText() + "-efi-" + r.get("id").asLong());
        }
        JsonNode dmesg = stream(all).filter(r -> r.get("type").asText().equals("dmesg")).findFirst().orElseThrow();
        assertThat(dmesg.get("reason").asText()).isEqualTo("panic");
        assertThat(dmesg.get("compressed").asBoolean()).isTrue();
        JsonNode pmsg = stream(all).filter(r -> r.get("type").asText().equals("pmsg")).findFirst().orElseThrow();
        assertThat(pmsg.get("reason").isNull()).isTrue();
        assertThat(pmsg.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void listFiltersByTypeAndTime() throws Exception {
        JsonNode pmsgs = JSON.readTree(pstore("list", "--json", "--type", "pmsg").out);
        assertThat(stream(pmsgs).map(r -> r.get("type").asText())).containsOnly("pmsg").hasSize(2);
        assertThat(pstore("list", "--since", "2999-01-01").out.strip()).isEqualTo("no records");
        assertThat(JSON.readTree(pstore("list", "--json", "--since", "1h").out)).isNotEmpty();
        Cli bad = pstore("list", "--type", "kmsg");
        assertThat(bad.status).isEqualTo(2);
        assertThat(bad.err.strip()).contains("unknown record type 'kmsg'").doesNotContain("\n");
    }

    @Test
    void showPrintsPayloadsAndWholeDumpsOldestFirst() {
        assertThat(pstore("show", Long.toString(pmsgId)).out).as("a line ends in a newline").isEqualTo("checkpoint 1\n");
        assertThat(pstore("show", "pmsg-efi-" + pmsgId).out).isEqualTo("checkpoint 1\n");
        Cli dump = pstore("show", "--panic", "1");
        assertThat(dump.status).as(dump.toString()).isZero();
        List<String> headers = dump.out.lines().filter(l -> l.startsWith("Panic#1 Part#")).toList();
        assertThat(headers.size()).isGreaterThan(1);
        assertThat(headers.get(0)).isEqualTo("Panic#1 Part#" + headers.size());
        assertThat(headers.get(headers.size() - 1)).isEqualTo("Panic#1 Part#1");
        assertThat(dump.out.stripTrailing()).endsWith("tick 300 " + "-".repeat(30));
    }

    @Test
    void anUnknownRecordIsOneLineAndStatusOne() {
        Cli c = pstore("show", "dmesg-efi-42");
        assertThat(c.status).isEqualTo(1);
        assertThat(c.err).isEqualTo("pstore: no record dmesg-efi-42 in " + store + " (see: pstore list)\n");
        assertThat(pstore("show", "--panic", "9").err).contains("no Panic#9 in");
    }

    @Test
    void exportCarriesPayloadsAsTextOrBase64() throws Exception {
        Cli c = pstore("export");
        assertThat(c.status).as(c.toString()).isZero();
        JsonNode all = JSON.readTree(c.out);
        JsonNode text = stream(all).filter(r -> r.get("id").asLong() == pmsgId).findFirst().orElseThrow();
        assertThat(text.get("payload").asText()).isEqualTo("checkpoint 1");
        JsonNode binary = stream(all).filter(r -> r.get("id").asLong() == binaryId).findFirst().orElseThrow();
        assertThat(binary.has("payload")).isFalse();
        assertThat(Base64.getDecoder().decode(binary.get("payloadBase64").asText())).containsExactly(0xff, 0, 0xfe, 1);
        JsonNode dmesg = stream(all).filter(r -> r.get("type").asText().equals("dmesg")).findFirst().orElseThrow();
        assertThat(dmesg.get("payload").asText()).startsWith("Panic#1 Part#");
    }

    @Test
    void exportJsonlIsOneObjectPerLineAndCanGoToAnOwnerOnlyFile() throws Exception {
        Path file = tmp.resolve("export.jsonl");
        Cli c = pstore("export", "--format", "jsonl", "--out", file.toString());
        assertThat(c.status).as(c.toString()).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSizeGreaterThan(3);
        for (String l : lines) {
            assertThat(JSON.readTree(l).has("name")).isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void archiveCopiesGroupsReassemblesAndThenErases() throws Exception {
        Path to = tmp.resolve("archive");
        Cli c = pstore("archive", "--to", to.toString());
        assertThat(c.status).as(c.toString()).isZero();
        assertThat(c.out).contains("archived").contains("erased");
        Path crash = to.resolve("boot-1/panic-1");
        assertThat(crash.resolve("dmesg.txt")).exists();
        String dmesg = Files.readString(crash.resolve("dmesg.txt"));
        assertThat(dmesg).startsWith("Panic#1 Part#").endsWith("tick 300 " + "-".repeat(30) + "\n");
        assertThat(dmesg.indexOf("Part#1")).isGreaterThan(dmesg.indexOf("Part#2"));
        try (Stream<Path> parts = Files.list(crash)) {
            assertThat(parts.filter(p -> p.getFileName().toString().startsWith("dmesg-efi-"))).hasSizeGreaterThan(1);
        }
        assertThat(Files.readString(to.resolve("boot-1/pmsg-efi-" + pmsgId))).isEqualTo("checkpoint 1");
        assertThat(Files.readString(to.resolve("boot-1/console-efi-1000000000"))).contains("tick 300");
        try (Stream<Path> all = Files.walk(to)) {
            all.forEach(p -> assertThat(perms(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        }
        assertThat(pstore("list").out.strip()).isEqualTo("no records");
    }

    @Test
    void archiveKeepErasesNothing() {
        Cli c = pstore("archive", "--to", tmp.resolve("copy").toString(), "--keep");
        assertThat(c.out).contains("kept in the store");
        assertThat(pstore("list").out).contains("pmsg-efi-" + pmsgId);
    }

    @Test
    void eraseRemovesWhatItIsGivenAndUnknownIdsEraseNothing() {
        Cli unknown = pstore("erase", Long.toString(pmsgId), "pmsg-efi-123");
        assertThat(unknown.status).isEqualTo(1);
        assertThat(unknown.err).contains("no record pmsg-efi-123").contains("nothing erased");
        assertThat(pstore("list").out).contains("pmsg-efi-" + pmsgId);

        Cli one = pstore("erase", Long.toString(pmsgId));
        assertThat(one.out.strip()).isEqualTo("erased 1 record");
        assertThat(pstore("list").out).doesNotContain("pmsg-efi-" + pmsgId);
        assertThat(pstore("erase", "--all").status).isZero();
        assertThat(pstore("list").out.strip()).isEqualTo("no records");
    }

    @Test
    void eraseIsRefusedWhileTheApplicationRuns() {
        Boot.Booted running = Boot.open(PstoreConfig.builder().dir(store).kmsgBytes(16 << 10).recordSize(4 << 10)
                .capacity(2 << 20).reserve(512 << 10).build());
        try {
            Cli c = pstore("erase", "--all");
            assertThat(c.status).isEqualTo(1);
            assertThat(c.err.strip()).startsWith("pstore: cannot erase:").contains("stop the application first").doesNotContain("\n");
            assertThat(pstore("list").status).as("reading works meanwhile").isZero();
        } finally {
            running.close();
        }
    }

    @Test
    void statReportsSpaceRecordsAndTheWriter() throws Exception {
        JsonNode s = JSON.readTree(pstore("stat", "--json").out);
        assertThat(s.get("capacity").asLong()).isEqualTo(2 << 20);
        assertThat(s.get("reserve").asLong()).isEqualTo(512 << 10);
        assertThat(s.get("used").asLong()).isPositive();
        assertThat(s.get("free").asLong()).isPositive();
        assertThat(s.get("records").get("pmsg").asInt()).isEqualTo(2);
        assertThat(s.get("mode").asText()).startsWith("interruptible").contains("probe write median");
        assertThat(s.get("ops").asText()).as("the default boot serves normal operation on the worker").isEqualTo("interruptible");
        assertThat(s.get("opsSwitch").asText()).isEqualTo("legacy at panic");
        assertThat(s.get("writerRunning").asBoolean()).as("this JVM wrote it and still runs").isTrue();
        assertThat(s.get("service").isNull()).as("booted without pstore.service").isTrue();
        assertThat(s.get("lastBoot").isNumber()).as("a number").isTrue();
        assertThat(s.get("lastBoot").asLong()).isEqualTo(1);
        assertThat(s.get("writerPid").isNumber()).isTrue();
        assertThat(s.get("writerPid").asLong()).isEqualTo(ProcessHandle.current().pid());
        String text = pstore("stat").out;
        assertThat(text).contains("reserve").contains("kept for crash records");
        assertThat(text).as("no blank first line").startsWith("store ");
    }

    @Test
    void tailPrintsTheLastLines() {
        Cli c = pstore("tail", "-n", "2");
        assertThat(c.status).as(c.toString()).isZero();
        assertThat(c.out.lines()).hasSize(2);
        assertThat(c.out).contains("tick 300");
    }

    @Test
    void statNamesTheServiceTheWriterWasGiven() throws Exception {
        Boot.open(PstoreConfig.builder().dir(store).kmsgBytes(16 << 10).recordSize(4 << 10).capacity(2 << 20)
                .reserve(512 << 10).service("orders-eu").build()).close();
        Cli json = pstore("stat", "--json");
        assertThat(json.status).as(json.toString()).isZero();
        assertThat(JSON.readTree(json.out).get("service").asText()).isEqualTo("orders-eu");
        assertThat(pstore("stat").out).containsPattern("(?m)^ *service +orders-eu$");
    }

    @Test
    void tailTakesNoNegativeCount() {
        Cli c = pstore("tail", "-n", "-3");
        assertThat(c.status).isEqualTo(2);
        assertThat(c.out).isEmpty();
        assertThat(c.err.strip()).contains("'-3' is not a number of lines").doesNotContain("\n");
    }

    @Test
    void tailFollowsALiveJournal() throws Exception {
        Boot.Booted live = Boot.open(PstoreConfig.builder().dir(store).kmsgBytes(16 << 10).recordSize(4 << 10)
                .capacity(2 << 20).reserve(512 << 10).build());
        java.io.StringWriter out = new java.io.StringWriter();
        Thread follower = new Thread(() -> {
            picocli.CommandLine cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(out, true));
            cl.execute("tail", "-f", "-n", "1", "--dir", store.toString());
        });
        try {
            follower.start();
            for (int i = 0; i < 200 && !out.toString().contains("written while following"); i++) {
                live.ring().println("written while following");
                live.console().drain();
                Thread.sleep(50);
            }
            assertThat(out.toString()).contains("written while following");
        } finally {
            follower.interrupt();
            follower.join(10_000);
            live.close();
        }
        assertThat(follower.isAlive()).isFalse();
    }

    @Test
    void badStoresAreOneLineErrors() throws Exception {
        assertThat(Cli.run("list", "--dir", tmp.resolve("nope").toString()).err)
                .isEqualTo("pstore: " + tmp.resolve("nope") + ": no such directory\n");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThat(Cli.run("list", "--dir", empty.toString()).err).isEqualTo("pstore: " + empty + " is empty: no store there yet\n");
        Path other = Files.createDirectory(tmp.resolve("other"));
        Files.writeString(other.resolve("x"), "x");
        Cli c = Cli.run("list", "--dir", other.toString());
        assertThat(c.status).isEqualTo(1);
        assertThat(c.err).isEqualTo("pstore: " + other + " is not a pstore store (no PSTORE file)\n");
    }

    @Test
    void aStoreThatCannotBeReadIsPermissionDenied() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root reads whatever the permissions say");
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("---------"));
        try {
            Cli c = pstore("list");
            assertThat(c.status).isEqualTo(1);
            assertThat(c.err).isEqualTo("pstore: " + store + ": permission denied\n");
        } finally {
            Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void badUsageIsStatusTwoWithOneLine() {
        Cli c = Cli.run("list", "--bogus");
        assertThat(c.status).isEqualTo(2);
        assertThat(c.err.strip()).startsWith("pstore: Unknown option: '--bogus'").endsWith("(see: pstore list --help)");
        assertThat(Cli.run("list", "--since", "yesterday-ish").err).contains("is not a time");
        assertThat(Cli.run().status).isEqualTo(2);
        assertThat(Cli.run("demo", "--crash", "meteor").err).contains("unknown crash kind 'meteor'");
    }

    @Test
    void damagedRecordsAreCountedInAWarningAndTheGoodOnesStillListed() throws Exception {
        Path area = store.resolve("panic.area");
        byte[] bytes = Files.readAllBytes(area);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(4096, 77).putInt(4096 + 8, 64);
        Files.write(area, bytes);
        Cli c = pstore("list");
        assertThat(c.status).isEqualTo(1);
        assertThat(c.out).contains("pmsg-efi-" + pmsgId);
        assertThat(c.err.strip()).startsWith("pstore: warning: panic area").contains("fails validation; skipped");
    }

    @Test
    void everyCommandHasHelpAndTheToolHasAVersion() {
        for (String cmd : List.of("list", "show", "export", "archive", "erase", "stat", "tail", "demo")) {
            Cli c = Cli.run(cmd, "-h");
            assertThat(c.status).as(cmd).isZero();
            assertThat(c.out).as(cmd).startsWith("Usage: pstore " + cmd).contains("--dir");
        }
        assertThat(Cli.run("--version").out).startsWith("pstore ");
        assertThat(Cli.run("generate-completion").out).contains("complete -F _complete_pstore -o default pstore ")
                .as("the launcher too").contains("complete -F _complete_pstore -o default bin/pstore ./bin/pstore");
    }

    @Test
    void dirIsTakenBeforeOrAfterTheCommandAndDefaultsToPstoreData() {
        Cli after = Cli.run("list", "--dir", store.toString());
        Cli before = Cli.run("--dir", store.toString(), "list");
        assertThat(after.status).as(after.toString()).isZero();
        assertThat(before.out).isEqualTo(after.out).contains("pmsg-efi-" + pmsgId);
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("PSTORE_DIR") == null, "PSTORE_DIR is set here");
        assertThat(Cli.run("stat", "-h").out).contains("(now: pstore-data)");
        Cli missing = Cli.run("list");
        assertThat(missing.err.strip()).isEqualTo("pstore: pstore-data: no such directory");
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static String perms(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
