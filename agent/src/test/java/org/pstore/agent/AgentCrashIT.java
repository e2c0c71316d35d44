package org.pstore.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import example.Apps;
import example.HandlerApp;
import example.JulApp;
import example.Log4j2App;
import example.LogbackApp;
import example.StdoutApp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;

/**
 * Applications with no pstore code and no JVM flags of ours, started only with {@code -javaagent}, each logging
 * through another channel (java.util.logging, System.out, SLF4J + Logback, Log4j2), log numbered lines, log a
 * last line and die of an uncaught OutOfMemoryError (its heap held by a static field), on every installed JDK:
 * one crash record, holding the error and the last line logged, with its time, thread, level and logger.
 */
class AgentCrashIT {
    @TempDir
    Path dir;

    record App(String name, Class<?> main, String classPath, String prefix) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> runs() {
        List<App> apps = List.of(
                new App("java.util.logging", JulApp.class, AppClassPath.of(null), "[main] INFO example.jul: "),
                new App("System.out", StdoutApp.class, AppClassPath.of(null), "[main] stdout: "),
                new App("SLF4J + Logback", LogbackApp.class, AppClassPath.of("logback", AppClassPath.LOGBACK),
                        "[main] INFO example.logback: "),
                new App("Log4j2", Log4j2App.class, AppClassPath.of("log4j2", AppClassPath.LOG4J2),
                        "[main] INFO example.log4j2: "));
        List<Arguments> runs = new ArrayList<>();
        for (Jdks.Jdk jdk : Agent.jdks()) {
            for (App app : apps) {
                runs.add(Arguments.of(jdk, app));
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("runs")
    void anApplicationStartedWithOnlyTheAgentLeavesOneCrashRecordWithItsLastLine(Jdks.Jdk jdk, App app) throws Exception {
        Path store = dir.resolve("store");
        JvmFork.Child c = Agent.app(app.main(), dir, jdk, app.classPath(), "dir=" + store).arg("wait").start();
        Agent.awaitArmed(c, 60);
        Agent.awaitJournal(store, app.prefix() + "line 20\n", c, 60);
        Agent.crashNow(dir);
        int status = c.awaitExit(120);
        assertThat(status).as("exit status (panic exit); stderr:\n" + c.err()).isEqualTo(70);
        assertThat(c.err()).as("nothing of pstore's on stderr but the echoed report").doesNotContain("pstore:").doesNotContain("WARNING");
        assertThat(Agent.panics(store)).as("crash records").isEqualTo(1);
        String record = Agent.panicText(store);
        String last = app.prefix() + Apps.LAST;
        assertThat(record).contains("Panic#1 Part#1").contains("java.lang.OutOfMemoryError").contains(last);
        assertThat(record).as("time, thread, level and logger").containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\Q" + last + "\\E");
    }

    /**
     * The crash comes at once, while the store is still opening in the background (200 lines, then an exception
     * out of main): it waits for the store, and the record holds the lines logged since main started. (A heap
     * exhausted while Chronicle starts can also cost the store itself: see the README.)
     */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("runs")
    void aCrashWhileTheStoreStillOpensLeavesTheRecordToo(Jdks.Jdk jdk, App app) throws Exception {
        Path store = dir.resolve("store");
        JvmFork.Child c = Agent.app(app.main(), dir, jdk, app.classPath(), "dir=" + store).arg("throw").start();
        assertThat(c.awaitExit(120)).as("exit status (panic exit); stderr:\n" + c.err()).isEqualTo(70);
        assertThat(c.err()).doesNotContain("pstore:");
        assertThat(Agent.panics(store)).isEqualTo(1);
        assertThat(Agent.panicText(store)).contains("java.lang.IllegalStateException: the application gives up")
                .contains(app.prefix() + "line 1\n").contains(app.prefix() + "line " + Apps.LINES + "\n");
    }

    static Stream<Jdks.Jdk> jdks() {
        return Agent.jdks().stream();
    }

    /**
     * The heap runs out in main's first milliseconds (200 lines, then allocations of a size from the seed: the
     * heap gone after 1 to 100 ms), while the store is still opening and its opening needs heap too. The
     * opening tries again once the crash has come (its heap reserve dropped, main's hoard collectable): the
     * record is written, holding the error and the last line. Only when the allocation that failed was in a
     * class's initialisation (Chronicle's, or a JDK class it starts: a class stays failed) does it give up:
     * then one {@code pstore:} line names the error and the JVM reports the crash as without pstore. Never a
     * trace of pstore's own threads.
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void anOutOfMemoryErrorInMainsFirstMomentsLeavesTheRecordOrOneLineNeverATraceOfPstores(Jdks.Jdk jdk) throws Exception {
        long seed = Long.getLong("pstore.test.seed", System.nanoTime());
        Random random = new Random(seed);
        int records = 0;
        int runs = 4;
        for (int run = 0; run < runs; run++) {
            int chunk = 1 << (12 + random.nextInt(9)); // 32 KiB to 8 MiB at a time
            Path store = dir.resolve("store-" + run);
            JvmFork.Child c = Agent.app(JulApp.class, dir, jdk, AppClassPath.of(null), "dir=" + store)
                    .jvmArg("-Dexample.chunk=" + chunk).arg("die").start();
            int status = c.awaitExit(120);
            String what = "seed " + seed + " (-Dpstore.test.seed), run " + run + ", chunk " + chunk + " longs; stderr:\n" + c.err();
            assertThat(c.err()).as(what).doesNotContain("Exception in thread \"pstore");
            if (status == 70) {
                records++;
                assertThat(c.err()).as(what).doesNotContain("pstore:");
                assertThat(Agent.panics(store)).as(what).isEqualTo(1);
                assertThat(Agent.panicText(store)).as(what).contains("java.lang.OutOfMemoryError")
                        .contains("[main] INFO example.jul: line " + Apps.LINES + "\n");
            } else {
                assertThat(status).as("the JVM's own status for an uncaught error; " + what).isEqualTo(1);
                assertThat(c.err().lines().filter(l -> l.startsWith("pstore:"))).as(what).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .contains("java.lang.OutOfMemoryError").endsWith("the application runs without pstore");
                assertThat(c.err()).as(what).contains("Exception in thread \"main\" java.lang.OutOfMemoryError");
            }
        }
        System.out.println("AgentCrashIT: heap gone at once, on " + jdk + ", seed " + seed + ": " + records + " of " + runs + " runs left the record");
    }

    /**
     * An application that sets a default handler of its own, chaining none, loses no crash record: set while
     * the store still opens or once pstore runs, with its main thread failing (at once: the main thread keeps
     * pstore's handler as its own), or another thread of it running out of heap half a second later, once
     * pstore runs (the watchdog puts pstore's default handler back on top, the application's under it).
     */
    @ParameterizedTest(name = "set at {1}, fails in {2}, on {0}")
    @MethodSource("handlerRuns")
    void anApplicationThatSetsItsOwnDefaultHandlerStillLeavesTheRecord(Jdks.Jdk jdk, String when, String where) throws Exception {
        Path store = dir.resolve("store");
        JvmFork.Child c = Agent.app(HandlerApp.class, dir, jdk, AppClassPath.of(null), "dir=" + store + ",watchdog.interval=100ms")
                .arg(when, where).start();
        if (!(when.equals("start") && where.equals("main"))) {
            Agent.awaitArmed(c, 60);
            Agent.awaitJournal(store, "[main] INFO example.handler: line 21\n", c, 60);
            Agent.crashNow(dir);
        }
        assertThat(c.awaitExit(120)).as("exit status (panic exit); stderr:\n" + c.err()).isEqualTo(70);
        assertThat(c.err()).doesNotContain("pstore:");
        assertThat(Agent.panics(store)).isEqualTo(1);
        assertThat(Agent.panicText(store)).contains(where.equals("main") ? "java.lang.IllegalStateException: the application gives up"
                : "java.lang.OutOfMemoryError").contains("[main] INFO example.handler: " + Apps.LAST + "\n");
    }

    static Stream<Arguments> handlerRuns() {
        List<Arguments> runs = new ArrayList<>();
        for (Jdks.Jdk jdk : Agent.jdks()) {
            for (String when : List.of("start", "armed")) {
                for (String where : List.of("main", "worker")) {
                    runs.add(Arguments.of(jdk, when, where));
                }
            }
        }
        return runs.stream();
    }
}
