package org.pstore.capture;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Feeds java.util.logging into the capture ring: one line per record, {@code LEVEL logger: message}, and
 * the stack trace of a thrown exception line by line. Installed on the root logger at boot, once.
 * {@link #close()} (which LogManager calls at shutdown) does not stop capture: the last words matter most.
 */
public final class JulCapture extends Handler {
    private final CaptureRing ring;
    private final Runnable afterPublish;
    private final Formatter messages = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };
    private final ThreadLocal<StringBuilder> lines = ThreadLocal.withInitial(() -> new StringBuilder(256));

    public JulCapture(CaptureRing ring, Runnable afterPublish) {
        this.ring = ring;
        this.afterPublish = afterPublish;
        setLevel(Level.ALL);
    }

    /** Adds a capture handler to the root logger unless one is there already; returns the one in place. */
    public static JulCapture install(CaptureRing ring, Runnable afterPublish) {
        Logger root = Logger.getLogger("");
        synchronized (JulCapture.class) {
            for (Handler h : root.getHandlers()) {
                if (h instanceof JulCapture) {
                    return (JulCapture) h;
                }
            }
            JulCapture capture = new JulCapture(ring, afterPublish);
            root.addHandler(capture);
            return capture;
        }
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        StringBuilder line = lines.get();
        line.setLength(0);
        line.append(record.getLevel().getName()).append(' ');
        String logger = record.getLoggerName();
        if (logger != null && !logger.isEmpty()) {
            line.append(logger).append(": ");
        }
        String message = record.getParameters() == null && record.getResourceBundle() == null
                ? record.getMessage() : messages.formatMessage(record);
        line.append(message);
        ring.println(line);
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            ring.println(trace.toString().stripTrailing());
        }
        afterPublish.run();
    }

    @Override
    public void flush() {
        // lines are in the ring as soon as publish returns
    }

    @Override
    public void close() {
        // keep capturing: shutdown is when the last lines are written
    }
}
