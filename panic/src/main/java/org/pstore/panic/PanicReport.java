package org.pstore.panic;

import java.util.function.BooleanSupplier;

/**
 * The report printed to the console, bounded by {@link PanicSettings#reportBytes()}, in two parts:
 *
 * <pre>
 * ------------[ cut here ]------------        early: needs no heap
 * JVM panic - not syncing: MESSAGE             (an oops: "Oops: MESSAGE")
 * Time: 2026-12-01T10:00:00.123Z (uptime 12.345678 s)
 * Thread: "NAME" #ID STATE
 * Cause: CLASS: MESSAGE, then "Caused by: CLASS: MESSAGE" for the chain
 * JVM: ..., Heap: ..., Args: ...
 * Stack trace: CLASS: MESSAGE, its frames,     the rest: heap-hungry, each part named when lost
 *   "Caused by:", "Suppressed:"
 * System:, Uptime:, Memory pool ...:,          (panic only, with the thread dump) what hs_err tells of the
 *   VM flags:, Agents:, System properties        machine and the JVM
 * Deadlock: ...                                (panic only, when there is one)
 * Threads: N live, then each thread            (panic only; the part truncation cuts)
 * ---[ end JVM panic - not syncing: MESSAGE ]---
 * </pre>
 *
 * The panic dumps after each part, so the record never depends on the rest. One instance per role (the
 * panic, oops and dumps): its buffers are reused, never shared.
 */
final class PanicReport {
    static final String CUT_HERE = "------------[ cut here ]------------";
    static final String PANIC_TITLE = "JVM panic - not syncing: ";
    static final String OOPS_TITLE = "Oops: ";
    static final int END_LINE_CAPACITY = 256;

    private final ReportPrinter printer;
    private final CauseSection cause;
    private final boolean threadDump;
    private final int threadDepth;
    private final DeadlockSection deadlocks = new DeadlockSection();
    private final ThreadDumpSection threads = new ThreadDumpSection();
    private final LineBuffer endLine = new LineBuffer(END_LINE_CAPACITY);

    PanicReport(int reportBytes, ThrowableReader reader, boolean threadDump, int threadDepth) {
        this.printer = new ReportPrinter(reportBytes);
        this.cause = new CauseSection(reader);
        this.threadDump = threadDump;
        this.threadDepth = threadDepth;
    }

    /** The whole report in one go (an oops: no thread dump; heap pressure is not relieved). */
    void print(PanicEvent event, PanicConsole console, JvmFacts facts, BooleanSupplier interrupted) {
        printEarly(event, console, facts, interrupted);
        printRest(event, facts, null);
    }

    /** The part that needs no heap: header, time, thread, the cause's headlines and the JVM facts. */
    void printEarly(PanicEvent event, PanicConsole console, JvmFacts facts, BooleanSupplier interrupted) {
        String title = event.reason() == DumpReason.PANIC ? PANIC_TITLE : OOPS_TITLE;
        endLine.clear().append("---[ end ").append(title).append(event.message()).append(" ]---");
        printer.begin(console, endLine.utf8Length() + 1, interrupted);
        printer.line().append(CUT_HERE);
        printer.emit();
        printer.line().append(title).append(event.message());
        printer.emit();
        timeLine(event, facts);
        threadLine(event.thread());
        cause.printHeadlines(printer, event.cause());
        JvmFacts.print(printer, facts);
    }

    /**
     * The heap-hungry rest, then the end line: the cause's stack trace and, for a panic, the deadlocks and
     * the thread dump. With {@code pressure} an OutOfMemoryError makes a part retry after the heap was
     * relieved; without, the part is named as lost at once.
     */
    void printRest(PanicEvent event, JvmFacts facts, HeapPressure pressure) {
        cause.printTrace(printer, event.cause(), pressure);
        if (event.reason() == DumpReason.PANIC && threadDump) {
            // what hs_err tells of the machine and the JVM: it allocates, so it goes with the thread dump
            if (facts != null && facts.system() != null) {
                try {
                    facts.system().print(printer, pressure);
                } catch (Throwable t) {
                    Lost.line(printer, 0, "system facts", t);
                }
            }
            deadlocks.print(printer, facts, pressure);
            threads.print(printer, facts, event.thread(), threadDepth, pressure);
        }
        printer.tail(endLine);
    }

    /** The short header of a plain dump (shutdown, emerg): title, time, thread and the JVM facts. */
    void printHeader(PanicEvent event, PanicConsole console, JvmFacts facts, BooleanSupplier interrupted) {
        printer.begin(console, 0, interrupted);
        printer.line().append("Dump: ").append(event.reason().word()).append(": ").append(event.message());
        printer.emit();
        timeLine(event, facts);
        threadLine(event.thread());
        JvmFacts.print(printer, facts);
    }

    Transcript transcript() {
        return printer.transcript();
    }

    /** "Time: 2026-12-01T10:00:00.123Z (uptime 12.345678 s)": a reader maps the ring's uptimes to UTC by it. */
    private void timeLine(PanicEvent event, JvmFacts facts) {
        LineBuffer line = Formats.isoTime(printer.line().append("Time: "), event.wallMillis());
        if (facts != null) {
            Formats.seconds(line.append(" (uptime "), facts.uptimeNanos(event.startNanos())).append(" s)");
        }
        printer.emit();
    }

    private void threadLine(Thread thread) {
        LineBuffer line = printer.line().append("Thread: ");
        if (thread == null) {
            line.append("none");
        } else {
            Describe.thread(line, thread.getName(), thread.getId());
            line.append(' ').append(thread.getState().name());
        }
        printer.emit();
    }
}
