package org.pstore.torture;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.testing.JvmFork;
import org.pstore.core.testing.Torture;

/**
 * The torture suite, part 6: disk full ({@link DiskFullApp}): normal writes are refused cleanly, the crash
 * record still fits in the reserve, nothing stored is damaged, and once space is freed writes resume.
 *
 * <p>Two ways to fill the disk. "simulated": the store's capacity is the limit (always run). "tmpfs": the
 * store lives on a 6 MiB tmpfs mounted in the child's own mount namespace ({@code unshare -m}, as root: the
 * mount goes with the child), filled to the last block by a filler file: run wherever the machine lets the
 * test mount one (probed first; {@code -Dpstore.torture.tmpfs=false} skips it). There the store's mapped
 * writes would fault (SIGBUS) on pages the full filesystem cannot back, were they not backed beforehand
 * ({@code Reservation}). The run says which ran.
 */
class DiskFullIT {
    static final String TMPFS = "pstore.torture.tmpfs";

    @TempDir
    Path work;

    @Test
    void aFullStoreRefusesWritesButKeepsTheCrashRecord() throws Exception {
        Torture.Report report = Torture.start("disk-full");
        run(report, "simulated");
        String cannot = !Boolean.parseBoolean(System.getProperty(TMPFS, "true")) ? "skipped with -D" + TMPFS + "=false" : tmpfsRefused();
        if (cannot == null) {
            run(report, "tmpfs");
        } else {
            report.say("not run: a real full filesystem (a tmpfs): " + cannot);
        }
        report.end();
    }

    /** Why a tmpfs of the child's own cannot be mounted here (null: it can), tried once. */
    private String tmpfsRefused() throws Exception {
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of(UNSHARE))) {
            return "it needs root and " + UNSHARE;
        }
        Path probe = Files.createDirectories(work.resolve("probe"));
        Process p = new ProcessBuilder(UNSHARE, "-m", "--propagation", "private", "/bin/sh", "-c",
                "mount -t tmpfs -o size=1m,mode=0700 tmpfs \"$0\"", probe.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 ? null : "this machine does not let the test mount one (" + said + ")";
    }

    private static final String UNSHARE = "/usr/bin/unshare";

    private void run(Torture.Report report, String mode) throws Exception {
        Path mount = work.resolve(mode);
        Files.createDirectories(mount);
        JvmFork fork = JvmFork.of(DiskFullApp.class, work.resolve("fork-" + mode)).arg(mount.resolve("store").toString(), mode);
        if (mode.equals("tmpfs")) {
            fork.under(UNSHARE, "-m", "--propagation", "private", "/bin/sh", "-c",
                    "mount -t tmpfs -o size=6m,mode=0700 tmpfs \"$0\" && exec \"$@\"", mount.toString());
        }
        report.tried(mode.equals("tmpfs") ? "a 6 MiB tmpfs of the child's own, filled to the last block by a filler file"
                : "a simulated full disk: a store of 1 MiB filled by normal writes up to its reserve");
        JvmFork.Child c = fork.start();
        int status = c.awaitExit(120);
        for (String line : c.out().split("\n")) {
            if (line.startsWith("held: ") || line.startsWith("FAILED: ")) {
                report.quietly(line.startsWith("held: "), mode + ": " + line.substring(line.indexOf(' ') + 1));
                if (line.startsWith("held: ")) {
                    report.say(mode + ": " + line);
                }
            }
        }
        report.quietly(status == 0 && c.out().contains("done, 0 failed"), mode + ": the child ran to its end: status " + status
                + "; stderr: " + c.err());
    }
}
