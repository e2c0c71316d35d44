package org.pstore.cli.output;

import java.io.PrintStream;

/**
 * A progress line on stderr for long operations, redrawn in place, only when the terminal is interactive
 * (no console: output is piped or redirected, so nothing is drawn). Small enough not to need a library.
 */
public final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final String what;
    private final long total;
    private final boolean shown;
    private long done;
    private long lastDraw;

    private Progress(PrintStream err, String what, long total, boolean shown) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.shown = shown;
    }

    /** A progress line when stderr is likely a terminal and the job is big enough to be worth one. */
    public static Progress of(String what, long total) {
        return new Progress(System.err, what, total, System.console() != null && total >= 200);
    }

    public void step() {
        done++;
        if (shown && (System.nanoTime() - lastDraw > REDRAW_NANOS || done == total)) {
            lastDraw = System.nanoTime();
            int filled = (int) (WIDTH * done / Math.max(1, total));
            err.print("\r" + what + " [" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total);
            err.flush();
        }
    }

    @Override
    public void close() {
        if (shown) {
            err.print("\r" + " ".repeat(what.length() + WIDTH + 30) + "\r");
            err.flush();
        }
    }
}
