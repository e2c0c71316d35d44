package org.pstore.agent.arming;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.PstoreException;
import org.pstore.boot.BootClaim;
import org.pstore.boot.StoreLayout;
import org.pstore.capture.CaptureRing;
import org.pstore.capture.CaptureSink;
import org.pstore.capture.JulCapture;
import org.pstore.capture.StdStreamCapture;
import org.pstore.panic.PanicSettings;

/**
 * Arms pstore from the agent, in two parts. Before {@code main} (the part the start-up budget is spent on),
 * only what capture needs: the JVM claimed, the capture ring made, and java.util.logging, stdout/stderr and
 * the Logback and Log4j2 hooks feeding it; an uncaught exception from then on waits for the store. Then, on
 * the {@code pstore-boot} thread: every setting validated, the modules Chronicle needs opened, the store
 * directory prepared, and the store opened and armed as {@code Pstore.boot()} does (Chronicle's start-up,
 * most of the time), with the ring that has been filling since. Any failure is one {@code pstore:} line on
 * stderr, capture is undone, and the application runs without pstore.
 */
public final class Arming {
    static final String OPENER = "pstore-boot";
    /** How long a crash waits for a store that is still opening. */
    static final long OPEN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Kept (java.util.logging holds loggers weakly): pstore's own INFO records, and anything the libraries of
     * the bundle log through java.util.logging (jffi, under Chronicle), stay off the application's console.
     */
    private static final List<Logger> QUIET = new ArrayList<>();

    private final Instrumentation inst;
    private final Map<String, String> options;
    private final BootClaim claim;
    private final CaptureRing ring;
    private final byte[] outOfHeapLine = Say.prepared("cannot arm: java.lang.OutOfMemoryError: the heap ran out while pstore opened"
            + Say.UNPROTECTED);
    private JulCapture jul;
    private LoggingHooks hooks;
    private EarlyCrash early;

    private Arming(Instrumentation inst, Map<String, String> options, BootClaim claim, CaptureRing ring) {
        this.inst = inst;
        this.options = options;
        this.claim = claim;
        this.ring = ring;
    }

    /** Called by the launcher (reflectively: the launcher lives outside the bundle). Never throws. */
    public static void start(Instrumentation inst, String text, boolean attached) {
        System.clearProperty(Say.FAILED); // an earlier attach's failure is not this one's
        Map<String, String> options;
        try {
            options = AgentOptions.parse(text);
        } catch (IllegalArgumentException e) {
            Say.failed(e.getMessage() + Say.UNPROTECTED);
            return;
        }
        String dir = PstoreConfig.raw(options, "pstore.dir");
        Path store = (dir == null ? PstoreConfig.DEFAULT_DIR : Path.of(dir)).toAbsolutePath();
        BootClaim claim;
        try {
            claim = BootClaim.take("the Java agent, store " + store);
        } catch (PstoreException e) {
            Say.line(Say.reason(e) + "; nothing to do");
            return;
        } catch (RuntimeException e) {
            Say.failed(e.getMessage() + Say.UNPROTECTED);
            return;
        }
        int kmsgBytes = (int) Math.min(4 << 20, PstoreConfig.sizeOr(PstoreConfig.raw(options, "pstore.kmsgBytes"),
                PstoreConfig.DEFAULT_KMSG_BYTES)); // the ring's size; the value is validated with the rest, in the background
        Arming a = new Arming(inst, options, claim, new CaptureRing(4 * Math.max(4096, kmsgBytes), jvmStartNanos()));
        try {
            a.captureNow(attached);
            // Not a daemon: a program whose main returns while the store opens ends once it is open (and its
            // lines are in the journal), never with a half-made store. The threads boot starts are daemons.
            Thread opener = new Thread(a::open, OPENER);
            opener.setContextClassLoader(Arming.class.getClassLoader());
            opener.start();
        } catch (RuntimeException | LinkageError e) {
            a.undo();
            Say.failed("cannot arm: " + Say.reason(e) + Say.UNPROTECTED);
        }
    }

    /** Before main: the ring and everything that feeds it. */
    private void captureNow(boolean attached) {
        CaptureSink.attach(ring, null);
        if (System.getProperty("java.util.logging.manager") == null) {
            // with a LogManager of its own (JBoss, Log4j's), JUL is the application's to start: boot attaches later
            quiet("org.pstore", Level.WARNING);
            quiet("com.kenai.jffi", Level.OFF);
            quiet("jnr", Level.OFF);
            jul = JulCapture.install(ring, CaptureSink::nudge);
        }
        StdStreamCapture.install();
        hooks = LoggingHooks.install(inst, attached);
        Thread me = Thread.currentThread();
        early = EarlyCrash.install(OPEN_WAIT_NANOS,
                (int) Math.min(PanicSettings.DEFAULT_HEAP_RESERVE_BYTES, Runtime.getRuntime().maxMemory() / 16),
                !attached && me.getName().equals("main") ? me : null); // premain runs on main; agentmain does not
    }

    private static void quiet(String name, Level level) {
        Logger l = Logger.getLogger(name);
        if (l.getLevel() == null) {
            l.setLevel(level);
            QUIET.add(l);
        }
    }

    /**
     * The background part. When the heap runs out during any step of it (the application may exhaust the heap
     * in its first milliseconds), the crash the application is about to report waits for this thread, so it
     * tries once more when that crash comes, from the first step. Nothing escapes this thread.
     */
    private void open() {
        try {
            Throwable t = armOnce();
            if (t != null && outOfHeap(t) && early.awaitCrash(OPEN_WAIT_NANOS)) {
                int step = failedStep;
                if (armOnce() == null) {
                    return;
                }
                failedStep = step; // the first failure is the cause: a second try can fail of what it left (a failed class)
            }
            if (t != null) {
                fail(line(t));
            }
        } catch (Throwable heapGone) { // even for the words: the line made in advance
            Say.prepared(outOfHeapLine);
            try {
                undo();
            } catch (Throwable ignored) {
                // settled below all the same: nothing waits for this thread
            }
        } finally {
            early.settled();
        }
    }

    /**
     * One try at every step after main starts: null when pstore runs, else what failed ({@link #failedStep}
     * says where). Allocates nothing once a step has failed, so that a heap exhausted meanwhile still gets its
     * second try. Pstore.boot closes what it opened.
     */
    private Throwable armOnce() {
        PstoreConfig config;
        failedStep = SETTINGS;
        try {
            config = PstoreConfig.fromOptions(options);
            failedStep = PREPARING;
            ModuleOpener.open(inst, Arming.class.getModule());
            StoreLayout.check(config.dir()); // boot heals what needs healing, and records it
            failedStep = OPENING;
            Pstore.boot(config, claim, ring);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static final int SETTINGS = 0;
    private static final int PREPARING = 1;
    private static final int OPENING = 2;
    private int failedStep;

    private String line(Throwable t) {
        String why = t instanceof Error ? root(t).toString() : Say.reason(t); // an error's message alone says little
        if (failedStep == SETTINGS && t instanceof IllegalArgumentException) {
            return t.getMessage() + Say.UNPROTECTED; // a bad setting says which, where from, and what it expects
        }
        return (failedStep == OPENING ? "cannot open the store: " : "cannot arm: ") + why + Say.UNPROTECTED;
    }

    /** What an error wraps (an ExceptionInInitializerError, the OutOfMemoryError that failed the class). */
    private static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static boolean outOfHeap(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /**
     * The line first, then capture off: undoing settles the early handler, and a crash waiting for the
     * opening then prints its trace, which must come after the line, not around it.
     */
    private void fail(String line) {
        if (!EarlyCrash.exiting()) {
            Say.failed(line);
        }
        undo();
    }

    /** Capture off again: the application runs as without the agent. */
    private void undo() {
        claim.release();
        CaptureSink.detach();
        if (hooks != null) {
            hooks.stopWatching();
        }
        if (jul != null) {
            Logger.getLogger("").removeHandler(jul);
        }
        if (early != null) {
            early.settled();
        }
    }

    /** The JVM's start on the System.nanoTime() scale (the ring's uptime zero), from the process start time. */
    private static long jvmStartNanos() {
        long now = System.nanoTime();
        return ProcessHandle.current().info().startInstant()
                .map(start -> now - Math.max(0, java.time.Duration.between(start, java.time.Instant.now()).toNanos()))
                .orElse(now);
    }
}
