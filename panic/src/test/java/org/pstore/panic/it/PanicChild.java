package org.pstore.panic.it;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.LockSupport;
import org.pstore.panic.DumpReason;
import org.pstore.panic.Dumper;
import org.pstore.panic.Panic;
import org.pstore.panic.PanicAction;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.PanicSettings;
import org.pstore.panic.Priority;
import org.pstore.panic.trigger.Triggers;

/**
 * The child JVM of {@link PanicProcessIT}: one scenario per run, through the public API only. Its console
 * appends the report to the file named by {@code pstore.test.consoleFile}; its dumpers append
 * "NAME REASON MESSAGE [PANICKING-THREAD] on DUMPING-THREAD" to the file named by {@code pstore.test.dumpFile}.
 */
public final class PanicChild {
    private static FileLines dumps;
    /** Filled until the heap is exhausted; static so that it stays full. */
    private static Object[] hoard;

    private PanicChild() {
    }

    public static void main(String[] args) throws Exception {
        dumps = new FileLines(System.getProperty("pstore.test.dumpFile"));
        FileLines console = new FileLines(System.getProperty("pstore.test.consoleFile"));
        String scenario = args[0];
        PanicSettings.Builder settings = PanicSettings.builder();
        switch (scenario) {
            case "concurrent-exit":
                concurrentExit(machine(settings.exitStatus(42), console));
                break;
            case "hung-notifier-halt":
                hungNotifierHalt(machine(settings.action(PanicAction.HALT).exitStatus(43)
                        .notifierTimeout(Duration.ofMillis(500)).timeout(Duration.ofSeconds(5)), console));
                break;
            case "out-of-memory":
                outOfMemory(machine(settings.exitStatus(45), console));
                break;
            case "stack-overflow":
                stackOverflow(machine(settings.exitStatus(46), console));
                break;
            case "panic-in-shutdown":
                panicInShutdown(machine(settings.exitStatus(47), console));
                break;
            case "worker-oops":
                workerOops(machine(settings.exitStatus(48), console));
                break;
            case "deadlock":
                deadlock(machine(settings.exitStatus(49).watchdogInterval(Duration.ofMillis(200)), console));
                break;
            case "exit-hook-hangs":
                exitHookHangs(machine(settings.exitStatus(50).timeout(Duration.ofSeconds(2))
                        .notifierTimeout(Duration.ofSeconds(1)), console));
                break;
            case "timer-stuck":
                timerStuck(machine(settings.action(PanicAction.HALT).exitStatus(51).timeout(Duration.ofSeconds(2))
                        .notifierTimeout(Duration.ofMillis(300)).watchdogInterval(Duration.ofMillis(100)), console));
                break;
            case "timer-stuck-exhausted":
                timerStuckAtAnExhaustedHeap(machine(settings.action(PanicAction.HALT).exitStatus(52)
                        .timeout(Duration.ofSeconds(3)).notifierTimeout(Duration.ofMillis(300))
                        .watchdogInterval(Duration.ofMillis(100)), console));
                break;
            default:
                throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    private static PanicMachine machine(PanicSettings.Builder settings, FileLines console) {
        PanicMachine machine = new PanicMachine(settings.build());
        machine.console(console::line);
        machine.registerDumper("kmsg", DumpReason.OOPS, dumper("kmsg"));
        return machine;
    }

    private static Dumper dumper(String name) {
        return (reason, revision, event) -> {
            if (revision != Dumper.FULL) { // one line per dump: the early revision of a panic, or the only one
                dumps.dump(name, reason, event);
            }
        };
    }

    /** 16 threads panic at once: one dump, exit status 42. */
    private static void concurrentExit(PanicMachine machine) throws Exception {
        machine.arm();
        CyclicBarrier start = new CyclicBarrier(16);
        for (int i = 0; i < 16; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                machine.panic("sixteen at once", new IllegalStateException("from " + Thread.currentThread().getName()));
            }, "panicker-" + i);
            t.start();
        }
        parkForever();
    }

    /** A notifier hangs before the dump step, another throws: the timer takes over, dumps and halts (43). */
    private static void hungNotifierHalt(PanicMachine machine) {
        machine.registerNotifier("hanger", Priority.SWITCH, event -> parkForever());
        machine.registerNotifier("thrower", Priority.DEFAULT, event -> {
            throw new IllegalStateException("thrown on purpose");
        });
        machine.arm();
        machine.panic("hung notifier", null);
        dumps.line("panic returned");
    }

    /** The main thread exhausts the heap: the uncaught OutOfMemoryError panics (45). */
    private static void outOfMemory(PanicMachine machine) {
        Triggers.install(machine);
        for (;;) {
            hoard = new Object[] {hoard, new byte[4096]};
        }
    }

    /** Deep recursion in a worker: the uncaught StackOverflowError panics (46). */
    private static void stackOverflow(PanicMachine machine) throws Exception {
        Triggers.install(machine);
        Thread recurser = new Thread(() -> recurse(0), "recurser");
        recurser.start();
        recurser.join();
        dumps.line("recurser ended without panic");
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    /** A shutdown hook panics while System.exit(0) runs: the dump is written, System.exit is not called again. */
    private static void panicInShutdown(PanicMachine machine) {
        Panic.install(machine);
        Triggers.install(machine);
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> Panic.panic("panic in shutdown hook", new IllegalStateException("hook")), "app-hook"));
        System.exit(0);
    }

    /** A worker's uncaught exception is an oops: the JVM goes on, exits 0, and dumps at shutdown. */
    private static void workerOops(PanicMachine machine) throws Exception {
        machine.registerDumper("all", DumpReason.SHUTDOWN, dumper("all"));
        Triggers.install(machine);
        Triggers.install(machine);
        Thread worker = new Thread(() -> {
            throw new IllegalStateException("worker failed");
        }, "worker-1");
        worker.start();
        worker.join();
        dumps.line("still alive");
    }

    /** Two threads deadlock on two monitors: the watchdog panics (49). */
    private static void deadlock(PanicMachine machine) {
        Triggers.install(machine);
        Object first = new Object();
        Object second = new Object();
        CountDownLatch bothLocked = new CountDownLatch(2);
        deadlocking("deadlock-a", first, second, bothLocked);
        deadlocking("deadlock-b", second, first, bothLocked);
        parkForever();
    }

    private static void deadlocking(String name, Object mine, Object theirs, CountDownLatch bothLocked) {
        Thread t = new Thread(() -> {
            synchronized (mine) {
                bothLocked.countDown();
                try {
                    bothLocked.await();
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (theirs) {
                    dumps.line("no deadlock");
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** An application shutdown hook hangs, so System.exit never ends: the panic timeout halts (50). */
    private static void exitHookHangs(PanicMachine machine) {
        machine.arm();
        Runtime.getRuntime().addShutdownHook(new Thread(PanicChild::parkForever, "stuck-hook"));
        machine.panic("exit hangs", null);
    }

    /**
     * Two notifiers hang: the timer takes over from the first, dumps, then hangs in the second. The
     * watchdog's backstop halts at the panic timeout (51).
     */
    private static void timerStuck(PanicMachine machine) {
        machine.registerNotifier("hang-1", Priority.SWITCH, event -> parkForever());
        machine.registerNotifier("hang-2", Priority.DEFAULT, event -> parkForever());
        Triggers.install(machine);
        machine.panic("timer stuck", null);
    }

    /** Made before the heap is full: a literal's String is made the first time its code runs. */
    private static final String STUCK = String.valueOf("timer stuck at an exhausted heap");
    private static volatile boolean full;

    /**
     * As timer-stuck, with the heap exhausted and kept so by a thread that takes every byte a collection
     * frees: whatever the panic's end meets for the first time then finds no heap at all.
     */
    private static void timerStuckAtAnExhaustedHeap(PanicMachine machine) {
        machine.registerNotifier("hang-1", Priority.SWITCH, event -> parkForever());
        machine.registerNotifier("hang-2", Priority.DEFAULT, event -> parkForever());
        Triggers.install(machine);
        Thread eater = new Thread(PanicChild::eatTheHeap, "eater");
        eater.setDaemon(true);
        eater.start();
        while (!full) {
            LockSupport.parkNanos(1_000_000L);
        }
        machine.panic(STUCK, null);
    }

    private static void eatTheHeap() {
        int size = 1 << 20;
        for (;;) {
            try {
                hoard = new Object[] {hoard, size > 16 ? new byte[size] : null};
            } catch (OutOfMemoryError e) {
                if (size > 16) {
                    size /= 2;
                } else {
                    full = true;
                }
            }
        }
    }

    private static void parkForever() {
        for (;;) {
            LockSupport.park();
        }
    }
}
