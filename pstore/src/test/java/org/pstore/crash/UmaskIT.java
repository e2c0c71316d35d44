package org.pstore.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.testing.JvmFork;

/** Owner-only from the first instant, whatever the umask: an application started with umask 000 boots a store. */
class UmaskIT {
    @TempDir
    Path dir;

    @Test
    void atUmaskZeroEveryFileAndDirectoryPstoreMakesIsOwnerOnly() throws Exception {
        Path store = dir.resolve("a/b/store");
        JvmFork.Child child = JvmFork.of(HostApp.class, dir)
                .under("sh", "-c", "umask 000; touch \"$0\"; exec \"$@\"", dir.resolve("probe").toString())
                .arg(store.toString()).start();
        assertThat(child.awaitExit(60)).as(child.err()).isZero();
        for (Path made : new Path[] {dir.resolve("a"), dir.resolve("a/b")}) {
            assertThat(perms(made)).as("%s, a missing parent", made).isEqualTo("rwx------");
        }
        try (Stream<Path> all = Files.walk(store)) {
            all.forEach(p -> assertThat(perms(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        }
        assertThat(perms(dir.resolve("probe"))).as("the umask really was 000").isEqualTo("rw-rw-rw-");
    }

    private static String perms(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
