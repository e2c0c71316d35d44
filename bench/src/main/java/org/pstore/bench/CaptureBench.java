package org.pstore.bench;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.FileAppender;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pstore.boot.Boot;
import org.pstore.capture.CaptureRing;
import org.pstore.capture.CaptureSink;
import org.pstore.capture.JulCapture;
import org.pstore.capture.log4j2.Log4j2Capture;
import org.pstore.capture.logback.LogbackCapture;
import org.pstore.frontend.ConsoleJournal;

/**
 * Item 2, the caller's cost of one log event, same message and same formatting work for every logger: the
 * caller builds {@code "order <n> accepted for customer <name>"} by concatenation (the no-op anchor is that
 * and a disabled logger, nothing else), then hands the String to
 * <ul>
 * <li>java.util.logging with pstore's {@link JulCapture} as the only handler (what {@code Pstore.boot()}
 *     installs), with the real capture ring and its console journal thread draining it;</li>
 * <li>the capture API, {@code ring.println(line)} and the journal nudge (what {@code Pstore.log} does);</li>
 * <li>Logback with pstore's {@link LogbackCapture} as the only appender, and Log4j2 (synchronous loggers) with
 *     pstore's {@link Log4j2Capture} as the only appender: what {@code logback.xml}/{@code log4j2.xml} or the
 *     agent give an application, into the same ring and journal;</li>
 * <li>Logback: {@code AsyncAppender} (queue 256, the default; discardingThreshold 0 and neverBlock false,
 *     so it blocks when full and drops nothing) over a {@code FileAppender} (immediateFlush false);</li>
 * <li>Log4j2: all-async loggers ({@link AsyncLoggerContext}, the Disruptor, default ring of 256 Ki slots and
 *     the default queue-full policy, which makes the caller wait: nothing dropped) over a
 *     {@code RandomAccessFile} appender (immediateFlush false).</li>
 * </ul>
 * The anchors' layout is {@code %r %level %logger: %msg%n}, pstore's line is {@code [uptime] LEVEL logger: msg}.
 * pstore's ring never blocks: when the journal thread falls behind, the oldest lines are overwritten in the
 * ring before they reach the journal (and counted there); the tear-down notes how many.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CaptureBench {
    private static final String[] NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    static final String PATTERN = "%r %level %logger: %msg%n";

    /** The caller's message: the same concatenation for every logger. */
    @State(Scope.Thread)
    public static class Message {
        long id;

        String next() {
            long n = id++;
            return "order " + n + " accepted for customer " + NAMES[(int) (n & 7)];
        }
    }

    /** A pstore store's capture ring and console journal, and a JUL logger whose only handler is JulCapture. */
    @State(Scope.Benchmark)
    public static class Pstore {
        Path parent;
        Boot.Booted booted;
        CaptureRing ring;
        ConsoleJournal console;
        java.util.logging.Logger jul;
        long events;

        @Setup(Level.Trial)
        public void open() {
            parent = Temp.dir("capture");
            booted = Stores.open(parent, b -> b.mode(org.pstore.core.Mode.LEGACY));
            ring = booted.ring();
            console = booted.console();
            jul = java.util.logging.Logger.getLogger("bench.pstore");
            jul.setUseParentHandlers(false);
            for (Handler h : jul.getHandlers()) {
                jul.removeHandler(h);
            }
            jul.addHandler(new JulCapture(ring, console::nudge));
            jul.setLevel(java.util.logging.Level.INFO);
            CaptureSink.attach(ring, console::nudge); // the Logback and Log4j2 appenders' way into the ring
        }

        @TearDown(Level.Trial)
        public void close() {
            CaptureSink.detach();
            console.drain();
            Notes.put("capture.journal.lost", lost(console) + " of " + ring.head() + " ring slots never reached the journal (ring overwrote them first)");
            Stores.close(booted);
            Temp.delete(parent);
        }

        /** The journal's count of lines overwritten before it read them (diagnostic only, hence reflection). */
        private static String lost(ConsoleJournal console) {
            try {
                Field f = ConsoleJournal.class.getDeclaredField("cursor");
                f.setAccessible(true);
                return Long.toString(((CaptureRing.Cursor) f.get(console)).lost());
            } catch (ReflectiveOperationException | RuntimeException e) {
                return "unknown (" + e + ")";
            }
        }
    }

    /** The no-op anchor: a JUL logger that is off. */
    @State(Scope.Benchmark)
    public static class Disabled {
        java.util.logging.Logger jul;

        @Setup(Level.Trial)
        public void open() {
            jul = java.util.logging.Logger.getLogger("bench.disabled");
            jul.setUseParentHandlers(false);
            jul.setLevel(java.util.logging.Level.OFF);
        }
    }

    @State(Scope.Benchmark)
    public static class Logback {
        Path dir;
        LoggerContext context;
        org.slf4j.Logger logger;
        ch.qos.logback.classic.AsyncAppender async;

        @Setup(Level.Trial)
        public void open() {
            dir = Temp.dir("logback");
            context = new LoggerContext();
            context.setName("bench-logback");
            // what Logback's SLF4J provider gives its own context; without it every event throws and catches an NPE
            context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());

            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern(PATTERN);
            encoder.start();

            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(context);
            file.setName("file");
            file.setFile(dir.resolve("bench.log").toString());
            file.setAppend(false);
            file.setImmediateFlush(false);
            file.setEncoder(encoder);
            file.start();

            async = new ch.qos.logback.classic.AsyncAppender();
            async.setContext(context);
            async.setName("async");
            async.setQueueSize(AsyncAppenderBase.DEFAULT_QUEUE_SIZE);
            async.setDiscardingThreshold(0); // the default discards INFO and below when 80% full
            async.setNeverBlock(false);
            async.setIncludeCallerData(false);
            async.addAppender(file);
            async.start();

            ch.qos.logback.classic.Logger l = context.getLogger("bench.logback");
            l.setLevel(ch.qos.logback.classic.Level.INFO);
            l.setAdditive(false);
            l.addAppender(async);
            logger = l;
        }

        @TearDown(Level.Trial)
        public void close() {
            context.stop();
            Temp.delete(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class Log4j2 {
        Path dir;
        AsyncLoggerContext context;
        org.apache.logging.log4j.Logger logger;

        @Setup(Level.Trial)
        public void open() {
            dir = Temp.dir("log4j2");
            context = new AsyncLoggerContext("bench-log4j2");
            ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
            b.setConfigurationName("bench-log4j2");
            b.setStatusLevel(org.apache.logging.log4j.Level.WARN);
            b.setLoggerContext(context);
            AppenderComponentBuilder file = b.newAppender("file", "RandomAccessFile")
                    .addAttribute("fileName", dir.resolve("bench.log").toString())
                    .addAttribute("append", false)
                    .addAttribute("immediateFlush", false)
                    .add(b.newLayout("PatternLayout").addAttribute("pattern", PATTERN));
            b.add(file);
            b.add(b.newRootLogger(org.apache.logging.log4j.Level.INFO).add(b.newAppenderRef("file")));
            Configuration config = b.build(false);
            context.start(config);
            logger = context.getLogger("bench.log4j2");
            if (!(logger instanceof org.apache.logging.log4j.core.async.AsyncLogger)) {
                throw new IllegalStateException("expected an AsyncLogger, got " + logger.getClass());
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            context.stop();
            Temp.delete(dir);
        }
    }

    /** Logback with pstore's appender only (its own LoggerContext, as logback.xml would make it). */
    @State(Scope.Benchmark)
    public static class LogbackPstore {
        LoggerContext context;
        org.slf4j.Logger logger;

        @Setup(Level.Trial)
        public void open() {
            context = logback("bench-logback-pstore");
            logger = onlyAppender(context, "bench.logback.pstore", "pstore", new LogbackCapture());
        }

        @TearDown(Level.Trial)
        public void close() {
            context.stop();
        }
    }

    /** Log4j2, synchronous loggers, with pstore's appender only (as log4j2.xml with {@code <Pstore/>} would make it). */
    @State(Scope.Benchmark)
    public static class Log4j2Pstore {
        org.apache.logging.log4j.core.LoggerContext context;
        org.apache.logging.log4j.Logger logger;

        @Setup(Level.Trial)
        public void open() {
            context = syncLog4j2("bench-log4j2-pstore");
            Log4j2Capture.install(context); // the appender on the root logger, as the agent attaches it
            logger = context.getLogger("bench.log4j2.pstore");
        }

        @TearDown(Level.Trial)
        public void close() {
            context.stop();
        }
    }

    /**
     * Reference: Logback with an appender that only takes the event's text, what any appender must: the
     * framework's own synchronous cost, which pstore's appender pays on top of its own and the AsyncAppender
     * anchor partly hands to its thread.
     */
    @State(Scope.Benchmark)
    public static class LogbackNoop {
        LoggerContext context;
        org.slf4j.Logger logger;
        volatile int sink;

        @Setup(Level.Trial)
        public void open() {
            context = logback("bench-logback-noop");
            ch.qos.logback.core.UnsynchronizedAppenderBase<ILoggingEvent> noop = new ch.qos.logback.core.UnsynchronizedAppenderBase<>() {
                @Override
                protected void append(ILoggingEvent event) {
                    sink = event.getFormattedMessage().length() + event.getThreadName().length();
                }
            };
            logger = onlyAppender(context, "bench.logback.noop", "noop", noop);
        }

        @TearDown(Level.Trial)
        public void close() {
            context.stop();
        }
    }

    /** Reference: Log4j2's synchronous logger with an appender that only takes the event's text. */
    @State(Scope.Benchmark)
    public static class Log4j2Noop {
        org.apache.logging.log4j.core.LoggerContext context;
        org.apache.logging.log4j.Logger logger;
        volatile int sink;

        @Setup(Level.Trial)
        public void open() {
            context = syncLog4j2("bench-log4j2-noop");
            org.apache.logging.log4j.core.appender.AbstractAppender noop = new org.apache.logging.log4j.core.appender.AbstractAppender(
                    "noop", null, null, true, org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
                @Override
                public void append(org.apache.logging.log4j.core.LogEvent event) {
                    sink = event.getMessage().getFormattedMessage().length() + event.getThreadName().length();
                }
            };
            noop.start();
            Configuration running = context.getConfiguration();
            running.addAppender(noop);
            running.getRootLogger().addAppender(noop, null, null);
            context.updateLoggers(running);
            logger = context.getLogger("bench.log4j2.noop");
        }

        @TearDown(Level.Trial)
        public void close() {
            context.stop();
        }
    }

    /** A started Log4j2 context of synchronous loggers, the root at INFO, no appender yet. */
    static org.apache.logging.log4j.core.LoggerContext syncLog4j2(String name) {
        org.apache.logging.log4j.core.LoggerContext context = new org.apache.logging.log4j.core.LoggerContext(name);
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName(name);
        b.setStatusLevel(org.apache.logging.log4j.Level.WARN);
        b.setLoggerContext(context);
        b.add(b.newRootLogger(org.apache.logging.log4j.Level.INFO));
        context.start(b.build(false));
        return context;
    }

    /** The logger {@code name} of {@code context} at INFO, writing to {@code appender} (started here) and nowhere else. */
    static org.slf4j.Logger onlyAppender(LoggerContext context, String name, String appenderName,
                                         ch.qos.logback.core.Appender<ILoggingEvent> appender) {
        appender.setContext(context);
        appender.setName(appenderName);
        appender.start();
        ch.qos.logback.classic.Logger l = context.getLogger(name);
        l.setLevel(ch.qos.logback.classic.Level.INFO);
        l.setAdditive(false);
        l.addAppender(appender);
        return l;
    }

    /** A Logback context of its own, as logback.xml would make it. */
    static LoggerContext logback(String name) {
        LoggerContext context = new LoggerContext();
        context.setName(name);
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        return context;
    }

    @Benchmark
    public String julDisabled(Disabled d, Message m) {
        String line = m.next();
        d.jul.info(line);
        return line; // consumed, so the JIT cannot drop the formatting work
    }

    @Benchmark
    public void julPstoreCapture(Pstore p, Message m) {
        p.jul.info(m.next());
    }

    @Benchmark
    public void captureApi(Pstore p, Message m) {
        p.ring.println(m.next());
        p.console.nudge();
    }

    @Benchmark
    public void logbackAsyncFile(Logback l, Message m) {
        l.logger.info(m.next());
    }

    @Benchmark
    public void log4j2AsyncRandomAccessFile(Log4j2 l, Message m) {
        l.logger.info(m.next());
    }

    @Benchmark
    public void logbackPstoreAppender(Pstore p, LogbackPstore l, Message m) {
        l.logger.info(m.next());
    }

    @Benchmark
    public void log4j2PstoreAppender(Pstore p, Log4j2Pstore l, Message m) {
        l.logger.info(m.next());
    }

    @Benchmark
    public void logbackNoopAppender(LogbackNoop l, Message m) {
        l.logger.info(m.next());
    }

    @Benchmark
    public void log4j2NoopAppender(Log4j2Noop l, Message m) {
        l.logger.info(m.next());
    }
}
