package org.pstore.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import example.Apps;
import example.LogbackApp;
import example.SlowPremain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;

/**
 * {@code pstore attach PID}: into a running JVM that logs through SLF4J + Logback, twice; into one still being created;
 * into a process that is no JVM.
 */
class AttachIT {
    @TempDir
    Path dir;

    static List<Jdks.Jdk> jdks() {
        return Agent.jdks();
    }

    private JvmFork.Child attach(Jdks.Jdk jdk, String name, String... args) throws Exception {
        return JvmFork.ofJar(Agent.jar(), dir.resolve(name)).withoutFlags().jdk(jdk).arg(args).start(); // as bin/pstore runs it
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachedToARunningJvmTheCrashRecordHoldsTheLinesLoggedAfterTheAttach(Jdks.Jdk jdk) throws Exception {
        Path store = dir.resolve("store");
        JvmFork.Child app = JvmFork.of(LogbackApp.class, dir).withoutFlags().jdk(jdk)
                .classPath(AppClassPath.of("logback", AppClassPath.LOGBACK)).jvmArg("-Xmx64m").arg("wait").start();
        try {
            attachTwiceThenCrash(jdk, app, store);
        } finally {
            if (app.alive()) {
                app.kill();
            }
        }
    }

    private void attachTwiceThenCrash(Jdks.Jdk jdk, JvmFork.Child app, Path store) throws Exception {
        assertThat(app.awaitOutput("line 10\n", 60)).as(app.err()).isTrue();

        JvmFork.Child first = attach(jdk, "first", Long.toString(app.pid()), "dir=" + store);
        assertThat(first.awaitExit(90)).as(first.err()).isZero();
        assertThat(first.out()).startsWith("pstore: armed in " + app.pid() + " (the Java agent, store " + store.toAbsolutePath() + ")");

        JvmFork.Child second = attach(jdk, "second", Long.toString(app.pid()), "dir=" + dir.resolve("other"));
        assertThat(second.awaitExit(90)).as(second.err()).isZero();
        assertThat(second.out()).startsWith("pstore: already armed in " + app.pid()).contains("nothing done");

        Agent.awaitJournal(store, "INFO example.logback: line ", app, 60);
        Agent.crashNow(dir);
        assertThat(app.awaitExit(120)).as(app.err()).isEqualTo(70);
        assertThat(app.err()).doesNotContain("pstore:");
        assertThat(Agent.panics(store)).isEqualTo(1);
        assertThat(Agent.panicText(store)).contains("java.lang.OutOfMemoryError")
                .contains("[main] INFO example.logback: " + Apps.LAST);
    }

    /**
     * Attached while the JVM is still being created (another agent's premain takes 8 s): the attach sends nothing
     * until the creation is over (reading the properties of a JVM whose system class loader is being made can break
     * it for good: VmCreation), then arms it as usual, and the application runs and crashes with its record.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachedWhileTheJvmIsStillBeingCreatedItWaitsForTheCreationThenArms(Jdks.Jdk jdk) throws Exception {
        Path store = dir.resolve("store");
        Path slow = SlowPremain.jar(dir.resolve("slow-agent.jar"));
        JvmFork.Child app = JvmFork.of(LogbackApp.class, dir).withoutFlags().jdk(jdk)
                .classPath(AppClassPath.of("logback", AppClassPath.LOGBACK))
                .jvmArg("-Xmx64m", "-javaagent:" + slow + "=8000").arg("wait").start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(dir.resolve("premain-started"))) {
                assertThat(app.alive() && System.nanoTime() < deadline).as("the premain starts; " + app.err()).isTrue();
                Thread.sleep(10);
            }
            assertThat(dir.resolve("premain-done")).doesNotExist();

            JvmFork.Child attach = attach(jdk, "during", Long.toString(app.pid()), "dir=" + store);
            assertThat(attach.awaitExit(90)).as(attach.err()).isZero();
            assertThat(attach.out()).startsWith("pstore: armed in " + app.pid());
            assertThat(dir.resolve("premain-done")).as("the creation was over before anything was sent").exists();

            Agent.awaitJournal(store, "INFO example.logback: line ", app, 60);
            Agent.crashNow(dir);
            assertThat(app.awaitExit(120)).as(app.err()).isEqualTo(70);
            assertThat(app.err()).doesNotContain("pstore:").doesNotContain("Could not initialize");
            assertThat(Agent.panicText(store)).contains("[main] INFO example.logback: " + Apps.LAST);
        } finally {
            if (app.alive()) {
                app.kill();
            }
        }
    }

    private static final long SIGQUIT_BIT = 1L << (3 - 1);

    /** The signals pending for the process or any of its threads ({@code /proc/PID/status}, hexadecimal masks). */
    private static long pendingSignals(long pid) throws Exception {
        long mask = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:")) {
                mask |= Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        return mask;
    }

    @Test
    void aProcessThatIsNoJvmIsOneLineAndStatusOneAndIsSentNothing() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            JvmFork.Child c = attach(Jdks.current(), "nojvm", Long.toString(sleep.pid()));
            assertThat(c.awaitExit(60)).isEqualTo(1);
            assertThat(c.err().lines().toList()).singleElement().asString()
                    .startsWith("pstore: cannot attach to " + sleep.pid() + ": not a running JVM, or not one this user may attach to");
            assertThat(c.out()).isEmpty();
            // The Attach API's SIGQUIT would have ended it, or (blocked, as a JVM's children have it) be pending.
            assertThat(sleep.isAlive()).isTrue();
            assertThat(pendingSignals(sleep.pid()) & SIGQUIT_BIT).as("SIGQUIT pending in the process").isZero();
        } finally {
            sleep.destroyForcibly().waitFor();
        }
    }

    @Test
    void aPidOfNoProcessIsOneLineAndStatusOne() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        JvmFork.Child c = attach(Jdks.current(), "gone", Long.toString(gone.pid()));
        assertThat(c.awaitExit(60)).isEqualTo(1);
        assertThat(c.err().lines().toList()).singleElement().asString()
                .startsWith("pstore: cannot attach to " + gone.pid() + ": not a running JVM").contains("no such process");
        assertThat(c.out()).isEmpty();
    }
}
