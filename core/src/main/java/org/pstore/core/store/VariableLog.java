package org.pstore.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
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
    /**
     * Chronicle's own documents beside ours, within a generation: its store header, its index2index and an
     * index array (32 KiB each, written inline when an append needs one), with room to spare.
     */
    static final long MARGIN = 256 << 10;
    /** What a crash-time append may need of Chronicle's beside its own entry: one index array. */
    private static final long CRASH_MARGIN = 64 << 10;
    /** Real blocks under what this log writes next ({@link Reservation}): the generation's file. */
    private Reservation reservation = new Reservation();
    /** The next generation's, while it is being made; swapped in by a roll. */
    private Reservation spare = new Reservation();
    /** Where the documents of the current generation end (the next one begins about there). */
    private long end;
    /** The generation the reservation is for; -1 before the first. */
    private int reserved = -1;
    /** A normal append keeps this much backed past its end: the crash-time writes' share, and Chronicle's. */
    private final long headroom;
    /** A reservation grows by at least this much at a time. */
    private final long step;

    private VariableLog(Path dir, SingleChronicleQueue queue, LogicalClock clock, ExcerptAppender appender, Durability durability,
                        long headroom, long blockSize) {
        this.dir = dir;
        this.queue = queue;
        this.clock = clock;
        this.appender = appender;
        this.durability = durability;
        this.headroom = 2 * headroom + MARGIN; // the reserve counts entries; the file holds their headers and pads too
        this.step = Math.max(64 << 10, blockSize / 32); // an eighth of the capacity or so: the block is about 4 capacities
        this.reader = queue.createTailer();
        this.reader.singleThreadedCheckDisabled(true);
    }

    /**
     * Opens the log for writing. One chunk of {@code blockSize} bytes covers a whole generation, so appends
     * never map a new chunk (which would allocate) while the generation stays within capacity.
     */
    static VariableLog openWritable(Path dir, long blockSize, Durability durability) {
        return openWritable(dir, blockSize, durability, 0);
    }

    /**
     * As above, with {@code headroom}: how much crash-time writes may append past the last normal write (the
     * store's reserve), kept backed by real blocks ({@link Reservation}) by every normal append. On a full
     * filesystem the log still opens: its normal appends are refused ({@link Reservation.NoRoomException})
     * until there is room, and crash-time appends past what is backed too.
     */
    static VariableLog openWritable(Path dir, long blockSize, Durability durability, long headroom) {
        ChronicleRuntime.ensure();
        LogicalClock clock = new LogicalClock();
        SingleChronicleQueue queue = LogFiles.builder(dir, blockSize).timeProvider(clock).readOnly(false)
                .syncMode(LogFiles.syncMode(durability)).build();
        try {
            clock.generation(Math.max(0, queue.lastCycle()));
            ExcerptAppender appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
            StoreFiles.restrictContents(dir);
            return new VariableLog(dir, queue, clock, appender, durability, headroom, blockSize); // backed at its first append
        } catch (RuntimeException | Error e) {
            queue.close();
            throw e;
        }
    }

    /**
     * Appends one entry and returns its index: the normal append, which first backs what it and the
     * crash-time writes after it need ({@link Reservation}; {@link Reservation.NoRoomException} when the
     * filesystem is full, nothing written). {@code faults} runs inside the open entry; if anything throws,
     * the entry is rolled back and nothing of it is kept.
     */
    long append(byte[] entry, int length, FaultInjection faults, Namespace ns, CharSequence name) throws IOException {
        return append(entry, length - EntryFormat.TRAILER, null, 0, 0, faults, ns, name);
    }

    /**
     * As above, for an entry in parts ({@link EntryFormat#encodeHead}): {@code head[0, headLength)}, then
     * {@code data[offset, offset + length)}, then the trailer at {@code head[headLength]}, each written straight
     * into the log's document.
     */
    long append(byte[] head, int headLength, byte[] data, int offset, int length, FaultInjection faults, Namespace ns,
                CharSequence name) throws IOException {
        if (reserved != clock.generation()) {
            reserveFor(clock.generation(), 0); // a generation Chronicle has not begun: its file made and backed here
        }
        long need = end + headLength + length + EntryFormat.TRAILER + headroom;
        if (need > reservation.reservedTo()) {
            reservation.reserve(need + step);
        }
        return write(head, headLength, data, offset, length, faults, ns, name);
    }

    /**
     * A delete's append: as {@link #append}, and when the filesystem has no room for the headroom, within
     * what is already backed (a delete is how space comes back, so it must not need more).
     */
    long appendDelete(byte[] entry, int length, FaultInjection faults, Namespace ns, CharSequence name) throws IOException {
        try {
            return append(entry, length, faults, ns, name);
        } catch (Reservation.NoRoomException e) {
            return appendAtCrash(entry, length, faults, ns, name);
        }
    }

    /**
     * The crash-time append: never waits for the filesystem and allocates nothing; refused (a preallocated
     * {@link Reservation.NoRoomException}) when the entry would reach past what normal appends backed.
     */
    long appendAtCrash(byte[] entry, int length, FaultInjection faults, Namespace ns, CharSequence name) throws IOException {
        return appendAtCrash(entry, length - EntryFormat.TRAILER, null, 0, 0, faults, ns, name);
    }

    /** The crash-time append of an entry in parts (see {@link #append(byte[], int, byte[], int, int, FaultInjection, Namespace, CharSequence)}). */
    long appendAtCrash(byte[] head, int headLength, byte[] data, int offset, int length, FaultInjection faults, Namespace ns,
                       CharSequence name) throws IOException {
        if (reserved != clock.generation() || end + headLength + length + EntryFormat.TRAILER + CRASH_MARGIN > reservation.reservedTo()) {
            throw Reservation.noRoom();
        }
        return write(head, headLength, data, offset, length, faults, ns, name);
    }

    private long write(byte[] head, int headLength, byte[] data, int offset, int length, FaultInjection faults, Namespace ns,
                       CharSequence name) throws IOException {
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                faults.onWrite(FaultInjection.Phase.INSIDE_APPEND, ns, name);
                Bytes<?> bytes = dc.wire().bytes();
                bytes.write(head, 0, headLength);
                if (length > 0) {
                    bytes.write(data, offset, length);
                }
                bytes.write(head, headLength, EntryFormat.TRAILER);
                end = bytes.writePosition();
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
     * Backs {@code generation}'s file: past its documents when Chronicle has begun it, else from its start
     * (the file made here, so that Chronicle never creates it sparse), {@code expected} bytes and the
     * headroom. Nothing changes when that fails.
     */
    private void reserveFor(int generation, long expected) throws Reservation.NoRoomException {
        Path file = LogFiles.cycleFile(dir, generation);
        boolean existed = Files.exists(file);
        long written = CycleFile.documentsEnd(file);
        spare.start(file, written);
        try {
            spare.reserve(written + expected + headroom + step);
        } catch (Reservation.NoRoomException e) {
            spare.close();
            if (!existed) {
                LogFiles.delete(file); // only zeros of ours: not a generation
            }
            throw e;
        }
        Reservation done = reservation;
        reservation = spare;
        spare = done;
        spare.close();
        end = written;
        reserved = generation;
    }

    /** Where the current generation's documents end, as this log knows it (tests). */
    long end() {
        return end;
    }

    /** How far the current generation's file is backed by real blocks (tests). */
    long backedTo() {
        return reservation.reservedTo();
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

    /**
     * Later appends go to a new generation's file, made and backed for {@code expected} bytes first (a
     * compaction's snapshot): {@link Reservation.NoRoomException}, and no roll, when the filesystem has no room.
     */
    void roll(int generation, long expected) throws Reservation.NoRoomException {
        reserveFor(generation, expected);
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
        reservation.close();
        spare.close();
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
