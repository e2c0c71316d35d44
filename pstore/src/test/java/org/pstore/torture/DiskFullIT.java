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
 * mount goes with the child), filled to the last block by a filler file. The tmpfs run is by hand
 * ({@code -Dpstore.torture.tmpfs=true}) because it does not hold yet: a write of the store into a mapped
 * page the full filesystem cannot back faults (SIGBUS), which the JVM raises as an asynchronous
 * InternalError in the writing thread, and the reader faults the same way on the sparse pages of a tmpfs.
 * The run says which ran.
 */
class DiskFullIT {
    static final String TMPFS = "pstore.torture.tmpfs";

    @TempDir
    Path work;

    @Test
    void aFullStoreRefusesWritesButKeepsTheCrashRecord() throws Exception {
        Torture.Report report = Torture.start("disk-full");
        run(report, "simulated");
        boolean tmpfsPossible = "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"));
        if (Boolean.getBoolean(TMPFS) && tmpfsPossible) {
            run(report, "tmpfs");
        } else {
            report.say("not run: a real full filesystem (a tmpfs), " + (tmpfsPossible ? "by hand with -D" + TMPFS + "=true (it does not hold yet: see the class)"
                    : "which needs root and unshare here"));
        }
        report.end();
    }

    private void run(Torture.Report report, String mode) throws Exception {
        Path mount = work.resolve(mode);
        Files.createDirectories(mount);
        JvmFork fork = JvmFork.of(DiskFullApp.class, work.resolve("fork-" + mode)).arg(mount.resolve("store").toString(), mode);
        if (mode.equals("tmpfs")) {
            fork.under("/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
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
