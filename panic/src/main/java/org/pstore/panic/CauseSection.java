package org.pstore.panic;

import java.util.Arrays;

/**
 * The cause, in two parts. {@link #printHeadlines}: "Cause: CLASS: MESSAGE" and a "Caused by:" line per
 * throwable of the chain, which needs no heap (the early part of the report). {@link #printTrace}: the
 * stack trace as {@code Throwable.printStackTrace} prints it ("... N more" for frames in common with the
 * enclosing trace, "Suppressed:" throwables), into the report's line buffer, with fixed limits instead of
 * the JDK's identity set; {@code getStackTrace()} allocates, so a trace that cannot be had even after the
 * heap was relieved is named as lost.
 */
final class CauseSection {
    static final int MAX_THROWABLES = 16;
    static final int MAX_FRAMES = 128;
    static final String TRACE = "Stack trace: ";

    private static final Throwable[] NONE = new Throwable[0];
    private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

    private final ThrowableReader reader;
    private final Throwable[] seen = new Throwable[MAX_THROWABLES];
    private int seenCount;

    CauseSection(ThrowableReader reader) {
        this.reader = reader;
    }

    /** "Cause: ..." and the "Caused by: ..." chain, headlines only. Allocation-free. */
    void printHeadlines(ReportPrinter p, Throwable cause) {
        if (cause == null) {
            p.line().append("Cause: none");
            p.emit();
            return;
        }
        seenCount = 0;
        try {
            String caption = "Cause: ";
            for (Throwable t = cause; t != null && p.open(); t = cause(t)) {
                if (isSeen(t)) {
                    Describe.throwable(p.line().append("[CIRCULAR REFERENCE: "), t).append(']');
                    p.emit();
                    return;
                }
                if (seenCount == seen.length) {
                    p.line().append("[further throwables omitted]");
                    p.emit();
                    return;
                }
                seen[seenCount++] = t;
                Describe.throwable(p.line().append(caption), t);
                p.emit();
                caption = "Caused by: ";
            }
        } finally {
            Arrays.fill(seen, null);
        }
    }

    /** The whole stack trace, "Stack trace: CLASS: MESSAGE" first. Heap-hungry: see the class comment. */
    void printTrace(ReportPrinter p, Throwable cause, HeapPressure pressure) {
        if (cause == null) {
            return;
        }
        seenCount = 0;
        try {
            printOne(p, cause, null, TRACE, 0, pressure);
        } finally {
            Arrays.fill(seen, null);
        }
    }

    private void printOne(ReportPrinter p, Throwable t, StackTraceElement[] enclosing, String caption, int indent,
                          HeapPressure pressure) {
        if (!p.open()) {
            return;
        }
        if (isSeen(t)) {
            Describe.throwable(p.line().indent(indent).append("[CIRCULAR REFERENCE: "), t).append(']');
            p.emit();
            return;
        }
        if (seenCount == seen.length) {
            p.line().indent(indent).append("[further throwables omitted]");
            p.emit();
            return;
        }
        seen[seenCount++] = t;
        Describe.throwable(p.line().indent(indent).append(caption), t);
        p.emit();
        StackTraceElement[] trace = trace(p, t, indent, pressure);
        printFrames(p, trace, enclosing, indent);
        Throwable[] suppressed = suppressed(p, t, indent);
        for (Throwable s : suppressed) {
            printOne(p, s, trace, "Suppressed: ", indent + 4, pressure);
        }
        Throwable next = cause(t);
        if (next != null) {
            printOne(p, next, trace, "Caused by: ", indent, pressure);
        }
    }

    private void printFrames(ReportPrinter p, StackTraceElement[] trace, StackTraceElement[] enclosing, int indent) {
        if (trace == null) {
            return;
        }
        int common = framesInCommon(trace, enclosing);
        int own = trace.length - common;
        int shown = Math.min(own, MAX_FRAMES);
        for (int i = 0; i < shown && p.open(); i++) {
            Describe.frame(p.line().indent(indent + 4).append("at "), trace[i]);
            p.emit();
        }
        if (own > shown) {
            p.line().indent(indent + 4).append("... ").append(own - shown).append(" frames omitted");
            p.emit();
        }
        if (common != 0) {
            p.line().indent(indent + 4).append("... ").append(common).append(" more");
            p.emit();
        }
    }

    private StackTraceElement[] trace(ReportPrinter p, Throwable t, int indent, HeapPressure pressure) {
        for (int attempt = 0; ; attempt++) {
            try {
                StackTraceElement[] trace = reader.frames(t);
                return trace == null ? NO_FRAMES : trace;
            } catch (OutOfMemoryError e) {
                if (pressure == null || !pressure.recover(attempt)) {
                    Lost.line(p, indent + 4, "stack trace", e);
                    return null;
                }
            } catch (Throwable failed) {
                Lost.line(p, indent + 4, "stack trace", failed);
                return null;
            }
        }
    }

    private Throwable[] suppressed(ReportPrinter p, Throwable t, int indent) {
        try {
            Throwable[] suppressed = reader.suppressed(t);
            return suppressed == null ? NONE : suppressed;
        } catch (Throwable failed) {
            Lost.line(p, indent + 4, "suppressed throwables", failed);
            return NONE;
        }
    }

    private static Throwable cause(Throwable t) {
        try {
            return t.getCause();
        } catch (Throwable failed) {
            return null;
        }
    }

    private boolean isSeen(Throwable t) {
        for (int i = 0; i < seenCount; i++) {
            if (seen[i] == t) {
                return true;
            }
        }
        return false;
    }

    private static int framesInCommon(StackTraceElement[] trace, StackTraceElement[] enclosing) {
        if (enclosing == null) {
            return 0;
        }
        int m = trace.length - 1;
        int n = enclosing.length - 1;
        while (m >= 0 && n >= 0 && trace[m].equals(enclosing[n])) {
            m--;
            n--;
        }
        return trace.length - 1 - m;
    }
}
