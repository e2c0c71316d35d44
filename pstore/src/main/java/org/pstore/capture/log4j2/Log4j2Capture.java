package org.pstore.capture.log4j2;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;

import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ReusableSimpleMessage;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.StringBuilderFormattable;
import org.pstore.capture.CaptureLine;
import org.pstore.capture.CaptureSink;

/**
 * A Log4j2 appender plugin that feeds the capture ring: each event becomes one {@link CaptureLine}
 * ({@code time [thread] LEVEL logger: message}) and its throwable's stack trace. From {@code log4j2.xml}
 * (the plugin is found through the jar's {@code Log4j2Plugins.dat}):
 * <pre>{@code
 * <Appenders><Pstore name="pstore"/></Appenders>
 * <Loggers><Root level="info"><AppenderRef ref="pstore"/></Root></Loggers>
 * }</pre>
 * or from code, {@link #install(LoggerContext)}: on the root logger of the context's configuration, and of
 * every configuration it gets later (a reconfiguration builds a new one). Messages that can format
 * themselves into a builder do so (no garbage); the appender never blocks and never throws into the
 * logging thread, and with async loggers keeps the thread name the event was logged on.
 */
@Plugin(name = "Pstore", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class Log4j2Capture extends AbstractAppender {
    /** The name it has in a configuration when installed from code. */
    public static final String NAME = "pstore";

    private Log4j2Capture(String name, Filter filter) {
        super(name, filter, null, true, Property.EMPTY_ARRAY);
    }

    @PluginFactory
    public static Log4j2Capture createAppender(@PluginAttribute("name") String name, @PluginElement("Filter") Filter filter) {
        return new Log4j2Capture(name == null ? NAME : name, filter);
    }

    @Override
    public void append(LogEvent event) {
        if (!CaptureSink.attached()) {
            return;
        }
        try {
            Message m = event.getMessage();
            CaptureLine line = CaptureLine.current();
            CharSequence message;
            if (m instanceof ReusableSimpleMessage || m instanceof SimpleMessage) {
                message = m.getFormattedMessage(); // the String it was given: nothing to format, nothing copied
            } else if (m instanceof StringBuilderFormattable) {
                StringBuilder text = line.scratch();
                ((StringBuilderFormattable) m).formatTo(text); // before the line begins: formatting may log
                message = text;
            } else {
                message = m == null ? null : m.getFormattedMessage();
            }
            CaptureSink.println(line.start(event.getTimeMillis(), event.getThreadName(),
                    event.getLevel().name(), event.getLoggerName()).append(message));
            Throwable thrown = event.getThrown();
            if (thrown != null) {
                CaptureSink.println(CaptureLine.trace(thrown));
            }
            CaptureSink.nudge();
        } catch (RuntimeException | LinkageError e) {
            // the application's logging call must not fail because of pstore; the line is lost
        }
    }

    /**
     * Attaches a capture appender to the root logger of {@code context}'s configuration (when it has been
     * started) and of every configuration it is given from now on. Idempotent.
     */
    public static void install(LoggerContext context) {
        synchronized (Log4j2Capture.class) {
            if (context.getObject(Reconfigured.KEY) != null) {
                return;
            }
            context.putObject(Reconfigured.KEY, Boolean.TRUE);
            context.addPropertyChangeListener(new Reconfigured(context));
            if (context.isStarted()) {
                attach(context, context.getConfiguration());
            }
        }
    }

    static void attach(LoggerContext context, Configuration config) {
        for (Appender a : config.getAppenders().values()) {
            if (a instanceof Log4j2Capture) {
                return; // configured in log4j2.xml already
            }
        }
        Log4j2Capture capture = new Log4j2Capture(NAME, null);
        capture.start();
        config.addAppender(capture);
        config.getRootLogger().addAppender(capture, null, null);
        context.updateLoggers(config);
    }

    /** Each new configuration gets its own capture: the old one stops every appender it held. */
    static final class Reconfigured implements PropertyChangeListener {
        static final String KEY = Log4j2Capture.class.getName();
        private final LoggerContext context;

        Reconfigured(LoggerContext context) {
            this.context = context;
        }

        @Override
        public void propertyChange(PropertyChangeEvent event) {
            if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName()) && event.getNewValue() instanceof Configuration) {
                try {
                    attach(context, (Configuration) event.getNewValue());
                } catch (RuntimeException | LinkageError e) {
                    // a reconfiguration must not fail because of pstore
                }
            }
        }
    }
}
