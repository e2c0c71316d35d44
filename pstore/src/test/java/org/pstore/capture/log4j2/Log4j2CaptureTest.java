package org.pstore.capture.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pstore.capture.CaptureSink;
import org.pstore.capture.OrderHandler;
import org.pstore.capture.RingLines;

/** The plugin from a real log4j2.xml (found through Log4j2Plugins.dat), and installed from code across a reconfiguration and behind async loggers. */
class Log4j2CaptureTest {
    @AfterEach
    void detach() {
        CaptureSink.detach();
    }

    @Test
    void fromLog4j2XmlEachEventIsOneLineAndItsStackTrace() throws Exception {
        RingLines ring = RingLines.attached();
        URI config = Log4j2CaptureTest.class.getResource("/capture/log4j2-capture.xml").toURI();
        LoggerContext context = new LoggerContext("capture-xml", null, config);
        context.start();
        try {
            assertThat(context.getConfiguration().getAppenders().get("pstore")).isInstanceOf(Log4j2Capture.class);
            Logger log = context.getLogger("capture.log4j2");
            log.info("order {} accepted", 42);
            log.debug("below the configured level");
            log.error("refused", new IllegalArgumentException("no such customer"));
            var lines = ring.take();
            assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[main\\] INFO capture\\.log4j2: order 42 accepted");
            assertThat(lines.get(1)).endsWith(" [main] ERROR capture.log4j2: refused");
            assertThat(lines.get(2)).isEqualTo("java.lang.IllegalArgumentException: no such customer");
            assertThat(lines).noneMatch(l -> l.contains("below the configured level"));
        } finally {
            context.stop();
        }
    }

    @Test
    void installedFromCodeItFollowsEveryNewConfiguration() {
        RingLines ring = RingLines.attached();
        LoggerContext context = new LoggerContext("capture-code");
        context.start(configuration(context));
        try {
            Log4j2Capture.install(context);
            Log4j2Capture.install(context);
            context.getLogger("a").info("first");
            context.setConfiguration(configuration(context));
            context.getLogger("a").info("after a reconfiguration");
            assertThat(ring.take()).map(l -> l.substring(l.indexOf(' ') + 1))
                    .containsExactly("[main] INFO a: first", "[main] INFO a: after a reconfiguration");
        } finally {
            context.stop();
        }
    }

    @Test
    void behindAsyncLoggersEachLineKeepsTheThreadItWasLoggedOnAndItsStackTrace() throws Exception {
        RingLines ring = RingLines.attached();
        AsyncLoggerContext context = new AsyncLoggerContext("capture-async");
        context.start(configuration(context));
        try {
            Log4j2Capture.install(context);
            Logger log = context.getLogger("capture.async");
            OrderHandler.run(i -> log.info("order {} accepted", i), e -> log.error("refused", e));
        } finally {
            context.stop(); // drains the async loggers' ring buffer first
        }
        assertThat(ring.take()).map(OrderHandler::withoutTime).startsWith(OrderHandler.expected("capture.async").toArray(String[]::new));
    }

    private static BuiltConfiguration configuration(LoggerContext context) {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setStatusLevel(org.apache.logging.log4j.Level.WARN);
        b.setLoggerContext(context);
        b.add(b.newRootLogger(org.apache.logging.log4j.Level.INFO));
        return b.build(false);
    }
}
