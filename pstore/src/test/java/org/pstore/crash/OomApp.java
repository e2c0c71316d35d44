package org.pstore.crash;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.core.FaultInjection;
import org.pstore.core.Mode;
import org.pstore.panic.ExhaustionHook;
import org.pstore.panic.PanicMachine;

/**
 * An application that dies of an exhausted heap, for {@link OomIT}. Main logs numbered ticks through
 * java.util.logging and, after each one that went in before any panic started, writes its number into a
 * memory-mapped file (no allocation, and the page cache keeps it when the process dies): the last line
 * logged before the error, for the parent to look for in the crash record.
 *
 * <p>Args: store dir, progress file, seed, who fills the heap: {@code app:<threads>} (that many threads
 * allocate objects of sizes drawn from the seed and keep them, and let the error go uncaught), or one of
 * pstore's own threads ({@code pstore-watchdog}, {@code pstore-journal}, {@code pstore-panic-timer}: the
 * test hook makes that thread fill the heap itself; {@code pstore-worker}: a store write on the worker
 * does; main then waits for the panic to start before it logs on, so that the error lands on that thread).
 */
public final class OomApp {
    static final Logger LOG = Logger.getLogger("oom.app");
    /** What the fillers keep: reachable to the end, so that the heap stays full. */
    static final List<Object> KEPT = new ArrayList<>();
    static volatile boolean workerFills;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        MappedByteBuffer progress = map(Path.of(args[1]));
        Random random = new Random(Long.parseLong(args[2]));
        String filler = args[3];
        boolean onWorker = filler.equals("pstore-worker");
        Pstore.boot(PstoreConfig.builder().dir(dir).mode(onWorker ? Mode.INTERRUPTIBLE : Mode.AUTO)
                .faultInjection(OomApp::fillOnWorker)
                .panic(p -> p.timeout(java.time.Duration.ofSeconds(30)).watchdogInterval(java.time.Duration.ofMillis(100)))
                .build());
        PanicMachine machine = Pstore.current().orElseThrow().panicMachine();
        long n = 0;
        for (; n < 300; n++) {
            tick(machine, progress, n);
        }
        if (filler.startsWith("app:")) {
            int threads = Integer.parseInt(filler.substring(4));
            for (int t = 0; t < threads; t++) {
                long seed = random.nextLong();
                Thread f = new Thread(() -> fill(new Random(seed)), "filler-" + t);
                f.start();
            }
        } else if (onWorker) {
            workerFills = true;
            Thread w = new Thread(() -> Pstore.pmsg("a write the worker runs out of heap in"), "app-writer");
            w.start();
        } else {
            ExhaustionHook.exhaust(filler);
        }
        if (!filler.startsWith("app:")) {
            // main holds still until that thread's error started the panic: the error is to land there, not
            // on main's next log line; main logs on while the panic runs
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!machine.panicking() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        for (;; n++) {
            tick(machine, progress, n);
            if ((n & 63) == 0) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    private static void tick(PanicMachine machine, MappedByteBuffer progress, long n) {
        LOG.info("tick " + n);
        if (!machine.panicking()) {
            progress.putLong(0, n);
        }
    }

    /** Objects of a size class drawn once per thread (small, medium or large), kept until the heap is full. */
    private static void fill(Random random) {
        int kind = random.nextInt(3);
        int min = kind == 0 ? 16 : kind == 1 ? 1024 : 256 << 10;
        int max = kind == 0 ? 512 : kind == 1 ? 64 << 10 : 1 << 20;
        for (;;) {
            byte[] b = new byte[min + random.nextInt(max - min)];
            synchronized (KEPT) {
                KEPT.add(b);
            }
        }
    }

    private static void fillOnWorker(FaultInjection.Phase phase, org.pstore.core.Namespace ns, CharSequence name) {
        if (workerFills && phase == FaultInjection.Phase.BEFORE_APPEND
                && Thread.currentThread().getName().equals("pstore-worker")) {
            workerFills = false;
            fill(new Random(1));
        }
    }

    private static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8);
            m.putLong(0, -1);
            return m;
        }
    }
}
