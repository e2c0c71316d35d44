package org.pstore.crash;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.core.Attributes;
import org.pstore.core.FaultInjection;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.VariableOps;
import org.pstore.panic.Panic;
import org.pstore.panic.PanicAction;
import org.pstore.panic.Priority;

/**
 * A real application for the crash tests: boots pstore, logs numbered ticks through java.util.logging,
 * prints "last-tick N" on stdout, then dies the way its first argument says. Args: scenario, store dir.
 */
public final class CrashApp {
    static final Logger LOG = Logger.getLogger("crash.app");
    static final int EXIT = 77;
    /** Writes of the next store operation block forever (inside or before the append) or fail. */
    static volatile String fault = "";
    static final CountDownLatch inFault = new CountDownLatch(1);
    static final List<byte[]> hoard = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        Path dir = Path.of(args[1]);
        PstoreConfig.Builder config = PstoreConfig.builder().dir(dir).kmsgBytes(32 << 10).recordSize(8 << 10)
                .capacity(2 << 20).reserve(512 << 10).pmsgBytes(256 << 10)
                .faultInjection(CrashApp::inject)
                .panic(p -> p.action(PanicAction.HALT).exitStatus(EXIT).timeout(java.time.Duration.ofSeconds(20)));
        if (scenario.equals("notifiers")) {
            config.panic(p -> p.notifierTimeout(java.time.Duration.ofMillis(500)).timeout(java.time.Duration.ofSeconds(5)));
        }
        if (scenario.equals("shutdown") || scenario.equals("exit-during-panic")) {
            config.panic(p -> p.action(PanicAction.EXIT));
        }
        Pstore.boot(config.build());
        int ticks = scenario.equals("oom") ? 50 : 200;
        for (int i = 1; i <= ticks; i++) {
            LOG.info("tick " + i);
        }
        System.out.println("last-tick " + ticks);
        System.out.flush();
        crash(scenario, dir);
        System.out.println("survived");
    }

    /** Takes the whole heap, in ever smaller pieces down to the smallest array. */
    private static void fillHeap() {
        for (int size = 64 << 10; size > 0; ) {
            try {
                hoard.add(new byte[size]);
            } catch (OutOfMemoryError e) {
                size /= 2;
            }
        }
    }

    private static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            m.put(0, (byte) 1);
            return m;
        }
    }

    private static void inject(FaultInjection.Phase phase, Namespace ns, CharSequence name) throws IOException {
        String f = fault;
        if (f.isEmpty()) {
            return;
        }
        if (f.equals("io-errors") && phase == FaultInjection.Phase.BEFORE_APPEND) {
            throw new IOException("injected: disk failing");
        }
        if ((f.equals("stuck-write") && phase == FaultInjection.Phase.INSIDE_APPEND)
                || (f.equals("stuck-lock") && phase == FaultInjection.Phase.BEFORE_APPEND)) {
            inFault.countDown();
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // stuck means stuck
                }
            }
        }
        if (f.equals("dead-worker") && phase == FaultInjection.Phase.BEFORE_APPEND) {
            fault = "";
            inFault.countDown();
            throw new InternalError("injected: fatal fault in the worker");
        }
    }

    private static void crash(String scenario, Path dir) throws Exception {
        switch (scenario) {
            case "panic":
                LOG.info("the last line before the panic");
                Panic.panic("requested panic", new IllegalStateException("the reason we panic"));
                break;
            case "stuck-write":
            case "stuck-lock":
            case "dead-worker":
                fault = scenario;
                Thread writer = new Thread(() -> {
                    try {
                        Pstore.pmsg("this write gets stuck");
                    } catch (RuntimeException e) {
                        System.out.println("pmsg failed: " + e.getMessage());
                    }
                }, "app-writer");
                writer.setDaemon(true);
                writer.start();
                inFault.await();
                if (scenario.equals("dead-worker")) {
                    writer.join();
                    Thread.sleep(200); // let the worker finish dying; the panic does not depend on it
                    System.out.println("worker alive: " + Pstore.current().orElseThrow().internals().services().workerThread().isAlive());
                }
                LOG.info("the last line before the panic");
                throw new IllegalStateException("main thread gives up: " + scenario);
            case "oom":
                LOG.info("the last line before the panic");
                while (true) {
                    hoard.add(new byte[64 << 10]);
                }
            case "mapping-freed-in-full-heap": {
                // a mapping of the application's own, never unmapped, found unreachable while the heap is
                // full: the Reference Handler unmaps it then (JDK 17 ends the JVM with status 1 when that fails)
                BufferPoolMXBean mapped = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                        .filter(b -> b.getName().equals("mapped")).findFirst().orElseThrow();
                long before = mapped.getCount();
                // held through an array that is written after the fill: a plain local is dead to the JIT once
                // assigned, and the mapping could go while the heap still has room
                MappedByteBuffer[] held = {map(dir.resolveSibling("app.map"))};
                LOG.info("the last line before the panic");
                fillHeap();
                held[0] = null;
                for (int round = 0; round < 500 && mapped.getCount() > before; round++) {
                    try {
                        System.gc();
                    } catch (OutOfMemoryError e) {
                        // full, as wanted
                    }
                    fillHeap();
                    LockSupport.parkNanos(2_000_000);
                }
                boolean unmappedInFullHeap = mapped.getCount() <= before;
                hoard.clear(); // room for the panic's report, then the error it reports
                Thread.sleep(10);
                throw new OutOfMemoryError(unmappedInFullHeap ? "after the mapping was unmapped in a full heap"
                        : "the mapping was never unmapped");
            }
            case "stackoverflow": {
                LOG.info("the last line before the panic");
                Thread deep = new Thread(() -> recurse(0), "deep-recursion");
                deep.start();
                deep.join();
                Thread.sleep(60_000);
                break;
            }
            case "stackoverflow-in-logging": {
                // every level logs: the error is thrown deep inside a logging call (JUL, the capture ring)
                Thread deep = new Thread(() -> recurseLogging(0), "deep-logging");
                deep.start();
                deep.join();
                Thread.sleep(60_000);
                break;
            }
            case "concurrent": {
                LOG.info("the last line before the panic");
                CyclicBarrier barrier = new CyclicBarrier(16);
                AtomicInteger started = new AtomicInteger();
                for (int i = 0; i < 16; i++) {
                    int n = i;
                    new Thread(() -> {
                        try {
                            started.incrementAndGet();
                            barrier.await();
                        } catch (Exception e) {
                            return;
                        }
                        Panic.panic("concurrent panic", new IllegalStateException("thread " + n));
                    }, "panicker-" + i).start();
                }
                Thread.sleep(60_000);
                break;
            }
            case "shutdown": {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Thread.sleep(300); // another hook, busy while the panic runs
                    } catch (InterruptedException ignored) {
                        // ending anyway
                    }
                }, "slow-hook"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    Panic.panic("panic during shutdown", new IllegalStateException("a hook failed"));
                }, "panicking-hook"));
                LOG.info("the last line before the panic"); // JUL's own hook may remove handlers once shutdown starts
                System.exit(0);
                break;
            }
            case "full": {
                VariableOps ops = Pstore.current().orElseThrow().internals().services().ops();
                Namespace ns = Namespace.of(UUID.randomUUID(), "filler");
                byte[] data = new byte[4096];
                int n = 0;
                Status s;
                while ((s = ops.set(ns, "fill-" + n, Attributes.DEFAULT, data, 0, data.length)) == Status.OK) {
                    n++;
                }
                System.out.println("store full after " + n + " writes: " + s);
                LOG.info("the last line before the panic");
                Panic.panic("panic on a full store", new IllegalStateException("full"));
                break;
            }
            case "io-errors": {
                fault = "io-errors";
                try {
                    Pstore.pmsg("this write fails");
                } catch (RuntimeException e) {
                    System.out.println("pmsg failed: " + e.getMessage());
                }
                LOG.info("the last line before the panic");
                Panic.panic("panic on a failing store", new IllegalStateException("io errors"));
                break;
            }
            case "notifiers": {
                Panic.machine().registerNotifier("throws", Priority.DUMP + 0 == Priority.DUMP ? Priority.DUMP - 1 : 0, e -> {
                    throw new IllegalStateException("notifier that throws");
                });
                Panic.machine().registerNotifier("hangs", Priority.SWITCH - 1, e -> Thread.sleep(Long.MAX_VALUE));
                LOG.info("the last line before the panic");
                Panic.panic("panic with bad notifiers", new IllegalStateException("bad notifiers"));
                break;
            }
            case "bad-parts": {
                // report parts that fail: a thread whose name is 4 MiB long, a cause whose getMessage()
                // recurses into a StackOverflowError, a suppressed one whose getMessage() throws
                Thread huge = new Thread(() -> LockSupport.park(), "huge-" + "x".repeat(4 << 20));
                huge.setDaemon(true);
                huge.start();
                IllegalStateException cause = new IllegalStateException() {
                    @Override
                    public String getMessage() {
                        return getMessage() + "!";
                    }
                };
                cause.addSuppressed(new RuntimeException() {
                    @Override
                    public String getMessage() {
                        throw new UnsupportedOperationException("no message");
                    }
                });
                LOG.info("the last line before the panic");
                Panic.panic("panic with parts that fail", cause);
                break;
            }
            case "exit-during-panic": {
                // after the early dump, before the rest of the report: another thread ends the JVM with
                // status 1, as the JDK's Cleaner does when it meets an exhausted heap; the panic (EXIT)
                // still ends with its own status, its record whole
                Panic.machine().registerNotifier("exits", Priority.REPORT + 1, e -> {
                    Thread exiter = new Thread(() -> System.exit(1), "app-exiter");
                    exiter.start();
                    exiter.join(300);
                });
                LOG.info("the last line before the panic");
                Panic.panic("panic while the JVM exits", new IllegalStateException("exit during panic"));
                break;
            }
            default:
                throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    private static int recurseLogging(int depth) {
        LOG.info("depth " + depth + " " + "#".repeat(depth % 40) + " end");
        return recurseLogging(depth + 1) + 1;
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
