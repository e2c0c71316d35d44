package org.pstore.capture;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * Tees {@code System.out} and {@code System.err} into the capture ring: the original stream still does all
 * the printing, byte for byte, and each complete line printed through a character method ({@code print},
 * {@code println}, {@code printf}, {@code format}, {@code append}) is also captured as
 * {@code time [thread] stdout: text} (or {@code stderr}). Raw bytes ({@code write}) pass through
 * uncaptured: they are what logging frameworks' console appenders write, and their events are captured at
 * the source, with level and logger, by the integration for that framework. A line is kept per thread
 * until its newline; capture never blocks and never throws into the printing thread.
 */
public final class StdStreamCapture extends PrintStream {
    private static final int MAX_PENDING = CaptureRing.MAX_LINE;

    private final PrintStream original;
    private final String name;
    private final Charset charset;
    private final ThreadLocal<StringBuilder> pending = ThreadLocal.withInitial(() -> new StringBuilder(128));

    private StdStreamCapture(PrintStream original, String name, Charset charset) {
        super((OutputStream) original, false, charset);
        this.original = original;
        this.name = name;
        this.charset = charset;
    }

    /** Tees {@code System.out} and {@code System.err}, once (a stream already tee'd is left alone). */
    public static synchronized void install() {
        if (!(System.out instanceof StdStreamCapture)) {
            System.setOut(tee(System.out, "stdout"));
        }
        if (!(System.err instanceof StdStreamCapture)) {
            System.setErr(tee(System.err, "stderr"));
        }
    }

    static StdStreamCapture tee(PrintStream original, String name) {
        return new StdStreamCapture(original, name, charsetOf(original));
    }

    /** The stream's own charset (Java 18+ says it); before 18 System.out encodes with the default charset. */
    private static Charset charsetOf(PrintStream stream) {
        try {
            return (Charset) PrintStream.class.getMethod("charset").invoke(stream);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** The tee'd stream, printing as before. */
    public PrintStream original() {
        return original;
    }

    /** The charset of the original stream (PrintStream.charset() from Java 18 on). */
    public Charset charset() {
        return charset;
    }

    // ---- capture ----

    private void capture(CharSequence text, boolean newline) {
        if (!CaptureSink.attached()) {
            return;
        }
        try {
            StringBuilder p = pending.get();
            int from = 0;
            for (int i = 0, n = text.length(); i < n; i++) {
                if (text.charAt(i) == '\n') {
                    p.append(text, from, i);
                    emit(p);
                    from = i + 1;
                }
            }
            p.append(text, from, text.length());
            if (newline || p.length() >= MAX_PENDING) {
                emit(p);
            }
        } catch (RuntimeException | LinkageError e) {
            // printing must not fail because of pstore; the line is lost
        }
    }

    private void captureNewline() {
        capture("", true);
    }

    private void emit(StringBuilder p) {
        int end = p.length();
        if (end > 0 && p.charAt(end - 1) == '\r') {
            end--;
        }
        CaptureSink.println(CaptureLine.begin(System.currentTimeMillis(), Thread.currentThread().getName(), null, name)
                .append(p, 0, end));
        CaptureSink.nudge();
        p.setLength(0);
    }

    // ---- PrintStream: every method prints through the original ----

    @Override
    public void flush() {
        original.flush();
    }

    @Override
    public void close() {
        original.close();
    }

    @Override
    public boolean checkError() {
        return original.checkError();
    }

    @Override
    public void write(int b) {
        original.write(b);
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        original.write(buf, off, len);
    }

    @Override
    public void write(byte[] buf) throws java.io.IOException {
        original.write(buf);
    }

    @Override
    public void writeBytes(byte[] buf) {
        original.writeBytes(buf);
    }

    @Override
    public void print(boolean b) {
        print(String.valueOf(b));
    }

    @Override
    public void print(char c) {
        print(String.valueOf(c));
    }

    @Override
    public void print(int i) {
        print(String.valueOf(i));
    }

    @Override
    public void print(long l) {
        print(String.valueOf(l));
    }

    @Override
    public void print(float f) {
        print(String.valueOf(f));
    }

    @Override
    public void print(double d) {
        print(String.valueOf(d));
    }

    @Override
    public void print(char[] s) {
        original.print(s);
        capture(java.nio.CharBuffer.wrap(s), false);
    }

    @Override
    public void print(String s) {
        String text = String.valueOf(s);
        original.print(text);
        capture(text, false);
    }

    @Override
    public void print(Object obj) {
        print(String.valueOf(obj)); // toString once, as PrintStream does
    }

    @Override
    public void println() {
        original.println();
        captureNewline();
    }

    @Override
    public void println(boolean x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(char x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(int x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(long x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(float x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(double x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(char[] x) {
        original.println(x);
        capture(java.nio.CharBuffer.wrap(x), true);
    }

    @Override
    public void println(String x) {
        String text = String.valueOf(x);
        original.println(text);
        capture(text, true);
    }

    @Override
    public void println(Object x) {
        println(String.valueOf(x));
    }

    @Override
    public PrintStream printf(String format, Object... args) {
        return format(format, args);
    }

    @Override
    public PrintStream printf(Locale l, String format, Object... args) {
        return format(l, format, args);
    }

    @Override
    public PrintStream format(String format, Object... args) {
        return format(Locale.getDefault(Locale.Category.FORMAT), format, args);
    }

    @Override
    public PrintStream format(Locale l, String format, Object... args) {
        print(String.format(l, format, args)); // formatted once; the original prints the same text
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq, int start, int end) {
        return append(csq == null ? "null".subSequence(start, end) : csq.subSequence(start, end));
    }

    @Override
    public PrintStream append(char c) {
        print(c);
        return this;
    }
}
