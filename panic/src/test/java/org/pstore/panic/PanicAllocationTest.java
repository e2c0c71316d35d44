package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.pstore.panic.TestMachines.continuing;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariant 5: the panic path allocates nothing. Measured with the per-thread allocation counter after a
 * warm-up. The JDK calls that must allocate in the measured part (getStackTrace, and getSuppressed when
 * there are suppressed throwables) are either replaced by pre-materialised arrays or measured on their own.
 *
 * <p>Each path is first run past the C2 compiler's thresholds (a C2 compile request resolves the compiled
 * class's string constants on the requesting thread, and the counter charges them to it: see core's
 * {@code org.pstore.core.testing.Jit}; this module's tests cannot see core's test kit), then measured
 * several times, and every measurement must read 0.
 */
class PanicAllocationTest {
    private static final int RUNS = 5;
    private static com.sun.management.ThreadMXBean threads;

    /** A console that reads every char (so the lines are really produced) without allocating. */
    private static final class CountingConsole implements PanicConsole {
        long lines;
        long checksum;

        @Override
        public void println(CharSequence line) {
            lines++;
            for (int i = 0; i < line.length(); i++) {
                checksum += line.charAt(i);
            }
        }
    }

    /** An echo target that keeps only the count. */
    private static final class CountingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    @BeforeAll
    static void allocationCounter() {
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void theMeasurementItselfAllocatesNothing() {
        assertThat(most("nothing", () -> allocatedBy(() -> { }))).isZero();
    }

    @Test
    void walkingTheNotifierChainWithNoOpNotifiersAndDumpersAllocatesNothing() {
        PanicMachine m = new PanicMachine(continuing().build(), ThrowableReader.JDK, false, null);
        for (int i = 0; i < 4; i++) {
            m.registerNotifier("noop-" + i, i, event -> { });
            m.registerDumper("noop-" + i, DumpReason.SHUTDOWN, (reason, revision, event) -> { });
        }
        m.arm();
        ChainWalk walk = m.chainWalk();
        NotifierChain.Entry[] entries = m.notifierChain().entries();
        PanicEvent event = m.event();
        PanicConsole console = new CountingConsole();
        Voice voice = new Voice();
        Runnable oneWalk = () -> {
            walk.begin(entries);
            if (walk.walk(ChainWalk.OWNER, event, console, voice, false, 0L) != ChainWalk.END) {
                throw new AssertionError("walk did not end");
            }
        };
        oneWalk.run();
        assertThat(most("chain walk", () -> allocatedBy(oneWalk))).isZero();
    }

    @Test
    void printingTheReportWithoutThreadDumpAllocatesNothingWhenThrowablePartsArePreMaterialised() {
        Throwable cause = PanicReportTest.failure();
        PanicReport report = new PanicReport(PanicSettings.DEFAULT_REPORT_BYTES, preMaterialised(cause), false, 1);
        PanicEvent event = new PanicEvent();
        event.fill(DumpReason.PANIC, "measured", cause, Thread.currentThread(), 1, 2);
        JvmFacts facts = JvmFacts.capture();
        CountingConsole console = new CountingConsole();
        Runnable print = () -> report.print(event, console, facts, null);
        print.run();
        long linesPerReport = console.lines;
        assertThat(most("report, pre-materialised", () -> allocatedBy(print))).isZero();
        assertThat(linesPerReport).isGreaterThan(10);
        assertThat(console.lines % linesPerReport).as("every report printed whole").isZero();
    }

    @Test
    void withTheJdkReaderTheReportAllocatesExactlyWhatGetStackTraceAndGetSuppressedDo() {
        Throwable cause = PanicReportTest.failure();
        Throwable[] printed = {cause, cause.getSuppressed()[0], cause.getCause()};
        PanicReport report = new PanicReport(PanicSettings.DEFAULT_REPORT_BYTES, ThrowableReader.JDK, false, 1);
        PanicEvent event = new PanicEvent();
        event.fill(DumpReason.PANIC, "measured", cause, Thread.currentThread(), 1, 2);
        JvmFacts facts = JvmFacts.capture();
        CountingConsole console = new CountingConsole();
        Runnable print = () -> report.print(event, console, facts, null);
        Runnable jdkCopies = () -> {
            for (Throwable t : printed) {
                t.getStackTrace();
                t.getSuppressed();
            }
        };
        print.run();
        jdkCopies.run();
        long reportBytes = most("report, JDK reader", () -> allocatedBy(print));
        long copyBytes = most("getStackTrace + getSuppressed alone", () -> allocatedBy(jdkCopies));
        assertThat(copyBytes).isPositive();
        assertThat(reportBytes).isEqualTo(copyBytes);
    }

    @Test
    void aWholeArmedPanicWithoutThreadDumpAllocatesNothingOnThePanickingThread() {
        Throwable cause = PanicReportTest.failure();
        // A whole panic arms a machine (a thread, a warm-up panic): 500 of them make its line printing, where the
        // calls are many, hot enough for C2; what a panic runs a few times never reaches a compile request.
        long fewest = most("whole panic", 500, () -> {
            CountingStream echo = new CountingStream();
            PanicMachine m = new PanicMachine(continuing().heapReserveBytes(64 * 1024).build(),
                    preMaterialised(cause), false, new PrintStream(echo));
            CountingConsole console = new CountingConsole();
            m.console(console);
            for (int i = 0; i < 4; i++) {
                m.registerNotifier("noop-" + i, i, event -> { });
                m.registerDumper("noop-" + i, DumpReason.PANIC, (reason, revision, event) -> { });
            }
            m.arm();
            long bytes = allocatedBy(() -> m.panic("measured", cause));
            assertThat(m.finished()).isTrue();
            assertThat(console.lines).isGreaterThan(10);
            assertThat(echo.bytes).isPositive();
            return bytes;
        });
        assertThat(fewest).isZero();
    }

    private static ThrowableReader preMaterialised(Throwable cause) {
        Map<Throwable, StackTraceElement[]> frames = new IdentityHashMap<>();
        Map<Throwable, Throwable[]> suppressed = new IdentityHashMap<>();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            frames.put(t, t.getStackTrace());
            suppressed.put(t, t.getSuppressed());
            for (Throwable s : t.getSuppressed()) {
                frames.put(s, s.getStackTrace());
                suppressed.put(s, s.getSuppressed());
            }
        }
        return new ThrowableReader() {
            @Override
            public StackTraceElement[] frames(Throwable t) {
                return frames.get(t);
            }

            @Override
            public Throwable[] suppressed(Throwable t) {
                return suppressed.get(t);
            }
        };
    }

    /**
     * The most bytes over {@link #RUNS} measurements, after a warm-up past the JIT's thresholds; all of them
     * are printed for the record.
     */
    private static long most(String what, LongSupplier measurement) {
        return most(what, -1, measurement);
    }

    /** As above with {@code warmUps} runs first (-1: past C2's thresholds), for a path too slow to run that often. */
    private static long most(String what, int warmUps, LongSupplier measurement) {
        if (warmUps < 0) {
            warm(measurement);
        }
        for (int i = 0; i < warmUps; i++) {
            measurement.getAsLong();
        }
        long[] bytes = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            bytes[i] = measurement.getAsLong();
        }
        System.out.println("allocated bytes, " + what + ": " + Arrays.toString(bytes));
        return Arrays.stream(bytes).max().orElseThrow();
    }

    /** Three times C2's invocation threshold, as core's test kit does. */
    private static void warm(LongSupplier path) {
        int threshold = 15_000;
        try {
            threshold = Integer.parseInt(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("Tier4CompileThreshold").getValue());
        } catch (RuntimeException e) {
            // the default then
        }
        for (int i = 0; i < 3 * threshold; i++) {
            path.getAsLong();
        }
    }

    private static long allocatedBy(Runnable action) {
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
