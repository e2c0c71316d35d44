package org.pstore.panic;

import java.util.function.BooleanSupplier;

/**
 * Prints report lines to the console within the report budget. The end line and the "[report truncated]"
 * marker are reserved up front, so the body is what gets cut and the end line is always printed. Every
 * printed line is also copied to the transcript for the echo.
 */
final class ReportPrinter {
    static final String TRUNCATED = "[report truncated]";
    static final int LINE_CAPACITY = 1024;

    private final int reportBytes;
    private final LineBuffer line = new LineBuffer(LINE_CAPACITY);
    private final LineBuffer marker = new LineBuffer(TRUNCATED.length());
    private final Transcript transcript;

    private PanicConsole console = PanicMachine.NO_CONSOLE;
    private BooleanSupplier interrupted;
    private int bodyBudget;
    private int used;
    private boolean cut;
    private boolean stopped;

    ReportPrinter(int reportBytes) {
        this.reportBytes = reportBytes;
        this.transcript = new Transcript(reportBytes);
        marker.append(TRUNCATED);
    }

    /**
     * Starts a report.
     *
     * @param reservedTail bytes of the tail line (with its line terminator) printed by {@link #tail}
     * @param interrupted  when it answers true the report stops at once (an oops when a panic starts), or null
     */
    void begin(PanicConsole console, int reservedTail, BooleanSupplier interrupted) {
        this.console = console;
        this.interrupted = interrupted;
        this.bodyBudget = reportBytes - reservedTail - (marker.utf8Length() + 1);
        this.used = 0;
        this.cut = false;
        this.stopped = false;
        transcript.clear();
    }

    /** The body line to fill, cleared. */
    LineBuffer line() {
        return line.clear();
    }

    /** Whether body lines are still printed. */
    boolean open() {
        if (!cut && !stopped && interrupted != null && interrupted.getAsBoolean()) {
            stopped = true;
        }
        return !cut && !stopped;
    }

    /** Prints the body line unless the budget is spent; the first line that does not fit cuts the report. */
    boolean emit() {
        if (!open()) {
            return false;
        }
        int bytes = line.utf8Length() + 1;
        if (used + bytes > bodyBudget) {
            cut = true;
            print(marker);
            return false;
        }
        used += bytes;
        print(line);
        return true;
    }

    /** Prints a reserved tail line (unless the report was stopped). */
    void tail(LineBuffer tailLine) {
        if (!stopped) {
            print(tailLine);
        }
    }

    boolean cut() {
        return cut;
    }

    Transcript transcript() {
        return transcript;
    }

    private void print(LineBuffer l) {
        transcript.append(l);
        try {
            console.println(l);
        } catch (Throwable ignored) {
            // a broken console must not stop the panic; the transcript still has the line
        }
    }
}
