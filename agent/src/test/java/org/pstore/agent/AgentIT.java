package org.pstore.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import example.Apps;
import example.JulApp;
import example.LogbackApp;
import example.VisibilityApp;
import example.spring.SpringApp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;

/** What a user of the agent sees: Spring Boot, an unchanged console, and an agent that cannot arm. */
class AgentIT {
    @TempDir
    Path dir;

    static List<Jdks.Jdk> jdks() {
        return Agent.jdks();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aSpringBootApplicationCrashingAfterItStartedLeavesSpringsStartUpLinesAndItsLastLine(Jdks.Jdk jdk) throws Exception {
        Path store = dir.resolve("store");
        JvmFork.Child c = Agent.app(SpringApp.class, dir, jdk, AppClassPath.of(null, AppClassPath.SPRING), "dir=" + store).start();
        Agent.awaitArmed(c, 90);
        Agent.awaitJournal(store, "app line 5\n", c, 90);
        Agent.crashNow(dir);
        assertThat(c.awaitExit(120)).as(c.err()).isEqualTo(70);
        assertThat(c.out()).as("Spring's own console output").contains("Started SpringApp in");
        assertThat(Agent.panics(store)).isEqualTo(1);
        String record = Agent.panicText(store);
        assertThat(record).contains("java.lang.OutOfMemoryError")
                .containsPattern("\\[main\\] INFO example\\.spring\\.SpringApp: Starting SpringApp using Java")
                .containsPattern("\\[main\\] INFO example\\.spring\\.SpringApp: Started SpringApp in")
                .contains("[main] INFO example.spring.SpringApp: " + Apps.LAST);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anSlf4jAndLogbackApplicationPrintsExactlyWhatItPrintsWithoutTheAgent(Jdks.Jdk jdk) throws Exception {
        String cp = AppClassPath.of("logback", AppClassPath.LOGBACK);
        JvmFork.Child without = JvmFork.of(LogbackApp.class, dir.resolve("without")).withoutFlags().jdk(jdk).classPath(cp)
                .arg("exit").start();
        assertThat(without.awaitExit(60)).isZero();
        Path store = dir.resolve("store");
        JvmFork.Child with = Agent.app(LogbackApp.class, dir.resolve("with"), jdk, cp, "dir=" + store).arg("exit").start();
        assertThat(with.awaitExit(60)).as(with.err()).isZero();
        assertThat(withoutTimes(with.out())).isEqualTo(withoutTimes(without.out())).contains("INFO  example.logback - line 200");
        assertThat(with.err()).as("no SLF4J warning, nothing of pstore's").isEqualTo(without.err()).isEmpty();
        assertThat(Agent.console(store)).as("and the lines are in the journal").contains("[main] INFO example.logback: line 200");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aBadAgentOptionIsOneLineAndTheApplicationRunsToItsEnd(Jdks.Jdk jdk) throws Exception {
        JvmFork.Child c = Agent.app(JulApp.class, dir, jdk, AppClassPath.of(null), "dir=" + dir.resolve("store") + ",kmsgBytes=lots")
                .arg("exit").start();
        assertThat(c.awaitExit(60)).isZero();
        assertThat(c.err().lines().filter(l -> l.startsWith("pstore:")).toList()).containsExactly(
                "pstore: bad setting pstore.kmsgBytes=lots (agent option kmsgBytes): expected a size such as 64k; the application runs without pstore");
        assertThat(c.err()).contains("INFO: line 200");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anUnwritableDirectoryIsOneLineAndTheApplicationRunsToItsEnd(Jdks.Jdk jdk) throws Exception {
        // /proc refuses a new directory even to root, whom file modes do not stop
        JvmFork.Child c = Agent.app(JulApp.class, dir, jdk, AppClassPath.of(null), "dir=/proc/pstore-test").arg("exit").start();
        assertThat(c.awaitExit(60)).isZero();
        List<String> ours = c.err().lines().filter(l -> l.startsWith("pstore:")).toList();
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0)).startsWith("pstore: cannot arm: cannot create /proc/pstore-test").endsWith("; the application runs without pstore");
        assertThat(c.err()).contains("INFO: line 200");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aDamagedMarkerIsHealedQuietlyAndTheHealingIsARecordTheReaderLists(Jdks.Jdk jdk) throws Exception {
        Path store = dir.resolve("store");
        JvmFork.Child first = Agent.app(JulApp.class, dir.resolve("first"), jdk, AppClassPath.of(null), "dir=" + store).arg("exit").start();
        assertThat(first.awaitExit(60)).as(first.err()).isZero();
        java.nio.file.Files.writeString(store.resolve("PSTORE"), "not what pstore writes\n");
        JvmFork.Child second = Agent.app(JulApp.class, dir.resolve("second"), jdk, AppClassPath.of(null), "dir=" + store).arg("exit").start();
        assertThat(second.awaitExit(60)).as(second.err()).isZero();
        assertThat(second.err().lines().filter(l -> l.startsWith("pstore:"))).as("healing is not an error of the application's").isEmpty();
        try (org.pstore.reader.PstoreReader r = org.pstore.reader.PstoreReader.open(store)) {
            List<org.pstore.record.PstoreRecord> healing = r.records().stream()
                    .filter(x -> x.type() == org.pstore.record.RecordType.HEALING).toList();
            assertThat(healing).as("the healing record of boot 2").singleElement().satisfies(h -> {
                assertThat(h.bootNumber()).isEqualTo(2);
                assertThat(r.payload(h).text()).contains("marker");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anUnknownAgentOptionIsRefusedByName(Jdks.Jdk jdk) throws Exception {
        JvmFork.Child c = Agent.app(JulApp.class, dir, jdk, AppClassPath.of(null), "directory=/tmp/x").arg("exit").start();
        assertThat(c.awaitExit(60)).isZero();
        assertThat(c.err().lines().filter(l -> l.startsWith("pstore:")).toList()).singleElement().asString()
                .startsWith("pstore: unknown agent option directory (the settings are: dir, mode, maxReason, kmsgBytes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void nothingOfTheAgentsBundleIsVisibleToTheApplication(Jdks.Jdk jdk) throws Exception {
        String[] names = {"org.pstore.Pstore", "org.pstore.capture.CaptureRing", "net.openhft.chronicle.core.Jvm",
            "org.slf4j.LoggerFactory", "org.objectweb.asm.ClassReader", "org.pstore.agent.arming.Arming"};
        JvmFork.Child c = Agent.app(VisibilityApp.class, dir, jdk, AppClassPath.of(null), "dir=" + dir.resolve("store")).arg(names).start();
        assertThat(c.awaitExit(60)).as(c.err()).isZero();
        for (String n : names) {
            assertThat(c.out()).contains(n + " absent\n");
        }
        assertThat(c.err()).isEmpty();
    }

    /** Logback's %d{HH:mm:ss.SSS} at the start of each line. */
    private static String withoutTimes(String out) {
        return out.replaceAll("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ", "");
    }
}
