package org.pstore.capture;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Feeds java.util.logging into the capture ring: one line per record in the {@link CaptureLine} format
 * ({@code time [thread] LEVEL logger: message}), and the stack trace of a thrown exception line by line.
 * Installed on the root logger at boot, once; {@code System.Logger} reaches it too, since the JDK's default
 * {@code System.LoggerFinder} logs through java.util.logging. Never throws into the logging thread.
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
        try {
            if (record == null || !isLoggable(record)) {
                return;
            }
            String message = record.getParameters() == null && record.getResourceBundle() == null
                    ? record.getMessage() : messages.formatMessage(record);
            // JUL handlers run on the logging thread: the current thread is the record's
            CaptureLine.begin(record.getMillis(), Thread.currentThread().getName(),
                    record.getLevel().getName(), record.getLoggerName()).append(message).printTo(ring);
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                ring.println(CaptureLine.trace(thrown));
            }
            afterPublish.run();
        } catch (RuntimeException | LinkageError e) {
            // the application's logging call must not fail because of pstore; the line is lost.
            // A VirtualMachineError (out of heap or stack) is the application's own and goes on up.
        }
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
