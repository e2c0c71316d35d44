package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pstore.core.testing.Jdks;

/**
 * What a newcomer runs first: bin/pstore from another directory, with the jar Maven just built, and the
 * demo for every way to die. Each run is a real launcher, a real CLI JVM and a real application JVM.
 */
class DemoIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "pstore").toAbsolutePath().normalize();

    @TempDir
    Path cwd;

    private Result launch(String... args) throws Exception {
        return launch(Path.of(System.getProperty("java.home")), args);
    }

    private Result launch(Path javaHome, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("PSTORE_NO_BUILD", "1");
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("PSTORE_DIR");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher still running");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    record Result(int status, String out) {
    }

    @ParameterizedTest(name = "demo --crash {0}")
    @ValueSource(strings = {"panic", "exception", "oom", "stackoverflow", "deadlock", "stall", "concurrent", "kill"})
    void theDemoTellsTheWholeStory(String kind) throws Exception {
        Result r = launch("demo", "--crash", kind);
        assertThat(r.status()).as(r.out()).isZero();
        String where = kind.equals("kill") ? "console journal" : "crash record";
        java.util.regex.Matcher told = java.util.regex.Pattern.compile("last tick it logged: tick (\\d+)").matcher(r.out());
        assertThat(told.find()).as(r.out()).isTrue();
        if (kind.equals("kill")) {
            // the story tells what happened: the tick it really logged last, in the journal or lost with the last millisecond
            assertThat(r.out()).as(r.out()).containsPattern("the last tick logged, tick " + told.group(1) + ", is (not )?in the console journal");
            assertThat(r.out()).doesNotContain("is NOT there");
        } else {
            assertThat(r.out()).as(r.out()).contains("the last tick logged, tick " + told.group(1) + ", is in the " + where);
        }
        assertThat(r.out()).as("the commands it suggests are the launcher's").contains("== next: " + LAUNCHER + " list --dir");
        assertThat(cwd.resolve("pstore-data/PSTORE")).as("the default store is ./pstore-data").exists();
        if (!kind.equals("kill")) {
            assertThat(r.out()).contains("JVM panic - not syncing");
        }
        if (kind.equals("stall")) {
            assertThat(r.out()).contains("panic-area");
        }
        if (kind.equals("oom")) {
            assertThat(r.out()).contains("java.lang.OutOfMemoryError");
        }
        if (kind.equals("deadlock")) {
            assertThat(r.out()).contains("Deadlock");
        }
    }

    static List<Jdks.Jdk> otherJdks() {
        return Jdks.others();
    }

    /** The out-of-memory demo, the one that failed on JDK 25, on every other installed JDK too. */
    @ParameterizedTest(name = "demo --crash oom on {0}")
    @MethodSource("otherJdks")
    void theOutOfMemoryDemoKeepsItsRecordOnEveryJdk(Jdks.Jdk jdk) throws Exception {
        Result r = launch(jdk.home(), "demo", "--crash", "oom");
        assertThat(r.status()).as(r.out()).isZero();
        java.util.regex.Matcher told = java.util.regex.Pattern.compile("last tick it logged: tick (\\d+)").matcher(r.out());
        assertThat(told.find()).as(r.out()).isTrue();
        assertThat(r.out()).as(r.out()).contains("the last tick logged, tick " + told.group(1) + ", is in the crash record")
                .contains("java.lang.OutOfMemoryError");
    }

    @Test
    void theLauncherWorksFromAnyDirectoryAndReadsTheDefaultStore() throws Exception {
        Result version = launch("--version");
        assertThat(version.status()).isZero();
        assertThat(version.out()).startsWith("pstore ");
        Result none = launch("list");
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.out().strip()).isEqualTo("pstore: pstore-data: no such directory");
        launch("demo");
        Result list = launch("list");
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains("dmesg-efi-").contains("panic");
        assertThat(Files.isDirectory(cwd.resolve("pstore-data"))).isTrue();
    }
}
