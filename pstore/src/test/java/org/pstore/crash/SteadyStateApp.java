package org.pstore.crash;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.core.Mode;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.trigger.Watchdog;

/**
 * For {@link SteadyStateAllocationIT}: boots pstore with the worker and a watchdog ticking every 0.2 ms, then
 * keeps each of pstore's threads going round (log lines for the journal thread, wake-ups for the idle worker and the
 * parked panic timer, ticks for the watchdog), first to warm up (with pmsg writes too), then measured: the heap bytes each thread
 * allocated during the measured window (HotSpot's per-thread counter), and how many rounds it made.
 * Prints one line per thread: {@code <name> rounds <n> bytes <b>}. Args: store dir, warm-up ms, measure ms.
 */
public final class SteadyStateApp {
    static final Logger LOG = Logger.getLogger("steady.app");
    static final String[] THREADS = {"pstore-watchdog", "pstore-journal", "pstore-worker", "pstore-panic-timer"};
    /** Watchdog ticks, counted by a probe that runs on the watchdog thread at every tick. */
    static volatile long ticks;
    static final long WARM_UP_ROUNDS = 40_000;

    public static void main(String[] args) throws Exception {
        // a journal large enough not to roll to a new segment in the measured window (a roll makes a file)
        Pstore.boot(PstoreConfig.builder().dir(Path.of(args[0])).mode(Mode.INTERRUPTIBLE).journalBytes(256L << 20)
                .panic(p -> p.watchdogInterval(Duration.ofNanos(200_000))).build());
        PanicMachine machine = Pstore.current().orElseThrow().panicMachine();
        Watchdog.of(machine).watch("steady-state rounds", () -> {
            ticks++;
            return 0;
        }, Duration.ofHours(1), () -> { });
        Map<String, Thread> threads = new LinkedHashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            for (String name : THREADS) {
                if (t.getName().equals(name)) {
                    threads.put(name, t);
                }
            }
        }
        for (String name : THREADS) {
            if (!threads.containsKey(name)) {
                throw new IllegalStateException("no thread " + name + " in " + Thread.getAllStackTraces().keySet());
            }
        }
        long[] rounds = new long[THREADS.length];
        // warmed by rounds, not by time: the JIT compiles by counts, and the first runs of freshly compiled code
        // make the string literals its rare paths name (once for the JVM's life, not steady state)
        run(threads, Long.parseLong(args[1]), rounds, true);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] before = new long[THREADS.length];
        for (int i = 0; i < THREADS.length; i++) {
            before[i] = mx.getThreadAllocatedBytes(threads.get(THREADS[i]).getId());
        }
        long ticksBefore = ticks;
        rounds = new long[THREADS.length];
        run(threads, Long.parseLong(args[2]), rounds, false);
        rounds[0] = ticks - ticksBefore;
        for (int i = 0; i < THREADS.length; i++) {
            long bytes = mx.getThreadAllocatedBytes(threads.get(THREADS[i]).getId()) - before[i];
            System.out.println(THREADS[i] + " rounds " + rounds[i] + " bytes " + bytes);
        }
        System.out.flush();
        System.exit(0);
    }

    /**
     * Keeps the threads busy for {@code millis}: a log line a round, a wake-up of the parked panic timer and of
     * the worker (an idle round each), and while warming up a pmsg every other round too.
     */
    private static void run(Map<String, Thread> threads, long millis, long[] rounds, boolean warmUp) {
        Thread timer = threads.get("pstore-panic-timer");
        Thread worker = threads.get("pstore-worker");
        long end = System.nanoTime() + millis * 1_000_000L;
        long least = warmUp ? WARM_UP_ROUNDS : 0;
        for (long n = 0; n < least || System.nanoTime() - end < 0; n++) {
            LOG.info("steady line " + n);
            rounds[1]++;
            if (warmUp && (n & 1) == 0) {
                Pstore.pmsg("steady message " + n);
            }
            LockSupport.unpark(worker);
            rounds[2]++;
            LockSupport.unpark(timer);
            rounds[3]++;
            LockSupport.parkNanos(50_000);
        }
    }
}
