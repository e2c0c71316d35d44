package org.pstore.panic;

/**
 * One-line console messages of one thread role (owner, panic timer, others) in its own preallocated
 * line, so that roles never share a buffer. A line raised while the same voice is speaking (a console
 * that panics) is dropped instead of recursing.
 */
final class Voice {
    static final int LINE_CAPACITY = 512;

    private final LineBuffer line = new LineBuffer(LINE_CAPACITY);
    private boolean speaking;

    /** Prints {@code a + b + c}; null parts other than {@code a} are left out. */
    void say(PanicConsole console, CharSequence a, CharSequence b, CharSequence c) {
        if (speaking) {
            return;
        }
        speaking = true;
        try {
            line.clear().append(a);
            if (b != null) {
                line.append(b);
            }
            if (c != null) {
                line.append(c);
            }
            console.println(line);
        } catch (Throwable ignored) {
            // a broken console must not stop the panic
        } finally {
            speaking = false;
        }
    }

    /** "notifier NAME failed: CLASS: MESSAGE". */
    void failed(PanicConsole console, CharSequence what, CharSequence name, Throwable t) {
        if (speaking) {
            return;
        }
        speaking = true;
        try {
            line.clear().append(what).append(name).append(" failed: ");
            Describe.throwable(line, t);
            console.println(line);
        } catch (Throwable ignored) {
            // a broken console must not stop the panic
        } finally {
            speaking = false;
        }
    }
}
