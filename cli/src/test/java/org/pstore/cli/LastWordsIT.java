package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;
import org.pstore.panic.Redaction;

/**
 * How the last run ended, for JVMs that really die (forked, on every JDK installed): SIGKILL, a native crash, an
 * OutOfMemoryError under -XX:+ExitOnOutOfMemoryError, System.exit(3), a panic, a return from main, and the
 * kernel's OOM killer where a memory cgroup can be made. Each child has {@code -Ddb.password=hunter2}, which no
 * file of the store and no export may hold.
 */
class LastWordsIT {
    static final String SECRET = "hunter2";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Stream<Jdks.Jdk> jdks() {
        return Jdks.all().stream();
    }

    private JvmFork app(Jdks.Jdk jdk, String how, Path dir) {
        return JvmFork.of(EndingApp.class, tmp.resolve("app-" + how)).jdk(jdk).jvmArg("-Ddb.password=" + SECRET).arg(how, dir.toString());
    }

    private static JsonNode last(Path dir) throws Exception {
        Cli c = Cli.run("last", "--json", "--dir", dir.toString());
        assertThat(c.status).as(c.toString()).isZero();
        return JSON.readTree(c.out);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Another run that returns from main: it judges and records the previous one. */
    private void nextBoot(Jdks.Jdk jdk, Path dir) throws Exception {
        JvmFork.Child again = app(jdk, "return", dir).start();
        assertThat(again.awaitExit(120)).as(again.err()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void sigkillOfAWriterThatLogsIsKilledWithItsLastSignOfLife(Jdks.Jdk jdk) throws Exception {
        Path dir = tmp.resolve("store");
        JvmFork.Child child = app(jdk, "log", dir).start();
        assertThat(child.awaitOutput("ready", 120)).as(child.err()).isTrue();
        Thread.sleep(1300);
        long killed = System.currentTimeMillis();
        child.kill();

        JsonNode j = last(dir);
        System.out.println("last after SIGKILL: " + j);
        assertThat(j.path("ending").asText()).isEqualTo("killed");
        long lastSign = Instant.parse(j.path("lastSignOfLife").asText()).toEpochMilli();
        assertThat(killed - lastSign).as("last sign of life before the kill, ms").isBetween(-200L, 2000L);
        List<String> console = strings(j.path("console"));
        assertThat(console).isNotEmpty();
        assertThat(console.get(console.size() - 1)).contains("tick");
        assertThat(strings(j.path("likely"))).anyMatch(l -> l.contains("SIGKILL"));
        assertThat(j.path("next").asText()).startsWith("pstore show console-efi-");

        nextBoot(jdk, dir);
        Cli all = Cli.run("last", "--all", "--dir", dir.toString());
        assertThat(all.out).as(all.toString()).containsPattern("boot 1 .*killed").containsPattern("boot 2 .*exit");
        assertThat(Cli.run("list", "--dir", dir.toString()).out).contains("ending-efi-2").contains(": boot 1 (pid " + child.pid() + "): killed");
        noSecretAnywhere(dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aNativeCrashIsJudgedAndItsHsErrFileIngested(Jdks.Jdk jdk) throws Exception {
        Path dir = tmp.resolve("store");
        Path errors = Files.createDirectories(tmp.resolve("errors"));
        JvmFork.Child child = app(jdk, "segv", dir).jvmArg("-XX:ErrorFile=" + errors + "/hs_err_pid%p.log", "-XX:-CreateCoredumpOnCrash").start();
        int status = child.awaitExit(120);
        // the JVM aborts after writing hs_err: status 1 without a core dump (134, SIGABRT, with one)
        assertThat(status).as("after the fatal error; stdout: " + child.out()).isIn(1, 134);
        Path hsErr = errors.resolve("hs_err_pid" + child.pid() + ".log");
        assertThat(hsErr).exists();
        byte[] file = Files.readAllBytes(hsErr);
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).as("the JVM writes its arguments as given").contains(SECRET);

        JsonNode j = last(dir);
        System.out.println("last after SIGSEGV: " + j.path("ending") + " " + j.path("signal"));
        assertThat(j.path("ending").asText()).isEqualTo("native-crash");
        assertThat(strings(j.path("signal"))).anyMatch(l -> l.startsWith("SIGSEGV"));
        assertThat(j.path("hsErr").asText()).isEqualTo(hsErr.toString());

        nextBoot(jdk, dir);
        JsonNode recorded = JSON.readTree(Cli.run("last", "--all", "--json", "--dir", dir.toString()).out).get(0);
        assertThat(recorded.path("ending").asText()).isEqualTo("native-crash");
        String name = recorded.path("hsErr").asText();
        assertThat(name).startsWith("hserr-efi-");
        assertThat(Cli.run("list", "--dir", dir.toString()).out).contains(name + ": hs_err of boot 1: SIGSEGV");

        JvmFork.Child show = Crashes.cli(tmp.resolve("show"), null, "show", name, "--dir", dir.toString());
        assertThat(show.awaitExit(120)).as(show.err()).isZero();
        byte[] shown = Files.readAllBytes(show.outFile());
        byte[] expected = Redaction.defaults().redact(new String(file, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(shown).as("the file back, byte for byte, its secret-looking values masked").isEqualTo(expected);
        assertThat(shown.length).isGreaterThan(file.length / 2);
        noSecretAnywhere(dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void exitOnOutOfMemoryErrorIsKilledNamingTheFlag(Jdks.Jdk jdk) throws Exception {
        Path dir = tmp.resolve("store");
        JvmFork.Child child = app(jdk, "oom-exit", dir).jvmArg("-XX:+ExitOnOutOfMemoryError", "-Xmx96m").start();
        assertThat(child.awaitExit(120)).as(child.err()).isEqualTo(3);
        JsonNode j = last(dir);
        assertThat(j.path("ending").asText()).isEqualTo("killed");
        assertThat(strings(j.path("likely")).get(0)).contains("-XX:+ExitOnOutOfMemoryError");
        noSecretAnywhere(dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void systemExitAPanicAndAReturnFromMain(Jdks.Jdk jdk) throws Exception {
        Path dir = tmp.resolve("store");
        JvmFork.Child exit = app(jdk, "exit3", dir).start();
        assertThat(exit.awaitExit(120)).as(exit.err()).isEqualTo(3);
        JsonNode j = last(dir);
        assertThat(j.path("ending").asText()).isEqualTo("exit");
        assertThat(j.path("exit").asText()).contains("System.exit").contains("status unknown");
        assertThat(j.path("ended").isNull()).isFalse();

        JvmFork.Child panic = app(jdk, "panic", dir).start();
        assertThat(panic.awaitExit(120)).as(panic.err()).isEqualTo(70);
        j = last(dir);
        assertThat(j.path("ending").asText()).isEqualTo("panic");
        assertThat(j.path("exitStatus").asInt()).as("the status pstore's panic action exited with").isEqualTo(70);
        assertThat(strings(j.path("evidence")).get(0)).startsWith("crash record Panic#1 (dmesg-efi-2");
        assertThat(j.path("next").asText()).isEqualTo("pstore show --panic 1");

        nextBoot(jdk, dir);
        j = last(dir);
        assertThat(j.path("ending").asText()).isEqualTo("exit");
        assertThat(j.path("exitStatus").asInt()).isZero();
        assertThat(j.path("exit").asText()).contains("main returned");

        JsonNode all = JSON.readTree(Cli.run("last", "--all", "--json", "--dir", dir.toString()).out);
        List<String> endings = new ArrayList<>();
        all.forEach(r -> endings.add(r.path("boot").asLong() + " " + r.path("ending").asText()));
        assertThat(endings).containsExactly("1 exit", "2 panic", "3 exit");
        noSecretAnywhere(dir);
    }

    /**
     * The kernel's OOM killer, for real where this test can make a memory cgroup (v1, as root): the child moves
     * itself into a cgroup of 256 MiB and allocates past it. Elsewhere the unit tests over fixture counter files
     * ({@code OomCounterTest}) are what runs; this prints which.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theOomKillerIsOomKilled(Jdks.Jdk jdk) throws Exception {
        Path memory = Path.of("/sys/fs/cgroup/memory");
        Path cgroup = memory.resolve("pstore-oom-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectory(cgroup);
            Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(256L << 20));
        } catch (java.io.IOException | RuntimeException e) {
            System.out.println("OOM killer: fixture counter files only (OomCounterTest); no memory cgroup here: " + e);
            Files.deleteIfExists(cgroup);
            org.junit.jupiter.api.Assumptions.abort("no memory cgroup can be made: " + e);
            return;
        }
        System.out.println("OOM killer: real, in " + cgroup);
        try {
            Path swap = cgroup.resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(swap)) {
                try {
                    Files.writeString(swap, Long.toString(256L << 20)); // no swapping instead of dying
                } catch (java.io.IOException ignored) {
                    // no swap accounting: the kernel has no swap to use either, or uses it, and the test waits
                }
            }
            Path dir = tmp.resolve("store");
            JvmFork.Child child = app(jdk, "oom-killer", dir).jvmArg("-Xmx2g")
                    .under("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec \"$@\"", "sh").start();
            int status = child.awaitExit(180);
            assertThat(status).as("SIGKILL by the OOM killer; stderr: " + child.err()).isEqualTo(137);
            JsonNode j = last(dir);
            System.out.println("last after the OOM killer: " + j.path("ending") + " " + j.path("evidence"));
            assertThat(j.path("ending").asText()).isEqualTo("oom-killed");
            assertThat(strings(j.path("evidence"))).anyMatch(l -> l.startsWith("cgroup oom_kill 0 at the start, 1 now"));
            noSecretAnywhere(dir);
        } finally {
            for (int i = 0; i < 50 && Files.exists(cgroup); i++) {
                try {
                    Files.delete(cgroup);
                } catch (java.io.IOException busy) {
                    Thread.sleep(100); // the killed child may still be leaving it
                }
            }
        }
    }

    /** Every file of the store, every export, every listing: the secret is in none. */
    private void noSecretAnywhere(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(SECRET);
            }
        }
        List<String[]> commands = new ArrayList<>(List.of(new String[] {"list", "--json"}, new String[] {"export", "--format", "jsonl"},
                new String[] {"export", "--format", "otlp"}, new String[] {"last", "--all", "--json"}));
        for (String[] command : commands) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--dir", dir.toString()));
            Cli c = Cli.run(args.toArray(String[]::new));
            assertThat(c.out).as(String.join(" ", command)).isNotEmpty().doesNotContain(SECRET);
        }
        Path archive = tmp.resolve("archive-" + System.nanoTime());
        Cli a = Cli.run("archive", "--keep", "--to", archive.toString(), "--dir", dir.toString());
        assertThat(a.status).as(a.toString()).isZero();
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(SECRET);
            }
        }
    }
}
