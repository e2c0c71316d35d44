package org.pstore.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.testing.JvmFork;
import org.pstore.panic.DumpReason;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/** Boot, capture, pmsg and the triggers that are not a panic, each in a real JVM. */
class LifecycleIT {
    @TempDir
    Path dir;

    private JvmFork.Child run(String scenario, String... jvmArgs) throws Exception {
        return JvmFork.of(LifeApp.class, dir).jvmArg(jvmArgs).arg(scenario, dir.resolve("store").toString()).start();
    }

    @Test
    void bootIsIdempotentAndLogsAndMessagesAreKept() throws Exception {
        JvmFork.Child c = run("lifecycle");
        assertThat(c.awaitExit(60)).as(c.err()).isZero();
        assertThat(c.out()).contains("before boot: pstore is not booted: call Pstore.boot() first").contains("same instance: true");
        try (PstoreReader r = PstoreReader.open(dir.resolve("store"))) {
            String console = text(r, RecordType.CONSOLE);
            assertThat(console).contains("INFO life.app: logged through java.util.logging").contains("] logged through the API")
                    .as("logged just before System.exit").contains("INFO life.app: the last line before exit");
            assertThat(text(r, RecordType.PMSG)).isEqualTo("hello from lifecycle");
        }
    }

    @Test
    void anUncaughtExceptionInAnOrdinaryThreadIsAnOopsAndTheJvmGoesOn() throws Exception {
        JvmFork.Child c = run("oops");
        assertThat(c.awaitExit(60)).as(c.err()).isZero();
        assertThat(c.out()).contains("done");
        try (PstoreReader r = PstoreReader.open(dir.resolve("store"))) {
            List<PstoreRecord> oops = r.dumpParts(DumpReason.OOPS, 1);
            assertThat(oops).isNotEmpty();
            String text = r.payload(oops.get(oops.size() - 1)).text();
            assertThat(text).startsWith("Oops#1 Part#1").contains("an ordinary thread fails").contains("before the oops");
            assertThat(r.dumpParts(DumpReason.PANIC, 1)).isEmpty();
            assertThat(text(r, RecordType.CONSOLE)).contains("still alive after the oops");
        }
    }

    @Test
    void sigtermLeavesAShutdownDumpWhenMaxReasonAllowsIt() throws Exception {
        JvmFork.Child c = run("sigterm");
        assertThat(c.awaitOutput("waiting for SIGTERM", 60)).as(c.err()).isTrue();
        Thread.sleep(200);
        int status = c.terminate();
        assertThat(status).isEqualTo(143);
        try (PstoreReader r = PstoreReader.open(dir.resolve("store"))) {
            List<PstoreRecord> parts = r.dumpParts(DumpReason.SHUTDOWN, 1);
            assertThat(parts).isNotEmpty();
            assertThat(r.payload(parts.get(parts.size() - 1)).text()).startsWith("Shutdown#1 Part#1").contains("INFO life.app: tick");
        }
    }

    @Test
    void afterSigkillTheConsoleJournalHoldsWhatWasLogged() throws Exception {
        JvmFork.Child c = run("kill");
        assertThat(c.awaitOutput("logged 300\n", 60)).as(c.err()).isTrue();
        Path store = dir.resolve("store");
        // Read the live store (no lock) until the line is in the journal; then kill, and find it still there.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!consoleOf(store).contains("INFO life.app: tick 300")) {
            assertThat(System.nanoTime()).as("tick 300 never reached the journal").isLessThan(deadline);
            Thread.sleep(20);
        }
        c.kill();
        try (PstoreReader r = PstoreReader.open(store)) {
            assertThat(r.problems()).isEmpty();
            assertThat(text(r, RecordType.CONSOLE)).contains("INFO life.app: tick 300");
        }
    }

    private static String consoleOf(Path store) {
        try (PstoreReader r = PstoreReader.open(store)) {
            return text(r, RecordType.CONSOLE);
        }
    }

    @Test
    void aHungWorkerIsAnOopsTheStoreMovesToTheLegacyOpsAndTheJvmGoesOn() throws Exception {
        JvmFork.Child c = run("worker-hang");
        assertThat(c.awaitExit(60)).as(c.err()).isZero();
        assertThat(c.out()).contains("mode now: legacy").contains("done");
        try (PstoreReader r = PstoreReader.open(dir.resolve("store"))) {
            List<PstoreRecord> oops = r.dumpParts(DumpReason.OOPS, 1);
            assertThat(oops).isNotEmpty();
            assertThat(r.payload(oops.get(oops.size() - 1)).text()).contains("pstore worker stuck in a store operation");
        }
    }

    @Test
    void aBadSettingStopsBootWithOneLine() throws Exception {
        JvmFork.Child c = run("bad-config", "-Dpstore.kmsgBytes=lots");
        assertThat(c.awaitExit(60)).isEqualTo(3);
        assertThat(c.out()).contains("boot refused: pstore cannot boot: bad setting pstore.kmsgBytes=lots (system property pstore.kmsgBytes): expected a size such as 64k");
    }

    private static String text(PstoreReader r, RecordType type) {
        StringBuilder sb = new StringBuilder();
        for (PstoreRecord x : r.records()) {
            if (x.type() == type) {
                sb.append(r.payload(x).text());
            }
        }
        return sb.toString();
    }
}
