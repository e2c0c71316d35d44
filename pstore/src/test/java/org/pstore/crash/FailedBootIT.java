package org.pstore.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.store.JvmFlags;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;

/** A boot that cannot work says why in one line and leaves nothing half-made behind. */
class FailedBootIT {
    @TempDir
    Path dir;

    @Test
    void withoutChroniclesFlagsBootLeavesNothingAndListsTheFlagsJvmFlagsPrints() throws Exception {
        Path store = dir.resolve("store");
        JvmFork.Child child = JvmFork.of(RefusedBootApp.class, dir).withoutFlags().arg(store.toString()).start();
        assertThat(child.awaitExit(60)).as(child.err()).isEqualTo(3);
        String out = child.out().strip();
        assertThat(out.lines()).hasSize(1);
        String prefix = "refused: pstore cannot boot: this JVM lacks flags Chronicle Queue needs; start java with: ";
        assertThat(out).startsWith(prefix);
        assertThat(out.substring(prefix.length())).as("one list: the one JvmFlags prints")
                .isEqualTo(String.join(" ", JvmFlags.required(Jdks.current().feature())));
        assertThat(store).as("nothing half-made").doesNotExist();
    }

    @Test
    void aBootThatFailsInAnEmptyDirectoryLeavesItEmpty() throws Exception {
        Path store = Files.createDirectory(dir.resolve("store"));
        JvmFork.Child child = JvmFork.of(RefusedBootApp.class, dir).withoutFlags().arg(store.toString()).start();
        assertThat(child.awaitExit(60)).isEqualTo(3);
        try (var s = Files.list(store)) {
            assertThat(s).isEmpty();
        }
        JvmFork.Child next = JvmFork.of(RefusedBootApp.class, dir).arg(store.toString()).start();
        assertThat(next.awaitExit(60)).as(next.err()).isZero();
        assertThat(next.out().strip()).isEqualTo("booted");
    }
}
