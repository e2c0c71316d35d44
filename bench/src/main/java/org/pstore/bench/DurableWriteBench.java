package org.pstore.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pstore.boot.Boot;
import org.pstore.core.Durability;
import org.pstore.frontend.Pmsg;

/**
 * Item 1b, the price of {@code pstore.durability=power}: a 128 B pmsg acknowledged only once it is on the
 * device (msync(MS_SYNC) of what was written), beside the floors of the same file system in the same run:
 * 128 B written to a file and fdatasync'd, and 128 B stored into a mapped page and msync'd (MS_SYNC). And the
 * same pmsg with the default durability, for the ratio. Latency per write, one caller thread, legacy ops.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DurableWriteBench {
    static final int SIZE = 128;

    @State(Scope.Thread)
    public static class Message {
        final byte[] bytes = Stores.text(SIZE, SIZE);
    }

    /** A store on the legacy ops with the durability the subclass says. */
    public abstract static class DurableStore {
        Path parent;
        Boot.Booted booted;
        Pmsg pmsg;

        abstract Durability durability();

        @Setup(Level.Trial)
        public void open() {
            parent = Temp.dir("durable");
            booted = Stores.open(parent, b -> b.mode(org.pstore.core.Mode.LEGACY).durability(durability()));
            pmsg = booted.pmsg();
        }

        @TearDown(Level.Trial)
        public void close() {
            Stores.close(booted);
            Temp.delete(parent);
        }
    }

    @State(Scope.Benchmark)
    public static class PowerStore extends DurableStore {
        @Override
        Durability durability() {
            return Durability.POWER;
        }
    }

    @State(Scope.Benchmark)
    public static class ProcessStore extends DurableStore {
        @Override
        Durability durability() {
            return Durability.PROCESS;
        }
    }

    /** The floors: a plain file and a mapped page beside the store's, on the same file system. */
    @State(Scope.Thread)
    public static class Floors {
        Path dir;
        FileChannel file;
        FileChannel mappedFile;
        MappedByteBuffer page;
        final ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
        long at;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Temp.dir("floor");
            file = FileChannel.open(dir.resolve("write"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            mappedFile = FileChannel.open(dir.resolve("mapped"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            page = mappedFile.map(FileChannel.MapMode.READ_WRITE, 0, 1 << 20);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            file.close();
            mappedFile.close();
            Temp.delete(dir);
        }
    }

    @Benchmark
    public long pmsgPower(PowerStore store, Message m) {
        return store.pmsg.write(m.bytes, 0, m.bytes.length);
    }

    @Benchmark
    public long pmsgProcess(ProcessStore store, Message m) {
        return store.pmsg.write(m.bytes, 0, m.bytes.length);
    }

    /** 128 B written and fdatasync'd: what any durable write on this file system costs at least. */
    @Benchmark
    public int fdatasyncFloor(Floors f, Message m) throws IOException {
        f.buf.clear();
        f.buf.put(m.bytes).flip();
        int n = f.file.write(f.buf, f.at);
        f.at = (f.at + SIZE) % (64 << 20);
        f.file.force(false);
        return n;
    }

    /** 128 B stored into a mapped page and msync'd with MS_SYNC: the floor of pstore's own way. */
    @Benchmark
    public int msyncFloor(Floors f, Message m) {
        int at = (int) (f.at % ((1 << 20) - SIZE));
        f.page.put(at, m.bytes);
        f.page.force(at, SIZE);
        f.at += SIZE;
        return at;
    }
}
