package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;

/**
 * Incremental shipping: {@code export --format otlp --cursor FILE --out DIR/}, run again and again, writes every
 * record and every console line into exactly one file of DIR, while the application runs, and when a run is
 * killed with SIGKILL at any of its steps or at a random moment.
 */
class ShippingIT {
    private static Path crashed;

    @TempDir
    Path tmp;

    @BeforeAll
    static void aStoreARealCrashMade(@TempDir Path once) throws Exception {
        crashed = once.resolve("store");
        Crashes.awaitCrash(Crashes.crash(once.resolve("app"), crashed, "exception", Jdks.current()), crashed);
    }

    private Path store() throws Exception {
        Path dir = tmp.resolve("store");
        Crashes.copy(crashed, dir);
        return dir;
    }

    private static Cli ship(Path store, Path cursor, Path out) {
        return Cli.run("export", "--format", "otlp", "--cursor", cursor.toString(), "--out", out.toString(), "--dir", store.toString());
    }

    private static String[] shipArgs(Path store, Path cursor, Path out) {
        return new String[] {"export", "--format", "otlp", "--cursor", cursor.toString(), "--out", out.toString(), "--dir", store.toString()};
    }

    /**
     * Every log record the whole store exports now is in DIR exactly once, and nothing else is, but for a panic's
     * early revision shipped while the panic was being written (its full revision follows it).
     */
    private static void exactlyOnce(Path store, Path out) throws Exception {
        OtlpFile all = OtlpFile.of(Cli.run("export", "--format", "otlp", "--dir", store.toString()).out);
        OtlpFile shipped = OtlpFile.ofDirectory(out);
        Map<String, Long> count = shipped.logs.stream().collect(Collectors.groupingBy(OtlpFile.Log::uid, Collectors.counting()));
        Map<String, Long> twice = new HashMap<>(count);
        twice.values().removeIf(n -> n == 1);
        assertThat(twice).as("shipped twice").isEmpty();
        List<String> missing = all.logs.stream().filter(l -> !count.containsKey(l.uid()))
                .map(l -> l.uid() + " " + l.attr("pstore.record.name") + " " + l.body().lines().findFirst().orElse("")).toList();
        assertThat(missing).as("never shipped (of " + all.logs.size() + ")").isEmpty();
        java.util.Set<String> expected = all.logs.stream().map(OtlpFile.Log::uid).collect(Collectors.toSet());
        assertThat(shipped.logs.stream().filter(l -> !expected.contains(l.uid())))
                .as("shipped but not in the store").allSatisfy(l -> assertThat(l.attr("pstore.revision")).isEqualTo("1"));
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").allMatch(n -> n.endsWith(".jsonl"));
        }
    }

    @Test
    void aLiveApplicationIsShippedWhileItRunsAndAfterItsCrash() throws Exception {
        Path dir = tmp.resolve("live");
        Path cursor = tmp.resolve("state/cursor");
        Path out = tmp.resolve("export");
        JvmFork.Child app = Crashes.crash(tmp.resolve("app"), dir, "exception", Jdks.current());
        int runs = 0;
        while (app.alive()) {
            if (Files.exists(dir.resolve("PSTORE"))) {
                Cli c = ship(dir, cursor, out);
                assertThat(c.status).as(c.toString()).isIn(0, 1); // 1: a record the writer was still writing was skipped
                runs++;
            }
            Thread.sleep(20);
        }
        Crashes.awaitCrash(app, dir);
        Cli last = ship(dir, cursor, out);
        assertThat(last.status).as(last.toString()).isZero();
        assertThat(runs).as("shipped while it ran").isGreaterThan(1);
        exactlyOnce(dir, out);
        assertThat(OtlpFile.ofDirectory(out).ofType("dmesg")).anySatisfy(d -> assertThat(d.attr("exception.type")).isEqualTo("java.lang.IllegalStateException"));

        Cli again = ship(dir, cursor, out);
        assertThat(again.err.strip()).startsWith("nothing new to export since the cursor");
        exactlyOnce(dir, out);
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"export.writing", "export.written", "export.pending", "export.renamed"})
    void killedAtAStepTheNextRunShipsEveryRecordExactlyOnce(String checkpoint) throws Exception {
        Path store = store();
        Path cursor = tmp.resolve("cursor");
        Path out = tmp.resolve("export");
        assertThat(ship(store, cursor, out).status).isZero(); // a first shipment, so that the cursor has something to keep
        Crashes.anotherRun(store, 2);
        Crashes.killAt(Crashes.cli(tmp.resolve("cli"), checkpoint, shipArgs(store, cursor, out)), checkpoint);
        Crashes.anotherRun(store, 3);
        Cli resumed = ship(store, cursor, out);
        assertThat(resumed.status).as(resumed.toString()).isZero();
        exactlyOnce(store, out);
        assertThat(Files.exists(tmp.resolve("cursor.pending"))).isFalse();
    }

    @Test
    void killedAtRandomMomentsTheNextRunShipsEveryRecordExactlyOnce() throws Exception {
        Path store = store();
        Path cursor = tmp.resolve("cursor");
        Path out = tmp.resolve("export");
        Random random = new Random();
        for (int i = 0; i < 8; i++) {
            Crashes.anotherRun(store, 10 + i);
            JvmFork.Child cli = Crashes.cli(tmp.resolve("cli-" + i), null, shipArgs(store, cursor, out));
            Thread.sleep(300 + random.nextInt(1500));
            cli.kill();
        }
        Cli resumed = ship(store, cursor, out);
        assertThat(resumed.status).as(resumed.toString()).isZero();
        exactlyOnce(store, out);
    }
}
