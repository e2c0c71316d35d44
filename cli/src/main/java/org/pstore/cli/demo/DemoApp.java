package org.pstore.cli.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.logging.Logger;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.core.FaultInjection;
import org.pstore.core.Mode;
import org.pstore.core.Namespace;
import org.pstore.panic.Panic;

/**
 * The sample application the demo runs in a child JVM: boots pstore, logs a numbered tick every few
 * milliseconds through java.util.logging, writes pmsg checkpoints, and then crashes as told. It prints
 * {@code tick N} after each tick is logged and {@code last-tick N} before it crashes, so the demo can tell
 * whether the last line logged made it into the crash record. Args: crash kind, store dir.
 */
public final class DemoApp {
    private static final Logger LOG = Logger.getLogger("demo.app");
    private static final int TICKS = 200;
    private static volatile boolean stall;
    private static final CountDownLatch stalled = new CountDownLatch(1);
    private static final List<long[]> hoard = new ArrayList<>();
    private static final Object LEFT = new Object();
    private static final Object RIGHT = new Object();

    public static void main(String[] args) throws Exception {
        CrashKind kind = CrashKind.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
        PstoreConfig.Builder config = PstoreConfig.fromEnvironment().toBuilder().dir(Path.of(args[1]))
                .panic(p -> p.watchdogInterval(Duration.ofMillis(200)));
        if (kind == CrashKind.STALL) {
            config.mode(Mode.INTERRUPTIBLE).faultInjection(DemoApp::stallWhenAsked);
        }
        Pstore pstore = Pstore.boot(config.build());
        System.out.println("booted: boot " + pstore.bootNumber() + ", " + pstore.mode());
        Thread ticker = new Thread(DemoApp::tick, "ticker");
        ticker.start();
        if (kind == CrashKind.KILL) {
            ticker.join(); // ticks until the demo kills the process
            return;
        }
        ticker.join();
        System.out.println("crashing: " + kind.story());
        System.out.flush();
        crash(kind);
    }

    private static void tick() {
        for (int i = 1; i <= TICKS || Boolean.getBoolean("demo.forever"); i++) {
            LOG.info("tick " + i);
            System.out.println("tick " + i);
            if (i % 50 == 0) {
                Pstore.pmsg("checkpoint after tick " + i);
            }
            System.out.flush();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void crash(CrashKind kind) throws Exception {
        switch (kind) {
            case PANIC -> Panic.panic("demo: the application asked for a panic", new IllegalStateException("order book inconsistent"));
            case EXCEPTION -> throw new IllegalStateException("demo: nobody catches this");
            case OOM -> {
                while (true) {
                    hoard.add(new long[1 << 16]);
                }
            }
            case STACKOVERFLOW -> recurse(1);
            case DEADLOCK -> {
                Thread a = new Thread(() -> lockInOrder(LEFT, RIGHT), "transfer-a");
                Thread b = new Thread(() -> lockInOrder(RIGHT, LEFT), "transfer-b");
                a.start();
                b.start();
                a.join();
            }
            case STALL -> {
                stall = true;
                Thread writer = new Thread(() -> Pstore.pmsg("this write never finishes"), "stuck-writer");
                writer.setDaemon(true);
                writer.start();
                stalled.await();
                throw new IllegalStateException("demo: giving up while the store's worker is stuck");
            }
            case CONCURRENT -> {
                CyclicBarrier barrier = new CyclicBarrier(16);
                for (int i = 0; i < 16; i++) {
                    int n = i;
                    new Thread(() -> {
                        try {
                            barrier.await();
                        } catch (Exception e) {
                            return;
                        }
                        Panic.panic("demo: thread " + n + " panics", null);
                    }, "panicker-" + i).start();
                }
                Thread.sleep(Long.MAX_VALUE);
            }
            default -> throw new IllegalArgumentException(kind.word());
        }
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + depth;
    }

    private static void lockInOrder(Object first, Object second) {
        synchronized (first) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (second) {
                System.out.println("no deadlock after all");
            }
        }
    }

    private static void stallWhenAsked(FaultInjection.Phase phase, Namespace ns, CharSequence name) throws IOException {
        if (stall && phase == FaultInjection.Phase.INSIDE_APPEND) {
            stalled.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                throw new IOException("interrupted");
            }
        }
    }
}
