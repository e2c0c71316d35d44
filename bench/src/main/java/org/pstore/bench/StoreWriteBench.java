package org.pstore.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
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
import org.openjdk.jmh.annotations.Threads;
import org.pstore.boot.Boot;
import org.pstore.core.StoreSpace;
import org.pstore.frontend.Pmsg;

/**
 * Item 1, store write on the normal path: a pmsg record (128 B or 4 KiB) persisted through the interruptible
 * worker, through the legacy ops, and — the anchor — the same bytes appended by a raw Chronicle Queue
 * appender. Throughput and the caller's latency percentiles; and four caller threads at once through each ops
 * table, their aggregate throughput (the worker stores what they queue meanwhile as one group).
 *
 * <p>The pstore stores run as an application's would: the pmsg budget is bounded, so once it is full every
 * write also erases the oldest pmsg, and the log compacts when it reaches its capacity. The raw queue only
 * appends; it gets a fresh directory every iteration so that the disk does not fill up.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreWriteBench {
    /** Store capacity and pmsg budget: the default 8m/1m scaled up, same proportions. */
    static final long CAPACITY = 256L << 20;
    static final long PMSG_BYTES = 32L << 20;

    @State(Scope.Thread)
    public static class Message {
        @Param({"128", "4096"})
        public int size;
        byte[] bytes;

        @Setup(Level.Trial)
        public void make() {
            bytes = Stores.text(size, size);
        }
    }

    /** A pstore store with the ops mode fixed by the subclass. */
    public abstract static class PstoreStore {
        Path parent;
        Boot.Booted booted;
        Pmsg pmsg;

        abstract org.pstore.core.Mode mode();

        @Setup(Level.Trial)
        public void open(Message m) {
            parent = Temp.dir("write");
            booted = Stores.open(parent, b -> b.mode(mode()).capacity(CAPACITY).pmsgBytes(PMSG_BYTES));
            pmsg = booted.pmsg();
            // The budget filled once, untimed: what is measured is the steady state of a service that has run a
            // while (retention erasing, the index at its full size). Filling it inside the measurement put the
            // index's last growth (tens of MiB of new table) in whichever iteration reached it.
            for (long written = 0; written < PMSG_BYTES * 2; written += m.bytes.length) {
                pmsg.write(m.bytes, 0, m.bytes.length);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            StoreSpace space = new StoreSpace();
            booted.services().query(space);
            long[] groups = booted.services().workerGroups();
            Notes.put("write." + mode().word() + ".store", "log " + Report.bytes(space.used()) + ", live " + Report.bytes(space.live()) + ", "
                    + booted.services().health().compactions() + " compactions, ops " + booted.services().modeInForce()
                    + (groups[0] > 0 ? String.format(java.util.Locale.ROOT, "; the worker ran %d requests in %d wake-ups (%.2f per group)",
                    groups[1], groups[0], (double) groups[1] / groups[0]) : ""));
            Stores.close(booted);
            Temp.delete(parent);
        }
    }

    @State(Scope.Benchmark)
    public static class WorkerStore extends PstoreStore {
        @Override
        org.pstore.core.Mode mode() {
            return org.pstore.core.Mode.INTERRUPTIBLE;
        }
    }

    @State(Scope.Benchmark)
    public static class LegacyStore extends PstoreStore {
        @Override
        org.pstore.core.Mode mode() {
            return org.pstore.core.Mode.LEGACY;
        }
    }

    /** The anchor: Chronicle Queue as it comes, one appender. */
    @State(Scope.Thread)
    public static class RawQueue {
        Path dir;
        ChronicleQueue queue;
        ExcerptAppender appender;

        @Setup(Level.Iteration)
        public void open() {
            dir = Temp.dir("raw");
            queue = ChronicleQueue.singleBuilder(dir).build();
            appender = queue.createAppender();
        }

        @TearDown(Level.Iteration)
        public void close() {
            appender.close();
            queue.close();
            Temp.delete(dir);
        }
    }

    @Benchmark
    public long pmsgWorker(WorkerStore store, Message m) {
        return store.pmsg.write(m.bytes, 0, m.bytes.length);
    }

    @Benchmark
    public long pmsgLegacy(LegacyStore store, Message m) {
        return store.pmsg.write(m.bytes, 0, m.bytes.length);
    }

    /** Four callers at once: the worker's group commit against four threads taking the store lock in turn. */
    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    public long pmsgWorker4(WorkerStore store, Message m) {
        return store.pmsg.write(m.bytes, 0, m.bytes.length);
    }

    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    public long pmsgLegacy4(LegacyStore store, Message m) {
        return store.pmsg.write(m.bytes, 0, m.bytes.length);
    }

    @Benchmark
    public long chronicleRaw(RawQueue q, Message m) {
        try (DocumentContext dc = q.appender.writingDocument()) {
            dc.wire().bytes().write(m.bytes);
        }
        return q.appender.lastIndexAppended();
    }
}
