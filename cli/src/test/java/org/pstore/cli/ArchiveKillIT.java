package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;

/**
 * archive is resumable: killed with SIGKILL while it copies, once it has copied, while it erases, or at a
 * random moment, the next archive completes (exit 0) and the archive holds every record once, as an
 * archive never interrupted would, with the store empty. (systemd-pstore once failed here: a reboot while it
 * archived made the next run stop on "dmesg.txt: File exists".)
 */
class ArchiveKillIT {
    private static Path crashed;

    @TempDir
    Path tmp;

    @BeforeAll
    static void aStoreOfTwoRunsOneCrashed(@TempDir Path once) throws Exception {
        crashed = once.resolve("store");
        Crashes.awaitCrash(Crashes.crash(once.resolve("app"), crashed, "exception", Jdks.current()), crashed);
        Crashes.anotherRun(crashed, 2);
    }

    /** What an uninterrupted archive of the same store holds: relative path to bytes. */
    private Map<String, String> reference() throws Exception {
        Path copy = tmp.resolve("reference-store");
        Crashes.copy(crashed, copy);
        Path to = tmp.resolve("reference");
        Cli c = Cli.run("archive", "--to", to.toString(), "--dir", copy.toString());
        assertThat(c.status).as(c.toString()).isZero();
        return tree(to);
    }

    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return files;
    }

    private void archiveCompletesAsIfNeverInterrupted(Path store, Path to, Map<String, String> reference) throws Exception {
        Cli again = Cli.run("archive", "--to", to.toString(), "--dir", store.toString());
        assertThat(again.status).as(again.toString()).isZero();
        assertThat(again.err).isEmpty();
        assertThat(tree(to)).as("every record once, dmesg.txt whole, no temporary file").isEqualTo(reference);
        assertThat(Cli.run("list", "--dir", store.toString()).out.strip()).isEqualTo("no records");
        Cli third = Cli.run("archive", "--to", to.toString(), "--dir", store.toString());
        assertThat(third.status).as(third.toString()).isZero();
        assertThat(tree(to)).isEqualTo(reference);
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"archive.copied:1", "archive.copied:4", "archive.synced", "archive.erased:1", "archive.erased:4"})
    void killedAtAStepTheNextArchiveCompletes(String checkpoint) throws Exception {
        Map<String, String> reference = reference();
        Path store = tmp.resolve("store");
        Crashes.copy(crashed, store);
        Path to = tmp.resolve("archive");
        Crashes.killAt(Crashes.cli(tmp.resolve("cli"), checkpoint, "archive", "--to", to.toString(), "--dir", store.toString()), checkpoint);
        archiveCompletesAsIfNeverInterrupted(store, to, reference);
    }

    @Test
    void killedAtRandomMomentsTheNextArchiveCompletes() throws Exception {
        Map<String, String> reference = reference();
        Random random = new Random();
        for (int i = 0; i < 6; i++) {
            Path store = tmp.resolve("store-" + i);
            Crashes.copy(crashed, store);
            Path to = tmp.resolve("archive-" + i);
            for (int k = 0; k < 2; k++) { // killed twice, at two moments
                JvmFork.Child cli = Crashes.cli(tmp.resolve("cli-" + i + "-" + k), null, "archive", "--to", to.toString(), "--dir", store.toString());
                Thread.sleep(500 + random.nextInt(1200));
                cli.kill();
            }
            archiveCompletesAsIfNeverInterrupted(store, to, reference);
        }
    }
}
