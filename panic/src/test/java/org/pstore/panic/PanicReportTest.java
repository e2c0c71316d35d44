package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pstore.panic.TestMachines.await;
import static org.pstore.panic.TestMachines.continuing;
import static org.pstore.panic.TestMachines.join;
import static org.pstore.panic.TestMachines.machine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class PanicReportTest {
    private final RecordingConsole console = new RecordingConsole();

    @Test
    void theHeadlinesComeFirstThenTheFactsThenTheStackTraceWithCausedByAndSuppressed() {
        PanicMachine m = machine(console);
        m.arm();
        IllegalStateException cause = failure();
        m.panic("broken", cause);
        List<String> lines = console.lines();
        String me = Thread.currentThread().getName();
        assertThat(lines.get(0)).isEqualTo("------------[ cut here ]------------");
        assertThat(lines.get(1)).isEqualTo("JVM panic - not syncing: broken");
        assertThat(lines.get(2)).matches("Time: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\(uptime \\d+\\.\\d{6} s\\)");
        assertThat(lines.get(3)).startsWith("Thread: \"" + me + "\" #" + Thread.currentThread().getId() + " RUNNABLE");
        assertThat(lines.get(4)).isEqualTo("Cause: java.lang.IllegalStateException: outer");
        assertThat(lines.get(5)).isEqualTo("Caused by: java.io.IOException: inner");
        assertThat(lines.get(6)).startsWith("JVM: ");
        assertThat(lines.get(7)).startsWith("Heap: ");
        assertThat(lines.get(8)).startsWith("Args: ");
        int trace = console.indexOf("Stack trace: java.lang.IllegalStateException: outer");
        assertThat(trace).isGreaterThan(8);
        assertThat(lines.get(trace + 1)).startsWith("    at org.pstore.panic.PanicReportTest.failure(PanicReportTest.java:");
        int suppressed = console.indexOf("    Suppressed: java.lang.RuntimeException: side");
        int causedBy = console.indexOf("Caused by: java.io.IOException: inner");
        int more = console.indexOf("    ... ");
        int threads = console.indexOf("Threads: ");
        causedBy = lines.subList(trace, lines.size()).indexOf("Caused by: java.io.IOException: inner") + trace;
        assertThat(suppressed).isGreaterThan(trace);
        assertThat(causedBy).isGreaterThan(suppressed);
        assertThat(more).isGreaterThan(trace);
        assertThat(lines.get(causedBy + 1)).startsWith("    at org.pstore.panic.PanicReportTest.inner(");
        assertThat(lines.stream().filter(l -> l.matches("    \\.\\.\\. \\d+ more"))).isNotEmpty();
        assertThat(threads).isGreaterThan(causedBy);
        assertThat(lines.get(threads)).matches("Threads: \\d+ live");
        assertThat(lines.get(threads + 1)).startsWith("\"" + me + "\" #").endsWith("RUNNABLE (panicking)");
        assertThat(lines.get(threads + 2)).matches("    \\.\\.\\. \\d+ frames of the panic path left out");
        assertThat(lines.get(threads + 3)).startsWith("    at ").doesNotContain("org.pstore.panic.Panic");
        assertThat(lines).anyMatch(l -> l.startsWith("\"pstore-panic-timer\" #") && l.contains(" daemon "));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("---[ end JVM panic - not syncing: broken ]---");
        assertThat(lines).doesNotContain(ReportPrinter.TRUNCATED);
    }

    @Test
    void theFactsTellVmPidHeapInHumanUnitsAndBytesGcAndArgs() {
        PanicMachine m = machine(console);
        m.arm();
        m.panic("facts", null);
        assertThat(console.lines().get(console.indexOf("JVM: ")))
                .isEqualTo("JVM: " + ManagementFactory.getRuntimeMXBean().getVmName() + " "
                        + ManagementFactory.getRuntimeMXBean().getVmVersion() + ", pid " + ProcessHandle.current().pid());
        assertThat(console.lines().get(console.indexOf("Heap: ")))
                .containsPattern("^Heap: used \\d+(\\.\\d)? (B|KiB|MiB|GiB) of \\d+\\.\\d (MiB|GiB|TiB) \\(\\d+ of \\d+ bytes\\)")
                .containsPattern("; gc [^;]+ \\d+ collections \\d+ ms");
        assertThat(console.lines().get(console.indexOf("Args: "))).startsWith("Args: ");
    }

    @Test
    void theReportStaysWithinReportBytesAndTheThreadDumpIsWhatGetsCut() {
        PanicMachine m = new PanicMachine(continuing().reportBytes(PanicSettings.MIN_REPORT_BYTES).build());
        m.console(console);
        m.arm();
        m.panic("small budget", failure());
        List<String> lines = console.lines();
        assertThat(console.bytes()).isLessThanOrEqualTo(PanicSettings.MIN_REPORT_BYTES);
        assertThat(lines).contains(ReportPrinter.TRUNCATED, "Cause: java.lang.IllegalStateException: outer");
        assertThat(console.indexOf(ReportPrinter.TRUNCATED)).isGreaterThan(console.indexOf("Threads: "));
        assertThat(console.indexOf("JVM: ")).isLessThan(console.indexOf(ReportPrinter.TRUNCATED));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("---[ end JVM panic - not syncing: small budget ]---");
    }

    @Test
    void aLongCauseIsCutBeforeTheTailEvenWhenTheBudgetIsSpentOnIt() {
        PanicMachine m = new PanicMachine(continuing().reportBytes(PanicSettings.MIN_REPORT_BYTES).build());
        m.console(console);
        m.panic("deep", deep(300));
        assertThat(console.bytes()).isLessThanOrEqualTo(PanicSettings.MIN_REPORT_BYTES);
        assertThat(console.lines()).contains(ReportPrinter.TRUNCATED);
        assertThat(console.indexOf("JVM: ")).isLessThan(console.indexOf(ReportPrinter.TRUNCATED));
        assertThat(console.lines().get(console.lines().size() - 1)).isEqualTo("---[ end JVM panic - not syncing: deep ]---");
    }

    @Test
    void veryDeepTracesAreLimitedPerThrowable() {
        PanicMachine m = new PanicMachine(continuing().reportBytes(PanicSettings.MAX_REPORT_BYTES).build());
        m.console(console);
        m.oops("deep", deep(400));
        assertThat(console.lines()).anyMatch(l -> l.matches("    \\.\\.\\. \\d+ frames omitted"));
        assertThat(console.count("    at ")).isEqualTo(CauseSection.MAX_FRAMES);
    }

    @Test
    void aCircularCauseChainEnds() {
        PanicMachine m = machine(console);
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        m.oops("cycle", a);
        assertThat(console.lines()).contains("Caused by: java.lang.Exception: b",
                "[CIRCULAR REFERENCE: java.lang.Exception: a]");
    }

    @Test
    void aLongMessageIsCutWithinItsLine() {
        PanicMachine m = machine(console);
        m.oops("x".repeat(5000), null);
        String title = console.lines().get(1);
        assertThat(title).hasSize(ReportPrinter.LINE_CAPACITY).endsWith("...");
    }

    @Test
    void theDeadlockSectionShowsTheCycleOfARealDeadlock() throws Exception {
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothLocked = new CountDownLatch(2);
        Thread a = Deadlocks.deadlocking("deadlock-a", first, second, bothLocked);
        Thread b = Deadlocks.deadlocking("deadlock-b", second, first, bothLocked);
        try {
            await("the deadlock", () -> ManagementFactory.getThreadMXBean().findDeadlockedThreads() != null);
            PanicMachine m = machine(console);
            m.arm();
            m.panic("deadlock", null);
            assertThat(console.lines())
                    .anyMatch(l -> l.matches("Deadlock: \"deadlock-a\" #\\d+ waits for java.util.concurrent.locks"
                            + ".ReentrantLock\\$NonfairSync@\\p{XDigit}+ held by \"deadlock-b\" #\\d+"))
                    .anyMatch(l -> l.matches(
                            "Deadlock: \"deadlock-b\" #\\d+ waits for .* held by \"deadlock-a\" #\\d+"))
                    .anyMatch(l -> l.startsWith("\"deadlock-a\" #") && l.contains(" daemon WAITING on ")
                            && l.endsWith("owned by \"deadlock-b\""))
                    .anyMatch(l -> l.startsWith("    - locked synchronizer <0x"));
            assertThat(console.indexOf("Deadlock: ")).isLessThan(console.indexOf("Threads: "));
        } finally {
            a.interrupt();
            b.interrupt();
            join(a);
            join(b);
        }
    }

    @Test
    void anOopsReportHasNoThreadDump() {
        PanicMachine m = machine(console);
        m.oops("quiet", new RuntimeException("r"));
        assertThat(console.has("Threads: ")).isFalse();
        assertThat(console.lines().get(0)).isEqualTo("------------[ cut here ]------------");
        assertThat(console.lines().get(1)).isEqualTo("Oops: quiet");
    }

    @Test
    void aPanicWithoutCauseSaysSo() {
        PanicMachine m = machine(console);
        m.panic("no cause", null);
        assertThat(console.lines().get(4)).isEqualTo("Cause: none");
    }

    static IllegalStateException failure() {
        IllegalStateException outer;
        try {
            inner();
            throw new AssertionError();
        } catch (IOException e) {
            outer = new IllegalStateException("outer", e);
        }
        outer.addSuppressed(new RuntimeException("side"));
        return outer;
    }

    private static void inner() throws IOException {
        throw new IOException("inner");
    }

    static RuntimeException deep(int depth) {
        if (depth == 0) {
            return new RuntimeException("deep");
        }
        return deep(depth - 1);
    }
}
