package org.pstore.capture.logback;

import java.util.Iterator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.pstore.capture.CaptureLine;
import org.pstore.capture.CaptureSink;

/**
 * A Logback appender that feeds the capture ring: each event becomes one {@link CaptureLine}
 * ({@code time [thread] LEVEL logger: message}) and its throwable's stack trace. From {@code logback.xml}:
 * <pre>{@code
 * <appender name="PSTORE" class="org.pstore.capture.logback.LogbackCapture"/>
 * <root level="INFO"><appender-ref ref="PSTORE"/></root>
 * }</pre>
 * or from code, {@link #install(LoggerContext)}: attached to the root logger, and again after every reset
 * of the context (a reconfiguration, as Spring Boot does at start). Unsynchronized: it never takes a lock,
 * never blocks and never throws into the logging thread; a full ring overwrites its oldest lines.
 */
public class LogbackCapture extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** The name it has on the root logger when installed from code. */
    public static final String NAME = "pstore";

    @Override
    protected void append(ILoggingEvent event) {
        if (!CaptureSink.attached()) {
            return;
        }
        try {
            String message = event.getFormattedMessage(); // before the line: formatting may log
            CaptureSink.println(CaptureLine.begin(event.getTimeStamp(), event.getThreadName(),
                    event.getLevel().toString(), event.getLoggerName()).append(message));
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                CaptureSink.println(thrown instanceof ThrowableProxy
                        ? CaptureLine.trace(((ThrowableProxy) thrown).getThrowable())
                        : ThrowableProxyUtil.asString(thrown).stripTrailing());
            }
            CaptureSink.nudge();
        } catch (RuntimeException | LinkageError e) {
            // the application's logging call must not fail because of pstore; the line is lost
        }
    }

    /**
     * Attaches a capture appender to the root logger of {@code context} unless one is there, and keeps it
     * there across resets (a reset-resistant listener; a stop removes every listener, so call it again
     * after a stop). Idempotent.
     */
    public static void install(LoggerContext context) {
        synchronized (LogbackCapture.class) {
            attach(context);
            for (Object l : context.getCopyOfListenerList()) {
                if (l instanceof Reattach) {
                    return;
                }
            }
            context.addListener(new Reattach());
        }
    }

    static void attach(LoggerContext context) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof LogbackCapture) {
                return; // configured in logback.xml already
            }
        }
        LogbackCapture capture = new LogbackCapture();
        capture.setContext(context);
        capture.setName(NAME);
        capture.start();
        root.addAppender(capture);
    }

    /** Survives a reset (which detaches every appender) and attaches a fresh capture after it. */
    static final class Reattach implements ch.qos.logback.classic.spi.LoggerContextListener {
        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {
        }

        @Override
        public void onReset(LoggerContext context) {
            try {
                attach(context);
            } catch (RuntimeException | LinkageError e) {
                // a reset must not fail because of pstore
            }
        }

        @Override
        public void onStop(LoggerContext context) {
        }

        @Override
        public void onLevelChange(Logger logger, ch.qos.logback.classic.Level level) {
        }
    }
}
