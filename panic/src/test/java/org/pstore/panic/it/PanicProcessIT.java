package org.pstore.panic.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real panics in a child JVM ({@link PanicChild}): exit status, the dump records and the report as written.
 * Each child must end on its own: after 60 s it is destroyed and the test fails (a hang guard, not a
 * timing assertion).
 */
class PanicProcessIT {
    private static final long HANG_GUARD_SECONDS = 60;

    @TempDir
    Path dir;

    /** What a child left behind. */
    private static final class Child {
        int exitStatus;
        List<String> dumps;
        List<String> console;
        String stderr;

        long dumpsStartingWith(String prefix) {
            return dumps.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    @Test
    void sixteenConcurrentPanicsDumpOnceAndExitWithTheStatus() throws Exception {
        Child child = run("concurrent-exit");
        assertThat(child.exitStatus).isEqualTo(42);
        assertThat(child.dumps).hasSize(1);
        assertThat(child.dumps.get(0)).matches("kmsg panic sixteen at once \\[(panicker-\\d+)\\] on \\1");
        assertThat(child.console).containsOnlyOnce("JVM panic - not syncing: sixteen at once");
        assertThat(child.stderr).contains("JVM panic - not syncing: sixteen at once");
    }

    @Test
    void aHungNotifierAboveTheDumpStepIsLeftBehindAndTheTimerDumpsAndHalts() throws Exception {
        Child child = run("hung-notifier-halt");
        assertThat(child.exitStatus).isEqualTo(43);
        assertThat(child.dumps).containsExactly("kmsg panic hung notifier [main] on pstore-panic-timer");
        assertThat(child.console).contains("notifier hanger timed out",
                "notifier thrower failed: java.lang.IllegalStateException: thrown on purpose");
    }

    @Test
    void anUncaughtOutOfMemoryErrorInMainPanicsAndTheReportIsWritten() throws Exception {
        Child child = run("out-of-memory", "-Xmx32m");
        assertThat(child.exitStatus).isEqualTo(45);
        assertThat(child.dumps).containsExactly("kmsg panic uncaught virtual machine error [main] on main");
        assertThat(child.console).anyMatch(l -> l.startsWith("Cause: java.lang.OutOfMemoryError"));
        assertThat(child.console).anyMatch(l -> l.startsWith("JVM: "));
        assertThat(child.console.get(child.console.size() - 1))
                .isEqualTo("---[ end JVM panic - not syncing: uncaught virtual machine error ]---");
    }

    @Test
    void aStackOverflowInAWorkerPanics() throws Exception {
        Child child = run("stack-overflow");
        assertThat(child.exitStatus).isEqualTo(46);
        assertThat(child.dumps).containsExactly("kmsg panic uncaught virtual machine error [recurser] on recurser");
        assertThat(child.console).contains("Cause: java.lang.StackOverflowError");
        assertThat(child.console).anyMatch(l -> l.matches("    \\.\\.\\. \\d+ frames omitted"));
    }

    @Test
    void aPanicDuringJvmShutdownDumpsAndDoesNotDeadlockInSystemExit() throws Exception {
        Child child = run("panic-in-shutdown");
        assertThat(child.exitStatus).isZero();
        assertThat(child.dumps).containsExactly("kmsg panic panic in shutdown hook [app-hook] on app-hook");
        assertThat(child.console).contains("panic: JVM already shutting down, not calling System.exit");
    }

    @Test
    void anUncaughtExceptionInAWorkerIsAnOopsAndTheJvmGoesOn() throws Exception {
        Child child = run("worker-oops");
        assertThat(child.exitStatus).isZero();
        assertThat(child.dumps).containsExactly(
                "kmsg oops uncaught exception [worker-1] on worker-1",
                "all oops uncaught exception [worker-1] on worker-1",
                "still alive",
                "all shutdown shutdown [pstore-shutdown] on pstore-shutdown");
        assertThat(child.console).contains("Oops: uncaught exception",
                "Cause: java.lang.IllegalStateException: worker failed");
        assertThat(child.stderr).contains("Exception in thread \"worker-1\" java.lang.IllegalStateException");
    }

    @Test
    void theWatchdogPanicsOnARealDeadlockAndTheReportShowsTheCycle() throws Exception {
        Child child = run("deadlock");
        assertThat(child.exitStatus).isEqualTo(49);
        assertThat(child.dumps).containsExactly("kmsg panic deadlock [pstore-watchdog] on pstore-watchdog");
        assertThat(child.console)
                .anyMatch(l -> l.matches("Deadlock: \"deadlock-a\" #\\d+ waits for java.lang.Object@\\p{XDigit}+ "
                        + "held by \"deadlock-b\" #\\d+"))
                .anyMatch(l -> l.matches("Deadlock: \"deadlock-b\" #\\d+ waits for java.lang.Object@\\p{XDigit}+ "
                        + "held by \"deadlock-a\" #\\d+"))
                .anyMatch(l -> l.startsWith("\"deadlock-a\" #") && l.contains(" BLOCKED on java.lang.Object@"))
                .anyMatch(l -> l.startsWith("        - locked <0x") && l.endsWith("(a java.lang.Object)"));
    }

    @Test
    void whenSystemExitHangsInAShutdownHookThePanicTimeoutHalts() throws Exception {
        Child child = run("exit-hook-hangs");
        assertThat(child.exitStatus).isEqualTo(50);
        assertThat(child.dumps).containsExactly("kmsg panic exit hangs [main] on main");
        assertThat(child.console).contains("panic timeout: halting");
    }

    @Test
    void whenThePanicTimerHangsInASecondNotifierTheWatchdogHaltsAtTheTimeout() throws Exception {
        Child child = run("timer-stuck");
        assertThat(child.exitStatus).isEqualTo(51);
        assertThat(child.dumps).containsExactly("kmsg panic timer stuck [main] on pstore-panic-timer");
        assertThat(child.console).contains("notifier hang-1 timed out", "panic timeout: halting");
        assertThat(child.console).doesNotContain("notifier hang-2 timed out");
    }

    @Test
    void atAnExhaustedHeapTheTimeoutStillHaltsWithThePanicsStatus() throws Exception {
        // the owner and the timer hang in two notifiers, and every byte a collection frees is taken at once:
        // the timeout's halt must need no heap (a line said for the first time then would make a String)
        Child child = run("timer-stuck-exhausted", "-Xmx64m");
        assertThat(child.exitStatus).as("stderr:%n%s", child.stderr).isEqualTo(52);
    }

    private Child run(String scenario, String... jvmArgs) throws IOException, InterruptedException {
        Path dumpFile = dir.resolve("dumps.txt");
        Path consoleFile = dir.resolve("console.txt");
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dpstore.test.dumpFile=" + dumpFile);
        command.add("-Dpstore.test.consoleFile=" + consoleFile);
        command.add(PanicChild.class.getName());
        command.add(scenario);
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            fail("hang guard: child " + scenario + " did not end on its own; stderr:\n" + read(stderr));
        }
        Child child = new Child();
        child.exitStatus = process.exitValue();
        child.dumps = lines(dumpFile);
        child.console = lines(consoleFile);
        child.stderr = read(stderr);
        System.out.println("child " + scenario + " exit " + child.exitStatus + "\n--- dumps\n"
                + String.join("\n", child.dumps) + "\n--- stderr\n" + child.stderr);
        return child;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
