package org.pstore.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;

/**
 * Invariant of the panic path: pstore's own threads allocate nothing in their steady state, so that pstore
 * is never the thread that tips a full heap over. In a real JVM, per thread, over at least 1000 rounds after
 * a warm-up: the watchdog's ticks, the journal thread writing log lines into its segment, the worker's idle
 * loop and the panic timer's, each woken while there is nothing to do. Every run must read 0 bytes, apart
 * from the literals Chronicle's rare paths make the first time they run on the journal thread (below). (The
 * journal's roll to a new segment makes a file, and allocates: once per segment, not per line.)
 */
class SteadyStateAllocationIT {
    /** What Chronicle's first runs of its rare paths may make on the journal thread in the window (see below). */
    private static final long JOURNAL_FIRST_TIMES = 2048;
    @TempDir
    Path dir;

    static Iterable<Jdks.Jdk> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void pstoresOwnThreadsAllocateNothingInTheirSteadyState(Jdks.Jdk jdk) throws Exception {
        JvmFork.Child child = JvmFork.of(SteadyStateApp.class, dir).jdk(jdk)
                .arg(dir.resolve("store").toString(), "4000", "4000").start();
        int status = child.awaitExit(60);
        String why = "stdout:\n" + child.out() + "\nstderr:\n" + child.err();
        assertThat(status).as(why).isZero();
        Map<String, long[]> measured = new LinkedHashMap<>();
        for (String line : child.out().split("\n")) {
            String[] w = line.trim().split(" ");
            if (w.length == 5 && w[1].equals("rounds") && w[3].equals("bytes")) {
                measured.put(w[0], new long[] {Long.parseLong(w[2]), Long.parseLong(w[4])});
            }
        }
        assertThat(measured.keySet()).as(why).containsExactly(SteadyStateApp.THREADS);
        measured.forEach((thread, m) -> System.out.println(jdk + ": " + thread + " " + m[0] + " rounds, " + m[1] + " bytes"));
        measured.forEach((thread, m) -> {
            assertThat(m[0]).as("rounds of %s; %s", thread, why).isGreaterThanOrEqualTo(1000);
            if (thread.equals("pstore-journal")) {
                // The journal appends through Chronicle, whose rare paths (a contended lock, a linear index scan)
                // may run for the first time in the window when the JIT deoptimizes there: each literal they
                // name is then made once, 24 bytes (seen with JFR on JDK 25: 128 and 880 bytes in about one run
                // in five). Once for the JVM's life, not per line: a line's worth of garbage each round would be
                // tens of kilobytes here.
                assertThat(m[1]).as("bytes %s allocated; %s", thread, why).isLessThanOrEqualTo(JOURNAL_FIRST_TIMES);
            } else {
                assertThat(m[1]).as("bytes %s allocated; %s", thread, why).isZero();
            }
        });
    }
}
