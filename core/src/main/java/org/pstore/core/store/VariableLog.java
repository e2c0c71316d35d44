package org.pstore.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.pstore.core.Durability;
import org.pstore.core.FaultInjection;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.VariableBuffer;

/**
 * The Chronicle Queue underneath the variable store: raw entries appended to memory-mapped cycle files,
 * one cycle per generation (see {@link LogicalClock}). Not thread-safe: the store lock serialises callers,
 * which may be different threads over time, so Chronicle's single-thread checks are switched off.
 */
final class VariableLog implements AutoCloseable {
    private final Path dir;
    private final SingleChronicleQueue queue;
    private final LogicalClock clock;
    private final ExcerptAppender appender;
    private final IndexHolders holders = new IndexHolders();
    private final ExcerptTailer reader;
    private final Durability durability;
    /** The index of the last entry this log appended, or {@link Long#MIN_VALUE} before the first. */
    private long lastIndex = Long.MIN_VALUE;

    private VariableLog(Path dir, SingleChronicleQueue queue, LogicalClock clock, ExcerptAppender appender, Durability durability) {
        this.dir = dir;
        this.queue = queue;
        this.clock = clock;
        this.appender = appender;
        this.durability = durability;
        this.reader = queue.createTailer();
        this.reader.singleThreadedCheckDisabled(true);
    }

    /**
     * Opens the log for writing. One chunk of {@code blockSize} bytes covers a whole generation, so appends
     * never map a new chunk (which would allocate) while the generation stays within capacity.
     */
    static VariableLog openWritable(Path dir, long blockSize, Durability durability) {
        ChronicleRuntime.ensure();
        LogicalClock clock = new LogicalClock();
        SingleChronicleQueue queue = LogFiles.builder(dir, blockSize).timeProvider(clock).readOnly(false)
                .syncMode(LogFiles.syncMode(durability)).build();
        try {
            clock.generation(Math.max(0, queue.lastCycle()));
            ExcerptAppender appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
            StoreFiles.restrictContents(dir);
            return new VariableLog(dir, queue, clock, appender, durability);
        } catch (RuntimeException | Error e) {
            queue.close();
            throw e;
        }
    }

    /**
     * Appends one entry and returns its index. {@code faults} runs inside the open entry; if anything throws,
     * the entry is rolled back and nothing of it is kept.
     */
    long append(byte[] entry, int length, FaultInjection faults, Namespace ns, CharSequence name) throws IOException {
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                faults.onWrite(FaultInjection.Phase.INSIDE_APPEND, ns, name);
                dc.wire().bytes().write(entry, 0, length);
            } catch (IOException | RuntimeException | Error e) {
                dc.rollbackOnClose();
                throw e;
            }
        }
        if (durability == Durability.POWER) {
            appender.sync(); // msync(MS_SYNC) of what was written since the last sync: on the device before the ack
        }
        lastIndex = appender.lastIndexAppended();
        return lastIndex;
    }

    /**
     * After a normal write (never at crash time: a thread's first look at Chronicle's per-thread holders may
     * allocate): keeps the writing thread's index holders reachable ({@link IndexHolders}).
     */
    void pinIndexHolders() {
        holders.pin(appender);
    }

    /** Waits until everything appended is on the device (msync), whatever the durability setting. */
    void sync() {
        appender.sync();
    }

    /**
     * How many appends can follow before one lands on a position Chronicle indexes (every
     * {@link #INDEX_SPACING}th entry of a generation, the first included): 0 when the next one does. An
     * indexed append looks up per-thread index holders, which it creates (allocating) on a thread that has
     * none, or after a collection cleared them.
     */
    int appendsBeforeIndexed() {
        if (lastIndex == Long.MIN_VALUE || LogFiles.ROLL_CYCLE.toCycle(lastIndex) != clock.generation()) {
            return 0; // the generation's first entry is indexed
        }
        long next = LogFiles.ROLL_CYCLE.toSequenceNumber(lastIndex) + 1;
        return (int) ((INDEX_SPACING - (next & (INDEX_SPACING - 1))) & (INDEX_SPACING - 1));
    }

    /** Chronicle indexes every this many entries (the roll cycle's spacing). */
    static final int INDEX_SPACING = LogFiles.ROLL_CYCLE.defaultIndexSpacing();

    /**
     * Reads the entry at {@code index} into {@code scratch[0]}, growing it if needed (never, for entries the
     * store itself wrote into a buffer sized for the largest). Returns its size, or -1 if absent.
     */
    int read(long index, byte[][] scratch) {
        if (!reader.moveToIndex(index)) {
            return -1;
        }
        try (DocumentContext dc = reader.readingDocument()) {
            return dc.isPresent() ? Documents.copy(dc, scratch) : -1;
        }
    }

    /**
     * Reads the set entry at {@code location} and copies its data and attributes into {@code out}: OK, or
     * DEVICE_ERROR when the entry is gone or fails validation.
     */
    Status readVariable(long location, byte[][] scratch, CRC32C crc, VariableBuffer out) {
        int size = read(location, scratch);
        byte[] buf = scratch[0];
        if (size < 0 || EntryFormat.validate(buf, size, crc) != EntryFormat.SET) {
            return Status.DEVICE_ERROR;
        }
        int length = EntryFormat.dataLength(buf);
        System.arraycopy(buf, EntryFormat.dataOffset(buf), out.prepare(length, length, EntryFormat.attributes(buf)), 0, length);
        return Status.OK;
    }

    /** A sequential reader over every entry from the first generation on. */
    Cursor cursor() {
        ExcerptTailer tailer = queue.createTailer();
        tailer.toStart();
        return new Cursor(tailer);
    }

    /** A sequential reader from the entry at {@code index} on (from the start if it is gone). */
    Cursor cursor(long index) {
        ExcerptTailer tailer = queue.createTailer();
        if (!tailer.moveToIndex(index)) {
            tailer.toStart();
        }
        return new Cursor(tailer);
    }

    int generation() {
        return clock.generation();
    }

    /**
     * Where Chronicle will write next in {@code generation}: the header of its last complete entry. Past the
     * last entry a reader can reach, the file lost data in between (truncated or overwritten).
     */
    long writePosition(int generation) {
        var store = queue.storeForCycle(generation, queue.epoch(), false, null);
        if (store == null) {
            return -1;
        }
        try {
            return store.writePosition();
        } finally {
            queue.closeStore(store);
        }
    }

    /** How many entries the log holds, dead ones included (Chronicle's own count, cheap). */
    long entryCount() {
        return queue.entryCount();
    }

    int firstCycle() {
        return queue.firstCycle();
    }

    int lastCycle() {
        return queue.lastCycle();
    }

    /** Later appends go to a new generation's file. */
    void roll(int generation) {
        clock.generation(generation);
    }

    /** Deletes the file of one generation; the caller made sure nothing in it is still needed. */
    void deleteGeneration(int generation) throws IOException {
        Files.deleteIfExists(LogFiles.cycleFile(dir, generation));
        queue.refreshDirectoryListing();
    }

    /** Restricts files created since the last call (a roll creates one) to the owner. */
    void restrictFiles() {
        StoreFiles.restrictContents(dir);
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
        }
        reader.close();
        queue.close();
    }

    /** Reads entries in log order; one instance per pass, closed when done. */
    static final class Cursor implements Replay.Source {
        private final ExcerptTailer tailer;
        private long index;
        private int cycle;
        private long headerPosition;

        private Cursor(ExcerptTailer tailer) {
            this.tailer = tailer;
        }

        @Override
        public int next(byte[][] scratch) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return -1;
                }
                index = dc.index();
                cycle = tailer.cycle();
                headerPosition = dc.wire().bytes().readPosition() - 4;
                return Documents.copy(dc, scratch);
            }
        }

        /** The entry's Chronicle index. */
        @Override
        public long location() {
            return index;
        }

        @Override
        public int generation() {
            return cycle;
        }

        @Override
        public long headerPosition() {
            return headerPosition;
        }

        @Override
        public void close() {
            tailer.close();
        }
    }
}
