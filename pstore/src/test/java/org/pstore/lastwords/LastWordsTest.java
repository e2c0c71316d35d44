package org.pstore.lastwords;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.panic.Redaction;

/** The run mark read back (and refused when it is not what it claims), the judgement's text, and the hs_err rules. */
class LastWordsTest {
    @TempDir
    Path dir;

    @Test
    void theRunMarkReadsBackWithItsHeartbeatAndEndMark() throws Exception {
        try (RunMark m = RunMark.begin(dir, 7, 4242, 1000, StartMark.of(Map.of(StartMark.EXIT_ON_OOM, "true", StartMark.CWD, "/srv")))) {
            RunMark.Read r = RunMark.read(dir);
            assertThat(r.boot()).isEqualTo(7);
            assertThat(r.pid()).isEqualTo(4242);
            assertThat(r.ended()).isFalse();
            assertThat(r.start().flag(StartMark.EXIT_ON_OOM)).isTrue();
            m.beat(2000, 50, 100);
            assertThat(RunMark.read(dir).beatMillis()).isEqualTo(2000);
            m.end(3000, RunMark.Exit.SIGNAL, 143);
            r = RunMark.read(dir);
            assertThat(r.endMillis()).isEqualTo(3000);
            assertThat(r.exit()).isEqualTo(RunMark.Exit.SIGNAL);
            assertThat(r.status()).isEqualTo(143);
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(RunMark.FILE)))).isEqualTo("rw-------");
    }

    @Test
    void aMarkThatIsNotWhatItClaimsIsNotRead() throws Exception {
        RunMark.begin(dir, 1, 1, 1, StartMark.of(Map.of())).close();
        byte[] good = Files.readAllBytes(dir.resolve(RunMark.FILE));
        byte[] bad = good.clone();
        bad[RunMark.TEXT_AT] ^= 1;
        bad[72] = 'x'; // a text length past the file, and a CRC that fails
        assertThat(RunMark.parse(bad)).isNull();
        assertThat(RunMark.parse(java.util.Arrays.copyOf(good, 100))).isNull();
        Files.delete(dir.resolve(RunMark.FILE));
        Files.createSymbolicLink(dir.resolve(RunMark.FILE), Path.of("/etc/passwd"));
        assertThat(RunMark.read(dir)).as("a link is not followed").isNull();
    }

    @Test
    void theJudgementsTextReadsBack() {
        Judgement j = new Judgement(Ending.NATIVE_CRASH, 3, 99, Instant.ofEpochMilli(1000), Instant.ofEpochMilli(5000), null, null, null,
                List.of("no end mark"), List.of(), List.of("hserr-efi-4000000001"), "hserr-efi-4000000001",
                List.of("SIGSEGV (0xb) at pc=0x1"), List.of("/tmp/hs_err_pid99.jfr"), List.of("a", "b\nc"), "pstore show hserr-efi-4000000001");
        Judgement back = Judgement.parse(j.text(16 << 10));
        assertThat(back.ending()).isEqualTo(Ending.NATIVE_CRASH);
        assertThat(back.headline()).containsExactly("SIGSEGV (0xb) at pc=0x1");
        assertThat(back.console()).containsExactly("a", "b c");
        assertThat(back.durationMillis()).isEqualTo(4000);
        assertThat(j.text(200)).as("console lines give way first").doesNotContain("console: a");
        assertThat(Judgement.parse("ending: nonsense\nboot: x\n")).isNull();
    }

    @Test
    void anHsErrFileIsReadOnlyWhenItIsTheStoreOwnersRegularFile() throws Exception {
        Path file = dir.resolve("hs_err_pid5.log");
        Files.writeString(file, "#\n#  SIGSEGV (0xb) at pc=0x1, pid=5, tid=6\n#\n# Problematic frame:\n# V  [libjvm.so+0x1]  f+0x1\n");
        int me = org.pstore.core.store.StoreFiles.ownerUid(dir);
        assertThat(HsErrFiles.headline(HsErrFiles.read(file, me)))
                .containsExactly("SIGSEGV (0xb) at pc=0x1, pid=5, tid=6", "Problematic frame: V  [libjvm.so+0x1]  f+0x1");
        assertThatThrownBy(() -> HsErrFiles.read(file, me + 1)).isInstanceOf(IOException.class).hasMessageContaining("not to the store's owner");
        Path link = dir.resolve("hs_err_pid6.log");
        Files.createSymbolicLink(link, Path.of("/etc/shadow"));
        assertThatThrownBy(() -> HsErrFiles.read(link, me)).hasMessageContaining("not a regular file");
        Path hard = dir.resolve("hs_err_pid7.log");
        Files.createLink(hard, file);
        assertThatThrownBy(() -> HsErrFiles.read(hard, me)).hasMessageContaining("2 links");
    }

    /** A less trusted store owner names /etc/shadow as its ErrorFile; the reader, root, does not read it. */
    @Test
    void anErrorFileOfAnotherOwnerIsNamedNotRead() {
        Path shadow = Path.of("/etc/shadow");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(shadow), "no /etc/shadow here");
        RunMark.Read mark = new RunMark.Read(2, 4242, 0, 1000, 1, 2, 0, RunMark.Exit.NONE, -1,
                StartMark.of(Map.of(StartMark.ERROR_FILE, shadow.toString(), StartMark.CWD, dir.toString())));
        Judgement j = Judge.judge(mark, List.of(), r -> null, false, 54321, null);
        assertThat(j.evidence()).anyMatch(e -> e.startsWith("hs_err file not read: /etc/shadow belongs to uid 0, not to the store's owner (uid 54321)"));
        assertThat(j.headline()).isEmpty();
        assertThat(j.text(16 << 10)).doesNotContain("root:");
    }

    @Test
    void errorFilePatternsAndTheDefaultPlaces() {
        StartMark m = StartMark.of(Map.of(StartMark.ERROR_FILE, "logs/crash_%p_%%.log", StartMark.CWD, "/srv/app", StartMark.TMP, "/var/tmp"));
        assertThat(HsErrFiles.candidates(m, 12)).containsExactly(Path.of("/srv/app/logs/crash_12_%.log"),
                Path.of("/srv/app/hs_err_pid12.log"), Path.of("/tmp/hs_err_pid12.log"), Path.of("/var/tmp/hs_err_pid12.log"));
    }

    @Test
    void secretsInAnHsErrFileAreMaskedAndTheRestKeptByteForByte() {
        byte[] file = "jvm_args: -Ddb.password=hunter2 -Xmx1g\n\u00ff\u0001bytes\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] stored = LastWords.redacted(file, Redaction.defaults());
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).isEqualTo("jvm_args: -Ddb.password=*** -Xmx1g\n\u00ff\u0001bytes\n");
    }

    /** The heartbeat itself, past the JIT's thresholds, over many rounds: 0 bytes. */
    @Test
    void theHeartbeatAllocatesNothing() throws Exception {
        try (RunMark m = RunMark.begin(dir, 1, 1, 1, StartMark.of(Map.of()))) {
            Heartbeat beat = new Heartbeat(m);
            org.pstore.core.testing.Jit.warm(beat);
            long most = 0;
            for (int round = 0; round < 50; round++) {
                most = Math.max(most, org.pstore.core.testing.Allocations.of(beat));
            }
            System.out.println("heartbeat: at most " + most + " bytes allocated by one beat over 50 rounds");
            assertThat(most).isZero();
        }
    }

    /**
     * The thread that beats, the console journal's, in a booted store left idle for 3.5 s: its heartbeats move
     * the mark on, at most once a second, and it allocates nothing meanwhile.
     */
    @Test
    void theJournalThreadBeatsWithoutAllocating() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.pstore.boot.Boot.Booted b = org.pstore.TestStores.open(dir);
        try {
            b.ring().println("one line, then quiet");
            Thread.sleep(2500); // past the journal's busy spell and its first beats
            long id = b.console().thread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            long firstBeat = RunMark.read(dir).beatMillis();
            Thread.sleep(3500);
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            long moved = RunMark.read(dir).beatMillis() - firstBeat;
            System.out.println("journal thread: " + allocated + " bytes allocated in 3.5 s; last sign of life moved on " + moved + " ms");
            assertThat(allocated).isZero();
            assertThat(moved).isBetween(2000L, 4500L);
        } finally {
            b.close();
        }
    }
}
