package org.pstore.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.pstore.backend.PanicArea;
import org.pstore.boot.Boot;
import org.pstore.capture.CaptureRing;
import org.pstore.core.StoreSpace;
import org.pstore.panic.DumpReason;
import org.pstore.panic.PanicAction;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.Priority;

/**
 * Item 3, the panic dump:
 * <ul>
 * <li>{@link #panic}: one {@code PanicMachine.panic} on a freshly armed machine wired as boot wires it (the
 *     ops switch first, pstore's dmesg dumper, the capture ring as console), a 64 KiB log tail in the ring and
 *     50 or 200 live threads; timed from the call to its return, which comes after the crash record is
 *     written (action CONTINUE; the echo to System.err goes to a null stream). Single shots: a machine
 *     panics once.</li>
 * <li>{@link #threadDump}: the thread dump's own cost, the same {@code dumpAllThreads} call the report makes,
 *     with the same threads.</li>
 * <li>{@link #writePath}: the dumper alone, {@code dump(PANIC, now)}: ring tail, compression, frames, the
 *     crash-time write. Its {@code gc.alloc.rate.norm} is the 0-byte claim.</li>
 * <li>{@link #floor}: the physical floor, copying the dump's text size (kmsgBytes, 64 KiB) into a
 *     MappedByteBuffer.</li>
 * </ul>
 */
public class PanicDumpBench {
    static final int KMSG_BYTES = 64 << 10;
    /** Throw-away variables whose index room the crash-time writes reuse (see {@link CrashHeadroom}). */
    static final int FILLERS = Integer.getInteger("pstore.bench.fillers", 400_000);
    /** Frames per thread in the dump, as the panic report asks for. */
    static final int MAX_FRAMES = 24;

    /** A store as boot makes it, with room for thousands of crash records, its ring holding a 64 KiB log tail. */
    @State(Scope.Benchmark)
    public static class CrashStore {
        Path parent;
        Boot.Booted booted;
        private PrintStream err;
        private volatile BenchmarkParams params;
        /** The dumping thread's own allocation, per iteration: what invariant 5 is about. */
        long threadBytes;
        long dumps;
        long dumpsThatAllocated;
        long largest;
        private volatile String lastIteration = "";

        @Setup(Level.Iteration)
        public void resetCounters() {
            threadBytes = 0;
            dumps = 0;
            dumpsThatAllocated = 0;
            largest = 0;
        }

        @TearDown(Level.Iteration)
        public void keepCounters() {
            if (dumps > 0) {
                lastIteration = threadBytes + " " + dumps + " " + dumpsThatAllocated + " " + largest;
            }
        }

        @Setup(Level.Trial)
        public void open() {
            parent = Temp.dir("panic");
            booted = Stores.open(parent, b -> b.mode(org.pstore.core.Mode.INTERRUPTIBLE).capacity(1L << 30).reserve(4L << 20)
                    .kmsgBytes(KMSG_BYTES));
            Notes.put("panic.headroom", CrashHeadroom.prepare(booted.services().legacyOps(), FILLERS));
            fillRing(booted.ring(), KMSG_BYTES);
            booted.dumper().rehearse();
            err = System.err;
            System.setErr(new PrintStream(OutputStream.nullOutputStream())); // the panic echo of every shot
            Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "bench-cleanup"));
        }

        /**
         * Only what allocates nothing: the trial tear-down runs inside the last measured iteration, where the GC
         * profiler would count it against the write path. The store is checked, closed and deleted at exit.
         */
        @TearDown(Level.Trial)
        public void close(BenchmarkParams params) {
            System.setErr(err);
            this.params = params;
        }

        private void cleanUp() {
            String key = "panic." + (params == null ? "" : Bench.method(params) + Bench.paramSuffix(params)) + ".store";
            StoreSpace space = new StoreSpace();
            booted.services().legacyOps().query(space);
            String used = Report.bytes(space.used()) + " of the log used, " + space.variables() + " variables";
            int[] inArea = {0};
            java.util.List<String> problems = new java.util.ArrayList<>();
            PanicArea.read(booted.config().dir(), stored -> inArea[0]++, problems::add);
            Notes.put(key, used + "; " + inArea[0] + " records in the panic area (0 expected: every part fits in the store)"
                    + (problems.isEmpty() ? "" : "; " + String.join("; ", problems)));
            if (!lastIteration.isEmpty()) {
                Notes.put("internal.panic.writePath.thread", lastIteration);
            }
            Stores.close(booted);
            Temp.delete(parent);
        }
    }

    /** Log lines of ~100 bytes until {@code bytes} are in the ring. */
    static void fillRing(CaptureRing ring, int bytes) {
        StringBuilder line = new StringBuilder(128);
        for (int n = 0, written = 0; written < bytes; n++) {
            line.setLength(0);
            line.append("INFO org.shop.Orders: order ").append(100_000 + n).append(" accepted for customer ")
                    .append(n % 97).append(", ").append(n % 7 + 1).append(" items, total ").append(n % 1000).append(".95 EUR");
            ring.println(line);
            written += line.length() + 16;
        }
    }

    /** Live threads parked a few frames deep, as an application's would be. */
    @State(Scope.Benchmark)
    public static class LiveThreads {
        @Param({"50", "200"})
        public int threads;
        private final List<Thread> started = new ArrayList<>();
        private volatile boolean stop;

        @Setup(Level.Trial)
        public void start() throws InterruptedException {
            CountDownLatch parked = new CountDownLatch(threads);
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> deep(16, parked), "bench-live-" + i);
                t.setDaemon(true);
                t.start();
                started.add(t);
            }
            parked.await();
        }

        private void deep(int depth, CountDownLatch parked) {
            if (depth > 0) {
                deep(depth - 1, parked);
                return;
            }
            parked.countDown();
            while (!stop) {
                LockSupport.park(this);
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            for (Thread t : started) {
                LockSupport.unpark(t);
            }
            for (Thread t : started) {
                t.join(1000);
            }
        }
    }

    /** A machine armed for one panic, as {@code Boot.arm} wires it; made before each shot, untimed. */
    @State(Scope.Thread)
    public static class Armed {
        PanicMachine machine;
        final Throwable cause = new IllegalStateException("benchmark panic cause");

        @Setup(Level.Invocation)
        public void arm(CrashStore store) {
            Boot.Booted b = store.booted;
            PanicMachine m = new PanicMachine(b.config().panic().toBuilder().action(PanicAction.CONTINUE).build());
            m.registerNotifier("pstore-ops-switch", Priority.SWITCH, e -> b.services().switchToLegacy(org.pstore.core.ops.RuntimeServices.SWITCHED_AT_PANIC));
            m.registerDumper("pstore-dmesg", DumpReason.OOPS, b.dumper());
            m.console(b.ring());
            m.arm();
            fillRing(b.ring(), KMSG_BYTES); // the previous shot's report out of the tail
            machine = m;
        }

        @TearDown(Level.Invocation)
        public void check() {
            if (!machine.finished()) {
                throw new IllegalStateException("the panic did not finish");
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Floor {
        Path dir;
        FileChannel channel;
        MappedByteBuffer buffer;
        byte[] bytes;

        @Setup(Level.Trial)
        public void map() throws IOException {
            dir = Temp.dir("floor");
            channel = FileChannel.open(dir.resolve("floor"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, KMSG_BYTES);
            bytes = Stores.text(KMSG_BYTES, 7);
            buffer.put(bytes); // pages faulted in, as the store's pre-touched chunks are
        }

        @TearDown(Level.Trial)
        public void unmap() throws IOException {
            channel.close();
            Temp.delete(dir);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean panic(Armed armed, LiveThreads threads) {
        armed.machine.panic("benchmark panic", armed.cause);
        return armed.machine.finished();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ThreadInfo[] threadDump(LiveThreads threads) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported(), MAX_FRAMES);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long writePath(CrashStore store) {
        long before = THREAD_BYTES.getCurrentThreadAllocatedBytes();
        store.booted.dumper().dump(DumpReason.PANIC, System.currentTimeMillis());
        long bytes = THREAD_BYTES.getCurrentThreadAllocatedBytes() - before;
        store.threadBytes += bytes;
        store.dumps++;
        if (bytes > 0) {
            store.dumpsThatAllocated++;
            store.largest = Math.max(store.largest, bytes);
        }
        return store.booted.dumper().lastDumpParts();
    }

    /** HotSpot's per-thread allocation counter: the dumping thread alone, without JMH's or other threads' bytes. */
    private static final com.sun.management.ThreadMXBean THREAD_BYTES =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int floor(Floor f) {
        f.buffer.clear();
        f.buffer.put(f.bytes, 0, KMSG_BYTES);
        return f.buffer.position();
    }
}
