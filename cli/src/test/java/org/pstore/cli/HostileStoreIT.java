package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.PstoreConfig;
import org.pstore.backend.RecordWrite;
import org.pstore.boot.Boot;
import org.pstore.cli.demo.DemoApp;
import org.pstore.core.store.JvmFlags;
import org.pstore.panic.DumpReason;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * The reader runs as root on a store the service wrote as its own account, and whoever controls that account
 * controls every byte and name in the store: here the service is {@code nobody}, which writes a real store
 * (the demo application, run as nobody, panics) and plants links, FIFOs, sparse giants and crafted files; root
 * then runs the CLI. Nothing is written or read through a plant, nothing hangs, nothing grows without bound.
 * Needs root and setpriv (CI is root); skipped, saying why, elsewhere.
 */
class HostileStoreIT {
    private static final Path JAR = Path.of("target", "pstore-cli.jar").toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path tmp;
    /** World-writable and sticky, like /tmp: the service account can make files there. */
    Path shared;
    Path store;

    /** Written once by nobody (a real run that panics), copied for each test with its owner and modes. */
    private static Path template;

    @BeforeAll
    static void aStoreWrittenByNobody(@TempDir Path once) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root, to drop to nobody (CI runs as root)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to drop privileges");
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "needs the CLI jar (mvn package)");
        Files.setAttribute(once, "unix:mode", 01777);
        template = once.resolve("store");
        List<String> app = new ArrayList<>(List.of(JAVA));
        app.addAll(JvmFlags.required());
        app.addAll(List.of("-cp", JAR.toString(), DemoApp.class.getName(), "panic", template.toString()));
        Run wrote = run(nobody(app.toArray(String[]::new)), once);
        assertThat(Files.exists(template.resolve("PSTORE"))).as(wrote.toString()).isTrue();
        assertThat(Files.getOwner(template).getName()).isEqualTo("nobody");
    }

    @BeforeEach
    void aCopyOfIt() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        store = shared.resolve("store");
        assertThat(asRoot("cp", "-a", template.toString(), store.toString()).status).isZero();
        assertThat(Files.getOwner(store).getName()).isEqualTo("nobody");
        assertThat(Cli.run("list", "--dir", store.toString()).out).contains("dmesg-efi-").contains("console-efi-");
    }

    @Test
    void eraseAsRootIsRefusedAndNothingIsWrittenThroughAPlantedLink() throws Exception {
        Path target = Path.of("/etc/pstore-planted-" + ProcessHandle.current().pid());
        asNobody("ln", "-s", target.toString(), store.resolve("console/erased").toString());

        Cli refused = Cli.run("erase", "--all", "--dir", store.toString());
        assertThat(refused.status).isEqualTo(1);
        assertThat(refused.err.lines()).hasSize(1);
        assertThat(refused.err).startsWith("pstore: " + store + " belongs to nobody: write to it as its owner, sudo -u nobody pstore erase --all")
                .contains("--ignore-owner");
        Cli archive = Cli.run("archive", "--to", tmp.resolve("a").toString(), "--dir", store.toString());
        assertThat(archive.status).isEqualTo(1);
        assertThat(archive.err).contains("belongs to nobody");

        Cli forced = Cli.run("erase", "--all", "--ignore-owner", "--dir", store.toString());
        assertThat(forced.err.lines()).as(forced.toString()).hasSizeLessThanOrEqualTo(1);
        Run owner = asNobody(cli("erase", "--all", "--dir", store.toString()));
        assertThat(owner.err).doesNotContain("Exception");
        assertThat(target).as("root created no file through the link").doesNotExist();
        assertThat(Files.isSymbolicLink(store.resolve("console/erased"))).isTrue();
    }

    @Test
    void theReaderOpensNoLinkNoFifoAndNoGiantAndHangsOnNothing() throws Exception {
        Path area = store.resolve("panic.area");
        asNobody("mkfifo", store.resolve("panic.area.1").toString());
        asNobody("ln", "-s", "/dev/zero", store.resolve("panic.area.2").toString());
        asNobody("cp", area.toString(), store.resolve("panic.area.3").toString());
        asNobody("truncate", "-s", "3G", store.resolve("panic.area.3").toString()); // sparse: no disk used
        asNobody("ln", "-s", "/etc/shadow", store.resolve("console/erased").toString());

        Run list = asRoot(JAVA, "-Xmx48m", "-jar", JAR.toString(), "list", "--dir", store.toString());
        assertThat(list.status).as(list.toString()).isEqualTo(1);
        assertThat(list.out).contains("dmesg-efi-").contains("console-efi-");
        assertThat(list.err).contains("panic.area.1 is a FIFO, device or socket, not a regular file")
                .contains("panic.area.2 is a symbolic link, not a regular file")
                .contains("panic.area.3 is 3221225472 bytes, more than the")
                .doesNotContain("OutOfMemoryError").doesNotContain("Exception");

        asNobody("mkfifo", store.resolve("vars/20990101F.cq4").toString());
        Run fifoInVars = asRoot(JAVA, "-Xmx48m", "-jar", JAR.toString(), "list", "--dir", store.toString());
        assertThat(fifoInVars.status).as(fifoInVars.toString()).isEqualTo(1);
        assertThat(fifoInVars.err).contains("20990101F.cq4 is a FIFO, device or socket, not a regular file; vars not read");
        assertThat(fifoInVars.out).as("the other locations are still read").contains("console-efi-");
        Run stat = asRoot(JAVA, "-Xmx48m", "-jar", JAR.toString(), "stat", "--dir", store.toString());
        assertThat(stat.status).as(stat.toString()).isEqualTo(1);
        assertThat(stat.out).contains("console journal");
    }

    @Test
    void exportAndArchiveWriteThroughNoPlantedLinkAndIntoNoPlantedDirectory() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "root's own");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        asNobody("ln", "-s", victim.toString(), shared.resolve("out.json").toString());
        asNobody("ln", "-s", victim.toString(), shared.resolve("other.json.tmp").toString());

        Cli onLink = Cli.run("export", "--out", shared.resolve("out.json").toString(), "--dir", store.toString());
        assertThat(onLink.status).isEqualTo(1);
        assertThat(onLink.err.strip()).isEqualTo("pstore: cannot write " + shared.resolve("out.json")
                + ": it exists and is not a regular file (a link, a directory?); export replaces only a regular file");
        Cli beside = Cli.run("export", "--out", shared.resolve("other.json").toString(), "--dir", store.toString());
        assertThat(beside.status).as(beside.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve("other.json")))).isEqualTo("rw-------");
        assertThat(Files.readString(victim)).as("never truncated or written").isEqualTo("root's own");

        Path to = shared.resolve("archive");
        asNobody("mkdir", "-p", to.resolve("boot-1").toString());
        asNobody("chmod", "777", to.resolve("boot-1").toString(), to.toString());
        Cli planted = Cli.run("archive", "--keep", "--to", to.toString(), "--dir", store.toString());
        assertThat(planted.status).isEqualTo(1);
        assertThat(planted.err.strip()).isEqualTo("pstore: " + to.resolve("boot-1") + " belongs to nobody, not to the user archiving; "
                + "nothing is written into it (archive into another directory)");
        try (Stream<Path> s = Files.list(to.resolve("boot-1"))) {
            assertThat(s).isEmpty();
        }
        Path linked = shared.resolve("archive2");
        Files.createDirectory(linked);
        Files.setAttribute(linked, "unix:mode", 01777);
        asNobody("ln", "-s", tmp.toString(), linked.resolve("boot-1").toString());
        Cli link = Cli.run("archive", "--keep", "--to", linked.toString(), "--dir", store.toString());
        assertThat(link.status).isEqualTo(1);
        assertThat(link.err).contains("boot-1 is a symbolic link, not a directory the archive made");
    }

    @Test
    void exportIntoADirectoryItCannotWriteSaysPermissionDeniedInOneLine() throws Exception {
        Path out = tmp.resolve("export.json"); // tmp is root's, 0755
        Run r = asNobody(cli("export", "--out", out.toString(), "--dir", store.toString()));
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err.strip()).isEqualTo("pstore: cannot write " + out + ": permission denied (" + tmp + ")");
        assertThat(r.out).isEmpty();
    }

    @Test
    void aRacerOpeningTheTemporaryFilesInALoopReadsNothing() throws Exception {
        Path loot = shared.resolve("loot");
        Path tries = shared.resolve("tries");
        Path racer = Files.writeString(tmp.resolve("Racer.java"), RACER);
        Process p = new ProcessBuilder(nobody(JAVA, racer.toString(), shared.toString(), loot.toString(), tries.toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("racer.out").toFile()).start();
        try {
            for (int i = 0; i < 200 && !Files.exists(tries); i++) {
                Thread.sleep(50); // until the racer runs
            }
            for (int i = 0; i < 10; i++) {
                Cli c = Cli.run("export", "--out", shared.resolve("export-" + i + ".json").toString(), "--dir", store.toString());
                assertThat(c.status).as(c.toString()).isZero();
            }
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(Files.exists(tries)).as("the racer ran: " + Files.readString(tmp.resolve("racer.out"))).isTrue();
        String got = Files.exists(loot) ? Files.readString(loot) : "";
        assertThat(got).as("the racer read none of ten exports").doesNotContain("\"name\"");
    }

    /**
     * The property the racer above cannot catch reliably (its window is microseconds wide) seen at the system
     * call: export and archive create their temporary files 0600 and exclusively (which never follows a link)
     * in the creating call, and their directories 0700; nothing is created wider and narrowed later (needs strace; skipped without it).
     */
    @Test
    void temporaryFilesAreOwnerOnlyInTheCreatingCall() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "needs strace (Debian: apt-get install -y strace)");
        Path log = tmp.resolve("strace.txt");
        Path out = shared.resolve("traced.json");
        Run r = asRoot("strace", "-f", "-qq", "-e", "trace=openat,chmod,fchmod,fchmodat", "-o", log.toString(),
                JAVA, "-jar", JAR.toString(), "export", "--out", out.toString(), "--dir", store.toString());
        assertThat(r.status).as(r.toString()).isZero();
        Path archiveLog = tmp.resolve("strace-archive.txt");
        Run a = asRoot("strace", "-f", "-qq", "-e", "trace=openat,mkdir,mkdirat,chmod,fchmod,fchmodat", "-o", archiveLog.toString(),
                JAVA, "-jar", JAR.toString(), "archive", "--keep", "--to", shared.resolve("traced").toString(), "--dir", store.toString());
        assertThat(a.status).as(a.toString()).isZero();
        List<String> creations = new ArrayList<>();
        for (Path l : List.of(log, archiveLog)) {
            for (String line : Files.readAllLines(l)) {
                if (line.contains(shared.toString()) && (line.contains("O_CREAT") || line.contains("mkdir"))) {
                    creations.add(line);
                }
            }
        }
        assertThat(creations).as("files and directories created in the shared directory").isNotEmpty();
        for (String c : creations) {
            if (c.contains("mkdir")) {
                assertThat(c).as(c).containsPattern(", 0700(\\)| <unfinished)");
            } else {
                // O_CREAT|O_EXCL fails on a symlink by definition (POSIX), so the JDK adds no O_NOFOLLOW to it
                assertThat(c).as(c).contains("O_EXCL").containsPattern(", 0600(\\)| <unfinished)");
            }
        }
        assertThat(Files.readAllLines(log)).as("nothing narrowed afterwards").noneMatch(l -> l.contains("chmod") && l.contains(shared.toString()));
    }

    /**
     * An unprivileged racer, as fast as Java lists and opens: every file whose name holds "json" is opened the
     * moment it appears; an open that succeeds is held a moment (the writer goes on filling it) and read.
     */
    private static final String RACER = """
            import java.io.*;
            import java.nio.file.*;
            public class Racer {
                public static void main(String[] a) throws Exception {
                    Path dir = Path.of(a[0]);
                    long n = 0;
                    try (OutputStream loot = Files.newOutputStream(Path.of(a[1]), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                        while (true) {
                            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                                for (Path f : files) {
                                    if (!f.getFileName().toString().contains("json")) continue;
                                    try (InputStream in = Files.newInputStream(f)) {
                                        Thread.sleep(50);
                                        in.transferTo(loot);
                                        loot.flush();
                                    } catch (IOException e) {
                                        // refused: as it should be
                                    }
                                }
                            } catch (IOException e) {
                                // the directory changed under the listing
                            }
                            if (n++ == 0) Files.writeString(Path.of(a[2]), "running");
                        }
                    }
                }
            }
            """;

    @Test
    void aDecompressionBombStoreIsReadOnABudgetInBoundedMemory() throws Exception {
        Path bomb = tmp.resolve("bomb");
        int records = writeBombStore(bomb, 40);
        Path to = tmp.resolve("bomb-archive");
        Run archive = asRoot(JAVA, "-Xmx96m", "-jar", JAR.toString(), "archive", "--keep", "--to", to.toString(), "--dir", bomb.toString());
        assertThat(archive.status).as(archive.toString()).isEqualTo(1);
        assertThat(archive.err).contains("decompression budget spent (32 MiB for this command, 4x the store's capacity)")
                .doesNotContain("OutOfMemoryError");
        assertThat(archive.out).as(archive.toString()).contains("archived " + (records + 1) + " records");
        long written;
        try (Stream<Path> files = Files.walk(to)) {
            written = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(written).as("bounded by the budget, not 40 x 15 MiB").isLessThan(100L << 20);
    }

    @Test
    void atUmaskZeroArchiveMakesItsDirectoriesAndFilesOwnerOnly() throws Exception {
        Path to = tmp.resolve("u/a/b");
        Run r = asRoot("sh", "-c", "umask 000; exec \"$@\"", "sh", JAVA, "-jar", JAR.toString(), "archive", "--keep",
                "--to", to.toString(), "--dir", store.toString());
        assertThat(r.status).as(r.toString()).isZero();
        try (Stream<Path> all = Files.walk(tmp.resolve("u"))) {
            all.forEach(p -> assertThat(perms(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        }
    }

    /** A store whose dump parts each inflate to 15 MiB of zeros (15 KiB stored): 600 MiB from 600 KiB. */
    private static int writeBombStore(Path dir, int parts) {
        Boot.Booted b = Boot.open(PstoreConfig.builder().dir(dir).recordSize(32 << 10).build());
        try {
            byte[] zeros = new byte[15 << 20];
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
            deflater.setInput(zeros);
            deflater.finish();
            byte[] z = new byte[64 << 10];
            int zlen = deflater.deflate(z);
            deflater.end();
            RecordIds ids = new RecordIds(b.identity().bootNumber());
            int at = RecordFormat.headerLength(b.identity());
            byte[] frame = new byte[at + zlen];
            System.arraycopy(z, 0, frame, at, zlen);
            CRC32C crc = new CRC32C();
            for (int part = 1; part <= parts; part++) {
                long id = ids.next();
                int size = RecordFormat.seal(frame, b.identity(), RecordType.DMESG, DumpReason.PANIC.code(), true, part, 1, id,
                        System.currentTimeMillis(), zlen, crc);
                assertThat(b.backend().write(new RecordWrite().set(RecordType.DMESG, part, 1, id, true, frame, size)).ok()).isTrue();
            }
            b.console().drain();
            return parts;
        } finally {
            b.close();
        }
    }

    // ---- running things ----------------------------------------------------------------------------------

    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private static String[] cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    private static List<String> nobody(String... cmd) {
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        all.addAll(List.of(cmd));
        return all;
    }

    private Run asNobody(String... cmd) throws Exception {
        return run(nobody(cmd), tmp);
    }

    private Run asRoot(String... cmd) throws Exception {
        return run(List.of(cmd), tmp);
    }

    private static Run run(List<String> cmd, Path where) throws Exception {
        Path out = Files.createTempFile(where, "out", ".txt");
        Path err = Files.createTempFile(where, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(where.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("still running after 120 s: " + cmd + "\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String perms(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
