package org.pstore.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;
import org.pstore.panic.DumpReason;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * The most common death of a JVM service, really: the heap filled by one to eight threads with objects of
 * varied sizes while main logs, heaps from 32 to 256 MiB, and the error on whichever thread it lands; then
 * the heap filled by each of pstore's own threads in turn. Every run: exactly one crash record, holding
 * OutOfMemoryError and the last line main logged before the panic. The runs vary from a seed, printed
 * with every run ({@code -Dpstore.test.seed=N} replays them).
 */
class OomIT {
    private static final long SEED = Long.getLong("pstore.test.seed", System.nanoTime());
    private static final int RUNS = Integer.getInteger("pstore.test.oomRuns", 20);

    @TempDir
    Path dir;

    static Stream<Arguments> appThreads() {
        Random random = new Random(SEED);
        List<Arguments> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(Arguments.of(i, "app:" + (1 + random.nextInt(8)), 32 + random.nextInt(225), random.nextLong(),
                    Jdks.current()));
        }
        for (Jdks.Jdk other : Jdks.others()) { // a few on every other JDK too
            for (int i = 0; i < 4; i++) {
                runs.add(Arguments.of(RUNS + i, "app:" + (1 + random.nextInt(8)), 32 + random.nextInt(225),
                        random.nextLong(), other));
            }
        }
        return runs.stream();
    }

    static Stream<Arguments> pstoreThreads() {
        Random random = new Random(SEED ^ 0x5DEECE66DL);
        return Jdks.all().stream().flatMap(jdk -> Stream.of("pstore-watchdog", "pstore-journal", "pstore-worker",
                "pstore-panic-timer").map(t -> Arguments.of(0, t, 48 + random.nextInt(80), random.nextLong(), jdk)));
    }

    @ParameterizedTest(name = "run {0}: heap filled by {1}, -Xmx{2}m, on {4}")
    @MethodSource("appThreads")
    void exactlyOneCrashRecordWithTheErrorAndTheLastLineLogged(int run, String filler, int heapMiB, long seed,
                                                               Jdks.Jdk jdk) throws Exception {
        crashAndRead(filler, heapMiB, seed, jdk);
    }

    @ParameterizedTest(name = "heap filled by {1}, -Xmx{2}m, on {4}")
    @MethodSource("pstoreThreads")
    void theErrorOnOneOfPstoresOwnThreadsStillLeavesOneRecord(int run, String filler, int heapMiB, long seed,
                                                              Jdks.Jdk jdk) throws Exception {
        String crash = crashAndRead(filler, heapMiB, seed, jdk);
        assertThat(crash).as("the panic was on " + filler).contains("Thread: \"" + filler + "\"");
    }

    private String crashAndRead(String filler, int heapMiB, long seed, Jdks.Jdk jdk) throws Exception {
        Path store = dir.resolve("store");
        Path progress = dir.resolve("progress");
        JvmFork.Child child = JvmFork.of(OomApp.class, dir).jdk(jdk).jvmArg("-Xmx" + heapMiB + "m")
                .arg(store.toString(), progress.toString(), Long.toString(seed), filler).start();
        long started = System.nanoTime();
        int status = child.awaitExit(120);
        System.out.println("OomIT: heap filled by " + filler + ", -Xmx" + heapMiB + "m, " + jdk + ", run seed " + seed
                + ": exit " + status + " after " + (System.nanoTime() - started) / 1_000_000 + " ms");
        String why = "seed " + SEED + " (this run " + seed + ", " + filler + ", -Xmx" + heapMiB + "m, " + jdk
                + "): replay with -Dpstore.test.seed=" + SEED + "\nstdout:\n" + child.out() + "\nstderr (tick lines left out):\n" + withoutTicks(child.err());
        assertThat(status).as("exit status of the panic (was %d); %s", status, why).isEqualTo(70);
        long lastLogged = ByteBuffer.wrap(Files.readAllBytes(progress)).getLong(0);
        assertThat(lastLogged).as(why).isGreaterThanOrEqualTo(299);
        try (PstoreReader reader = PstoreReader.open(store)) {
            List<PstoreRecord> dmesg = reader.records().stream().filter(r -> r.type() == RecordType.DMESG).toList();
            Set<Integer> panics = dmesg.stream().filter(r -> r.reason() == DumpReason.PANIC.code())
                    .map(PstoreRecord::count).collect(Collectors.toSet());
            assertThat(panics).as("exactly one crash record; %s", why).hasSize(1);
            List<PstoreRecord> parts = reader.dumpParts(DumpReason.PANIC, panics.iterator().next());
            assertThat(parts.stream().filter(p -> p.part() == 1)).as("one Part#1; %s", why).hasSize(1);
            StringBuilder text = new StringBuilder();
            for (PstoreRecord p : parts) {
                text.append(reader.payload(p).text());
            }
            String crash = text.toString();
            assertThat(crash).as("the cause; %s", why).contains("Cause: java.lang.OutOfMemoryError");
            assertThat(crash).as("the last line logged before the panic; %s", why)
                    .contains("INFO oom.app: tick " + lastLogged + "\n");
            return crash;
        }
    }

    /** The child's stderr without main's ticks (two lines each through JUL's console), which hide what matters. */
    private static String withoutTicks(String err) {
        return err.lines().filter(l -> !l.endsWith("org.pstore.crash.OomApp tick") && !l.startsWith("INFO: tick "))
                .collect(Collectors.joining("\n"));
    }
}
