package org.pstore.agent.arming;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.PstoreException;
import org.pstore.boot.Boot;
import org.pstore.boot.BootClaim;
import org.pstore.boot.StoreLayout;
import org.pstore.capture.CaptureRing;
import org.pstore.capture.CaptureSink;
import org.pstore.capture.JulCapture;
import org.pstore.capture.StdStreamCapture;
import org.pstore.core.StoreException;

/**
 * Arms pstore from the agent, in two parts. Before {@code main} (the part the start-up budget is spent on):
 * the options are read and validated, the JVM claimed, the modules Chronicle needs opened, the store
 * directory prepared, and the capture ring made, with java.util.logging, stdout/stderr and the Logback and
 * Log4j2 hooks feeding it; an uncaught exception from then on waits for the store. Then, on the
 * {@code pstore-boot} thread: the store opens (Chronicle's start-up, most of the time), the ops are
 * decided, the panic machine and triggers are armed and the crash path rehearsed, as {@code Pstore.boot()}
 * does. Any failure is one {@code pstore:} line on stderr, and the application runs without pstore.
 */
public final class Arming {
    static final String OPENER = "pstore-boot";
    /** How long a crash waits for a store that is still opening. */
    static final long OPEN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Kept (java.util.logging holds loggers weakly): pstore's own INFO records, and anything the libraries of
     * the bundle log through java.util.logging (jffi, under Chronicle), stay off the application's console.
     */
    private static final Logger PSTORE_LOGGER = Logger.getLogger("org.pstore");
    private static final Logger[] BUNDLE_LOGGERS = {Logger.getLogger("com.kenai.jffi"), Logger.getLogger("jnr")};

    private Arming() {
    }

    /** Called by the launcher (reflectively: the launcher lives outside the bundle). Never throws. */
    public static void start(Instrumentation inst, String options, boolean attached, long startNanos) {
        PstoreConfig config;
        try {
            config = PstoreConfig.fromOptions(AgentOptions.parse(options));
        } catch (IllegalArgumentException e) {
            Say.failed(e.getMessage() + Say.UNPROTECTED);
            return;
        }
        Path dir = config.dir().toAbsolutePath();
        BootClaim claim;
        try {
            claim = BootClaim.take("the Java agent, store " + dir);
        } catch (PstoreException e) {
            Say.line(Say.reason(e) + "; nothing to do");
            return;
        }
        try {
            armEarly(inst, config, claim, attached);
        } catch (RuntimeException | java.io.IOException | LinkageError e) {
            claim.release();
            CaptureSink.detach();
            Say.failed("cannot arm: " + Say.reason(e) + Say.UNPROTECTED);
        }
    }

    private static void armEarly(Instrumentation inst, PstoreConfig config, BootClaim claim, boolean attached)
            throws java.io.IOException {
        ModuleOpener.open(inst, Arming.class.getModule());
        try {
            StoreLayout.prepare(config.dir());
        } catch (StoreException e) {
            throw new PstoreException(e.status(), e.getMessage(), e);
        }
        CaptureRing ring = Boot.newRing(config);
        CaptureSink.attach(ring, null);
        JulCapture jul = null;
        if (System.getProperty("java.util.logging.manager") == null) {
            // with a LogManager of its own (JBoss, Log4j's), JUL is the application's to start: boot attaches later
            if (PSTORE_LOGGER.getLevel() == null) {
                PSTORE_LOGGER.setLevel(Level.WARNING);
            }
            for (Logger l : BUNDLE_LOGGERS) {
                if (l.getLevel() == null) {
                    l.setLevel(Level.OFF);
                }
            }
            jul = JulCapture.install(ring, CaptureSink::nudge);
        }
        StdStreamCapture.install();
        LoggingHooks hooks = LoggingHooks.install(inst, attached);
        EarlyCrash early = EarlyCrash.install(OPEN_WAIT_NANOS, config.panic().heapReserveBytes());
        JulCapture installed = jul;
        // Not a daemon: a program whose main returns while the store opens ends once it is open (and its
        // lines are in the journal), never with a half-made store. The threads boot starts are daemons.
        Thread opener = new Thread(() -> open(config, claim, ring, early, installed, hooks), OPENER);
        opener.setContextClassLoader(Arming.class.getClassLoader());
        opener.start();
    }

    /** The background part: what Pstore.boot() does, with the ring that has been filling since the agent started. */
    private static void open(PstoreConfig config, BootClaim claim, CaptureRing ring, EarlyCrash early, JulCapture jul,
                             LoggingHooks hooks) {
        try {
            Pstore.boot(config, claim, ring);
        } catch (Throwable t) {
            CaptureSink.detach();
            hooks.stopWatching();
            if (jul != null) {
                Logger.getLogger("").removeHandler(jul);
            }
            if (!EarlyCrash.exiting()) {
                Say.failed("cannot open the store: " + Say.reason(t) + Say.UNPROTECTED);
            }
        } finally {
            early.settled();
        }
    }
}
