package org.pstore.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pstore.core.testing.JvmFork;
import org.pstore.reader.PstoreReader;

/**
 * {@code pstore.durability=power} proven at the system-call level: a writer runs under strace, and between
 * every pmsg write and its acknowledgement there is a synchronous flush of the store file it went to
 * ({@code msync(MS_SYNC)} or {@code fdatasync}), and the crash record is flushed before the process halts.
 * In {@code process} mode there is none (the trace can tell the difference).
 */
class PowerDurabilityIT {
    private static final int MESSAGES = 200;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} durability, {1} ops")
    @CsvSource({"power, legacy", "power, interruptible", "process, legacy"})
    void everyAcknowledgedWriteIsFlushedFirst(String durability, String mode) throws Exception {
        Path strace = Path.of("/usr/bin/strace");
        Assumptions.assumeTrue(Files.isExecutable(strace) || Files.isExecutable(Path.of("/bin/strace")),
                "strace is not installed (Debian: apt-get install -y strace; .ci/run installs it)");
        Path store = dir.toRealPath().resolve("store"); // strace shows real paths
        Path log = dir.resolve("trace.txt");
        JvmFork.Child child = JvmFork.of(AckingPmsgApp.class, dir)
                .under("strace", "-f", "-qq", "-s", "64", "-o", log.toString(),
                        "-e", "trace=openat,mmap,munmap,msync,fsync,fdatasync,write")
                .arg(store.toString(), durability, mode, Integer.toString(MESSAGES)).start();
        assertThat(child.awaitExit(180)).as(child.err()).isEqualTo(CrashApp.EXIT);

        SyncTrace trace = SyncTrace.of(Files.readAllLines(log), store.toString());
        List<SyncTrace.Ack> acks = trace.acks.stream().filter(a -> a.what().startsWith("ack ")).toList();
        assertThat(acks).as("every acknowledgement is in the trace").hasSize(MESSAGES);
        if (durability.equals("power")) {
            assertThat(acks).as("a synchronous flush of the store before each acknowledgement").allMatch(SyncTrace.Ack::synced);
            assertThat(trace.syncsAfterPanic).as("the crash record is flushed before the halt").isPositive();
        } else {
            assertThat(acks).as("process durability flushes nothing").noneMatch(SyncTrace.Ack::synced);
        }
        try (PstoreReader reader = PstoreReader.open(store)) {
            assertThat(reader.records().stream().filter(r -> r.typeWord().equals("pmsg"))).hasSize(MESSAGES);
            assertThat(reader.records()).anyMatch(r -> r.typeWord().equals("dmesg"));
        }
    }
}
