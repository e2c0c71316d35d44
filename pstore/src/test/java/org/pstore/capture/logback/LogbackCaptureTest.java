package org.pstore.capture.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pstore.capture.CaptureSink;
import org.pstore.capture.OrderHandler;
import org.pstore.capture.RingLines;
import org.slf4j.Logger;

/** The appender from a real logback.xml (alone, and behind an AsyncAppender), and installed from code across resets and stops. */
class LogbackCaptureTest {
    @AfterEach
    void detach() {
        CaptureSink.detach();
    }

    private static LoggerContext configured(String resource) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(LogbackCaptureTest.class.getResource(resource));
        context.start();
        return context;
    }

    @Test
    void fromLogbackXmlEachEventIsOneLineAndItsStackTrace() throws Exception {
        RingLines ring = RingLines.attached();
        LoggerContext context = configured("/capture/logback-capture.xml");
        Logger log = context.getLogger("capture.logback");
        log.info("order {} accepted", 42);
        log.debug("below the configured level");
        log.error("refused", new IllegalArgumentException("no such customer"));
        var lines = ring.take();
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[main\\] INFO capture\\.logback: order 42 accepted");
        assertThat(lines.get(1)).endsWith(" [main] ERROR capture.logback: refused");
        assertThat(lines.get(2)).isEqualTo("java.lang.IllegalArgumentException: no such customer");
        assertThat(lines.get(3)).startsWith("\tat org.pstore.capture.logback.LogbackCaptureTest.");
        assertThat(lines).noneMatch(l -> l.contains("below the configured level"));
        context.stop();
    }

    @Test
    void behindAnAsyncAppenderEachLineKeepsTheThreadItWasLoggedOnAndItsStackTrace() throws Exception {
        RingLines ring = RingLines.attached();
        LoggerContext context = configured("/capture/logback-async-capture.xml");
        Logger log = context.getLogger("capture.async");
        OrderHandler.run(i -> log.info("order {} accepted", i), e -> log.error("refused", e));
        context.stop(); // the AsyncAppender hands on what it queued first
        assertThat(ring.take()).map(OrderHandler::withoutTime).startsWith(OrderHandler.expected("capture.async").toArray(String[]::new));
    }

    @Test
    void installedFromCodeItStaysOnTheRootLoggerAcrossResetsAndAgainAfterAStop() throws Exception {
        RingLines ring = RingLines.attached();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        LogbackCapture.install(context);
        LogbackCapture.install(context);
        context.getLogger("a").info("first");
        context.reset();
        context.getLogger("a").info("after a reset");
        context.stop(); // removes every listener: whoever stops a context installs again (the agent does, after each reset)
        LogbackCapture.install(context);
        context.getLogger("a").info("after a stop");
        assertThat(ring.take()).map(l -> l.substring(l.indexOf(' ') + 1))
                .containsExactly("[main] INFO a: first", "[main] INFO a: after a reset", "[main] INFO a: after a stop");
    }
}
