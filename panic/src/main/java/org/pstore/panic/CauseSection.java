package org.pstore.panic;

import java.util.Arrays;

/**
 * The cause with its stack trace, "Caused by" chain and "Suppressed" throwables, printed like
 * {@code Throwable.printStackTrace} ("... N more" for frames in common with the enclosing trace), but
 * into the report's line buffer and with fixed limits instead of the JDK's identity set.
 */
final class CauseSection {
    static final int MAX_THROWABLES = 16;
    static final int MAX_FRAMES = 128;

    private static final Throwable[] NONE = new Throwable[0];
    private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

    private final ThrowableReader reader;
    private final Throwable[] seen = new Throwable[MAX_THROWABLES];
    private int seenCount;

    CauseSection(ThrowableReader reader) {
        this.reader = reader;
    }

    void print(ReportPrinter p, Throwable cause) {
        if (cause == null) {
            p.line().append("Cause: none");
            p.emit();
            return;
        }
        seenCount = 0;
        try {
            printOne(p, cause, null, "Cause: ", 0);
        } finally {
            Arrays.fill(seen, null);
        }
    }

    private void printOne(ReportPrinter p, Throwable t, StackTraceElement[] enclosing, String caption, int indent) {
        if (!p.open()) {
            return;
        }
        if (isSeen(t)) {
            LineBuffer line = p.line().indent(indent).append("[CIRCULAR REFERENCE: ");
            Describe.throwable(line, t);
            line.append(']');
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
        StackTraceElement[] trace = trace(p, t, indent);
        printFrames(p, trace, enclosing, indent);
        Throwable[] suppressed = suppressed(p, t, indent);
        for (Throwable s : suppressed) {
            printOne(p, s, trace, "Suppressed: ", indent + 4);
        }
        Throwable next = cause(t);
        if (next != null) {
            printOne(p, next, trace, "Caused by: ", indent);
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

    private StackTraceElement[] trace(ReportPrinter p, Throwable t, int indent) {
        try {
            StackTraceElement[] trace = reader.frames(t);
            return trace == null ? NO_FRAMES : trace;
        } catch (Throwable failed) {
            unavailable(p, indent, "[stack trace unavailable: ", failed);
            return null;
        }
    }

    private Throwable[] suppressed(ReportPrinter p, Throwable t, int indent) {
        try {
            Throwable[] suppressed = reader.suppressed(t);
            return suppressed == null ? NONE : suppressed;
        } catch (Throwable failed) {
            unavailable(p, indent, "[suppressed unavailable: ", failed);
            return NONE;
        }
    }

    private static void unavailable(ReportPrinter p, int indent, String what, Throwable failed) {
        p.line().indent(indent + 4).append(what).append(failed.getClass().getName()).append(']');
        p.emit();
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
