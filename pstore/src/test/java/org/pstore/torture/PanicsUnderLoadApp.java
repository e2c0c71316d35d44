package org.pstore.torture;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.core.FaultInjection;
import org.pstore.core.Mode;
import org.pstore.core.Namespace;
import org.pstore.panic.Panic;
import org.pstore.panic.PanicAction;

/**
 * 8 writer threads (4 writing pmsg, 4 logging through java.util.logging and pstore's own API) while a
 * trigger fires after a delay: a panic, an exception nobody catches in main, an OutOfMemoryError on one of
 * the writers, a StackOverflowError, a deadlock the watchdog notices, or a store write stuck in the worker.
 * Every cause carries {@code cause} (the run's token) where the trigger lets it. Args: store dir, trigger,
 * delay in ms, the writer that runs out of heap, the token.
 */
public final class PanicsUnderLoadApp {
    static final int EXIT = 77;
    private static final Logger LOG = Logger.getLogger("torture.app");
    private static volatile boolean stall;
    private static final CountDownLatch stalled = new CountDownLatch(1);
    private static volatile int hoarder = -1;
    private static final List<long[]> hoard = new ArrayList<>();
    private static final Object LEFT = new Object();
    private static final Object RIGHT = new Object();

    public static void main(String[] args) throws Exception {
        String trigger = args[1];
        String token = args[4];
        PstoreConfig.Builder config = PstoreConfig.builder().dir(Path.of(args[0])).kmsgBytes(32 << 10).recordSize(8 << 10)
                .capacity(4 << 20).reserve(512 << 10).pmsgBytes(512 << 10)
                .panic(p -> p.action(PanicAction.HALT).exitStatus(EXIT).timeout(Duration.ofSeconds(20)).watchdogInterval(Duration.ofMillis(200)));
        if (trigger.equals("stuck-write")) {
            config.mode(Mode.INTERRUPTIBLE).faultInjection(PanicsUnderLoadApp::stallWhenAsked);
        }
        Pstore.boot(config.build());
        for (int i = 0; i < 8; i++) {
            int n = i;
            Thread t = new Thread(() -> write(n), "writer-" + i);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(Long.parseLong(args[2]));
        LOG.info("the trigger fires: " + trigger + " " + token);
        switch (trigger) {
            case "panic" -> Panic.panic("torture: " + token, new IllegalStateException(token));
            case "uncaught" -> throw new IllegalStateException("uncaught in main: " + token);
            case "oom" -> {
                hoarder = Integer.parseInt(args[3]);
                Thread.sleep(60_000);
            }
            case "stackoverflow" -> recurse(1);
            case "deadlock" -> {
                Thread a = new Thread(() -> lockInOrder(LEFT, RIGHT), "transfer-a-" + token);
                Thread b = new Thread(() -> lockInOrder(RIGHT, LEFT), "transfer-b-" + token);
                a.start();
                b.start();
                a.join();
            }
            case "stuck-write" -> {
                stall = true;
                stalled.await();
                throw new IllegalStateException("giving up while the store's worker is stuck: " + token);
            }
            default -> throw new IllegalArgumentException(trigger);
        }
        System.out.println("survived");
    }

    private static void write(int n) {
        for (long i = 0; ; i++) {
            if (hoarder == n) {
                while (true) {
                    hoard.add(new long[1 << 14]);
                }
            }
            try {
                if (n < 4) {
                    Pstore.pmsg("writer " + n + " message " + i);
                } else if (n < 6) {
                    LOG.info("writer " + n + " line " + i);
                } else {
                    Pstore.log("writer " + n + " line " + i);
                }
            } catch (RuntimeException refused) {
                // a stuck or switched store refuses normal writes: the load goes on
            }
            if (i % 64 == 0) {
                Thread.onSpinWait();
            }
        }
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + depth;
    }

    /** Both threads hold their first lock before either asks for its second: a deadlock, however slow the machine. */
    private static final CountDownLatch BOTH_HOLD = new CountDownLatch(2);

    private static void lockInOrder(Object first, Object second) {
        synchronized (first) {
            BOTH_HOLD.countDown();
            try {
                BOTH_HOLD.await();
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
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // stuck means stuck
                }
            }
        }
    }
}
