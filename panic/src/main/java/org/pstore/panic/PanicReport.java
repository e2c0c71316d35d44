package org.pstore.panic;

import java.util.function.BooleanSupplier;

/**
 * The report printed to the console, bounded by {@link PanicSettings#reportBytes()}:
 *
 * <pre>
 * ------------[ cut here ]------------
 * JVM panic - not syncing: MESSAGE          (an oops: "Oops: MESSAGE")
 * Thread: "NAME" #ID STATE
 * Cause: CLASS: MESSAGE, its frames, "Caused by:", "Suppressed:"
 * Deadlock: ...                                (panic only, when there is one)
 * Threads: N live, then each thread            (panic only; the part truncation cuts)
 * JVM: ...                                     (always)
 * ---[ end JVM panic - not syncing: MESSAGE ]---
 * </pre>
 *
 * One instance per role (the panic, oops and dumps): its buffers are reused, never shared.
 */
final class PanicReport {
    static final String CUT_HERE = "------------[ cut here ]------------";
    static final String PANIC_TITLE = "JVM panic - not syncing: ";
    static final String OOPS_TITLE = "Oops: ";
    static final int JVM_LINE_CAPACITY = 512;
    static final int END_LINE_CAPACITY = 256;

    private final ReportPrinter printer;
    private final CauseSection cause;
    private final boolean threadDump;
    private final DeadlockSection deadlocks = new DeadlockSection();
    private final ThreadDumpSection threads = new ThreadDumpSection();
    private final LineBuffer jvmLine = new LineBuffer(JVM_LINE_CAPACITY);
    private final LineBuffer endLine = new LineBuffer(END_LINE_CAPACITY);

    PanicReport(int reportBytes, ThrowableReader reader, boolean threadDump) {
        this.printer = new ReportPrinter(reportBytes);
        this.cause = new CauseSection(reader);
        this.threadDump = threadDump;
    }

    /** The full report for a panic (with deadlocks and thread dump) or an oops (without). */
    void print(PanicEvent event, PanicConsole console, JvmFacts facts, BooleanSupplier interrupted) {
        boolean panic = event.reason() == DumpReason.PANIC;
        String title = panic ? PANIC_TITLE : OOPS_TITLE;
        JvmFacts.format(facts, jvmLine.clear());
        endLine.clear().append("---[ end ").append(title).append(event.message()).append(" ]---");
        printer.begin(console, jvmLine.utf8Length() + 1 + endLine.utf8Length() + 1, interrupted);
        printer.line().append(CUT_HERE);
        printer.emit();
        printer.line().append(title).append(event.message());
        printer.emit();
        threadLine(event.thread());
        cause.print(printer, event.cause());
        if (panic && threadDump) {
            deadlocks.print(printer, facts);
            threads.print(printer, facts);
        }
        printer.tail(jvmLine);
        printer.tail(endLine);
    }

    /** The short header of a plain dump (shutdown, emerg): title, thread and JVM facts. */
    void printHeader(PanicEvent event, PanicConsole console, JvmFacts facts, BooleanSupplier interrupted) {
        JvmFacts.format(facts, jvmLine.clear());
        printer.begin(console, jvmLine.utf8Length() + 1, interrupted);
        printer.line().append("Dump: ").append(event.reason().word()).append(": ").append(event.message());
        printer.emit();
        threadLine(event.thread());
        printer.tail(jvmLine);
    }

    Transcript transcript() {
        return printer.transcript();
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
