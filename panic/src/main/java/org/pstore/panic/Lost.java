package org.pstore.panic;

/**
 * The one line that replaces a part of the report that could not be had: "[thread dump lost:
 * java.lang.OutOfMemoryError: Java heap space]". Allocation-free, so that handling a failure never fails.
 */
final class Lost {
    private Lost() {
    }

    static void line(ReportPrinter p, int indent, String part, Throwable why) {
        LineBuffer line = p.line().indent(indent).append('[').append(part).append(" lost: ");
        Describe.throwable(line, why).append(']');
        p.emit();
    }
}
