package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where archive writes, and what it leaves alone. */
class ArchiveCommandTest {
    @TempDir
    Path tmp;
    SmallStore store;

    @BeforeEach
    void writeAStore() {
        store = SmallStore.write(tmp.resolve("store"));
    }

    @Test
    void anExistingDirectoryKeepsItsPermissions() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Cli c = store.pstore("archive", "--to", shared.toString());
        assertThat(c.status).as(c.toString()).isZero();
        assertThat((Integer) Files.getAttribute(shared, "unix:mode") & 07777).as("still 1777").isEqualTo(01777);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve("boot-1")))).isEqualTo("rwx------");
    }

    @Test
    void missingParentsAreMadeOwnerOnly() throws Exception {
        Path deep = tmp.resolve("a/b/c");
        Cli c = store.pstore("archive", "--keep", "--to", deep.toString());
        assertThat(c.status).as(c.toString()).isZero();
        for (Path p : new Path[] {tmp.resolve("a"), tmp.resolve("a/b"), deep}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void theTargetIsCheckedBeforeTheStoreIsOpened() {
        Cli c = store.pstore("archive", "--to", "/proc/x");
        assertThat(c.status).isEqualTo(1);
        assertThat(c.out).isEmpty();
        assertThat(c.err.lines()).hasSize(1);
        assertThat(c.err).startsWith("pstore: cannot archive to /proc/x: ");
        assertThat(store.pstore("list").out).as("nothing erased").contains("pmsg-efi-" + store.pmsgId);
    }

    @Test
    void archivingAgainCopiesNothingTwiceAndFinishesTheErase() throws Exception {
        Path to = tmp.resolve("archive");
        Cli kept = store.pstore("archive", "--keep", "--to", to.toString());
        assertThat(kept.status).as(kept.toString()).isZero();
        long files = count(to);
        String dmesg = Files.readString(to.resolve("boot-1/panic-1/dmesg.txt"));

        Cli again = store.pstore("archive", "--to", to.toString());
        assertThat(again.status).as(again.toString()).isZero();
        assertThat(again.out).startsWith("archived 0 records to " + to + " (").contains("were there already").contains("erased");
        assertThat(count(to)).isEqualTo(files);
        assertThat(Files.readString(to.resolve("boot-1/panic-1/dmesg.txt"))).isEqualTo(dmesg);
        assertThat(store.pstore("list").out.strip()).isEqualTo("no records");
    }

    @Test
    void whatCouldNotBeErasedIsNamedTheStatusIsOneAndArchivingAgainCopiesNothingTwice() throws Exception {
        Files.createSymbolicLink(store.dir.resolve("console/erased"), tmp.resolve("nowhere")); // the console record cannot be erased
        Path to = tmp.resolve("archive");
        Cli first = store.pstore("archive", "--to", to.toString());
        assertThat(first.status).as(first.toString()).isEqualTo(1);
        assertThat(first.err.lines()).hasSize(1);
        assertThat(first.err).contains(", but could not erase 1 of them (console-efi-1000000000: device error); their copies are safe there");
        assertThat(tmp.resolve("nowhere")).as("nothing written through the link").doesNotExist();
        assertThat(store.pstore("list").out.lines().skip(1)).as("the rest is erased").singleElement().asString().startsWith("console-efi-");
        long files = count(to);

        Cli again = store.pstore("archive", "--to", to.toString());
        assertThat(again.status).isEqualTo(1);
        assertThat(again.err).startsWith("pstore: archived 0 records to " + to + " (1 were there already), but could not erase 1");
        assertThat(count(to)).isEqualTo(files);
    }

    @Test
    void aRunDirectoryAnotherUserMadeIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "only root can give a directory to another user");
        Path to = Files.createDirectory(tmp.resolve("archive"));
        Path planted = Files.createDirectory(to.resolve("boot-1"));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setOwner(planted, planted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Cli c = store.pstore("archive", "--to", to.toString());
        assertThat(c.status).isEqualTo(1);
        assertThat(c.err.strip()).isEqualTo("pstore: " + planted + " belongs to nobody, not to the user archiving; "
                + "nothing is written into it (archive into another directory)");
        assertThat(count(planted)).isZero();
        assertThat(store.pstore("list").out).contains("pmsg-efi-" + store.pmsgId);
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).count();
        }
    }
}
