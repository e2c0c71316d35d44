package org.pstore.core.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.WriteAfterEOFException;
import org.pstore.core.Durability;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.store.ChronicleRuntime;
import org.pstore.core.store.CycleFile;
import org.pstore.core.store.CycleFiles;
import org.pstore.core.store.Healing;
import org.pstore.core.store.IndexHolders;
import org.pstore.core.store.LogCheck;
import org.pstore.core.store.LogFiles;
import org.pstore.core.store.LogicalClock;
import org.pstore.core.store.ProcessLock;
import org.pstore.core.store.Quarantine;
import org.pstore.core.store.Reservation;
import org.pstore.core.store.StoreFiles;

/**
 * An append-only journal of opaque entries on a Chronicle Queue, bounded in size: it is cut into segments
 * (one cycle file each, rolled by a {@link LogicalClock}) and the oldest segments are deleted once the whole
 * exceeds its bound, so the newest entries are kept. Entries are in the page cache as soon as they are
 * appended: they survive the process being killed. One writer process at a time ({@code journal.lock}; its
 * callers serialise appends); readers open it read-only and read the segment files directly.
 */
public final class Journal implements AutoCloseable {
    private static final int SEGMENTS = 4;
    /** A crash loop starts a segment per run: the count is bounded as well as the bytes. */
    private static final int MAX_SEGMENTS = 16;
    private static final String LOCK_FILE = "journal.lock";
    private static final String ORIGIN = "console";

    private final Path dir;
    private final SingleChronicleQueue queue;
    private final LogicalClock clock;
    private final ExcerptAppender appender;
    private final IndexHolders holders;
    private final Durability durability;
    private final long segmentBytes;
    /** The finished segments and their sizes; the one being written is counted in {@link #currentBytes}. */
    private final TreeMap<Integer, Long> segments;
    /** Bytes in the segment being written: a primitive, so that an append allocates nothing. */
    private long currentBytes;
    /** Chronicle's own documents in a segment (its header, index2index, an index array), with room to spare. */
    private static final long MARGIN = 128 << 10;
    /** Real blocks under what the journal writes next: the current segment's file. */
    private final Reservation reservation = new Reservation();
    /** The segment the reservation is for; -1 before the first. */
    private int reserved = -1;
    /** Where the documents of the current segment end. */
    private long end;
    private final ProcessLock lock;
    private final Healing healing;

    private Journal(Path dir, SingleChronicleQueue queue, LogicalClock clock, long maxBytes, Durability durability,
                    TreeMap<Integer, Long> segments, ProcessLock lock, Healing healing) {
        this.dir = dir;
        this.lock = lock;
        this.healing = healing;
        this.queue = queue;
        this.clock = clock;
        this.durability = durability;
        this.segmentBytes = Math.max(4096, maxBytes / SEGMENTS);
        this.segments = segments;
        this.appender = queue.createAppender();
        this.holders = new IndexHolders();
        this.appender.singleThreadedCheckDisabled(true); // callers serialise appends; the thread may change
    }

    /**
     * Opens (creating) the journal in {@code dir} for its single writer, bounded by about {@code maxBytes}. The
     * files are checked first, in bounded time ({@link LogCheck}): a segment or metadata file that does not
     * validate is moved into the store's {@link Quarantine} (see {@link #healing()}) and the journal goes on
     * without it. Refused (BUSY) while another writer has it open.
     */
    public static Journal openWritable(Path dir, long maxBytes, Durability durability) {
        ChronicleRuntime.ensure();
        StoreFiles.createDirectory(dir);
        ProcessLock lock = ProcessLock.acquire(dir, LOCK_FILE);
        try {
            return open(dir, maxBytes, durability, lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static Journal open(Path dir, long maxBytes, Durability durability, ProcessLock lock) {
        LogCheck check = new LogCheck(dir, Quarantine.beside(dir), ORIGIN);
        for (LogCheck.Damage d : check.run()) {
            check.moveAside(d.file(), d.why()); // console lines: the reader reads what is good in it, there
        }
        TreeMap<Integer, Long> segments = measure(dir);
        LogicalClock clock = new LogicalClock();
        clock.generation(segments.isEmpty() ? 0 : segments.lastKey() + 1); // every run starts a segment
        SingleChronicleQueue queue;
        try {
            queue = builder(dir, maxBytes).timeProvider(clock).syncMode(LogFiles.syncMode(durability)).build();
        } catch (RuntimeException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot open journal " + dir + ": " + e, e);
        }
        try {
            Journal j = new Journal(dir, queue, clock, maxBytes, durability, segments, lock, check.healing());
            j.retain();
            StoreFiles.restrictContents(dir);
            return j;
        } catch (RuntimeException e) {
            queue.close();
            throw new StoreException(Status.DEVICE_ERROR, "cannot open journal " + dir + ": " + e, e);
        }
    }

    /** What the open found wrong and did about it (files quarantined), for the pstore layer to record. */
    public Healing healing() {
        return healing;
    }

    private static SingleChronicleQueueBuilder builder(Path dir, long maxBytes) {
        long block = Long.highestOneBit(Math.max(1 << 20, maxBytes / SEGMENTS * 2) - 1) << 1;
        return LogFiles.builder(dir, block);
    }

    /** Bytes per segment, read from the files directly. */
    private static TreeMap<Integer, Long> measure(Path dir) {
        TreeMap<Integer, Long> sizes = new TreeMap<>();
        byte[][] scratch = {new byte[8192]};
        try (CycleFiles files = CycleFiles.open(dir)) {
            CycleFiles.Cursor cursor = files.cursor();
            for (int n; (n = cursor.next(scratch)) >= 0; ) {
                sizes.merge(cursor.generation(), n + 4L, Long::sum);
            }
        }
        return sizes;
    }

    /**
     * Appends one entry; rolls to a new segment and drops the oldest as the bound requires. Allocation-free
     * but for a roll (a new segment file).
     */
    public void append(byte[] entry, int offset, int length) throws IOException {
        if (currentBytes > 0 && currentBytes + length + 4 > segmentBytes) {
            roll();
        }
        try {
            write(entry, offset, length);
        } catch (WriteAfterEOFException e) {
            roll();
            write(entry, offset, length);
        }
        currentBytes += (long) length + 4;
    }

    private void write(byte[] entry, int offset, int length) throws Reservation.NoRoomException {
        boolean fresh = currentBytes == 0;
        reserveFor(length);
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(entry, offset, length);
            end = dc.wire().bytes().writePosition();
        }
        holders.pin(appender);
        if (durability == Durability.POWER) {
            appender.sync();
        }
        if (fresh) {
            StoreFiles.restrictContents(dir);
        }
    }

    /**
     * Backs what the next entry needs with real blocks ({@link Reservation}): a quarter segment at a time,
     * the file made here before Chronicle begins it; {@link Reservation.NoRoomException} on a full filesystem,
     * nothing written. Allocation-free but for a new segment.
     */
    private void reserveFor(int length) throws Reservation.NoRoomException {
        if (reserved != clock.generation()) {
            Path file = LogFiles.cycleFile(dir, clock.generation());
            boolean existed = Files.exists(file);
            reservation.start(file, CycleFile.documentsEnd(file));
            end = reservation.reservedTo();
            reserved = clock.generation();
            if (!existed) {
                try {
                    reservation.reserve(MARGIN + step()); // Chronicle's header and index, and the first lines
                } catch (Reservation.NoRoomException e) {
                    reservation.close();
                    reserved = -1;
                    LogFiles.delete(file); // zeros of ours only: Chronicle makes it when there is room
                    throw e;
                }
            }
        }
        long need = end + length + MARGIN;
        if (need > reservation.reservedTo()) {
            reservation.reserve(need + step());
        }
    }

    /** A segment's reservation grows by this much at a time: a short run's segment takes little room. */
    private long step() {
        return Math.max(16 << 10, segmentBytes / 4);
    }

    private void roll() {
        if (currentBytes > 0) {
            segments.put(clock.generation(), currentBytes);
        }
        currentBytes = 0;
        clock.generation(clock.generation() + 1);
        retain();
    }

    /** Deletes the oldest segments while the journal is over its bounds (the one being written counts too). */
    private void retain() {
        long total = bytes();
        while (!segments.isEmpty() && (total > segmentBytes * (SEGMENTS - 1) || segments.size() + 1 >= MAX_SEGMENTS)) {
            Map.Entry<Integer, Long> oldest = segments.pollFirstEntry();
            total -= oldest.getValue();
            LogFiles.delete(LogFiles.cycleFile(dir, oldest.getKey()));
        }
        queue.refreshDirectoryListing();
    }

    /** Bytes the journal holds now. */
    public long bytes() {
        long total = currentBytes;
        for (long v : segments.values()) {
            total += v;
        }
        return total;
    }

    @Override
    public void close() {
        reservation.close();
        try {
            appender.close();
            queue.close();
        } finally {
            lock.close();
        }
    }

    /**
     * Opens a journal for reading only: no lock, no writes, no waiting, and no need of a metadata file (the
     * segments are read directly, {@link CycleFiles}); sees entries appended later too (follow mode). A segment
     * that cannot be read to its end is read as far as it can be, and named in {@link Reader#damagedFiles()}.
     */
    public static Reader openReadOnly(Path dir) {
        if (!LogFiles.exists(dir)) {
            throw new StoreException(Status.NOT_FOUND, dir + " holds no journal");
        }
        return new Reader(dir);
    }

    /** Reads entries in order, from the oldest kept; {@link #next} returns -1 until more are appended. */
    public static final class Reader implements AutoCloseable {
        private final Path dir;
        private CycleFiles files;
        private int generation = -1;
        private CycleFile.Cursor cursor;
        private long position = -1;

        private Reader(Path dir) {
            this.dir = dir;
            this.files = CycleFiles.open(dir);
        }

        /** Reads the next entry into {@code scratch[0]} (grown as needed); its size, or -1 if none yet. */
        public int next(byte[][] scratch) {
            try {
                while (true) {
                    if (cursor != null) {
                        int n = cursor.next(scratch);
                        if (n >= 0) {
                            position = (long) generation << 32 | cursor.position();
                            return n;
                        }
                        List<Integer> held = files.generations();
                        if (cursor.end() == CycleFile.End.OPEN && held.get(held.size() - 1) == generation) {
                            return -1; // the newest segment: the writer may append more
                        }
                    }
                    Integer later = files.generations().stream().filter(g -> g > generation).findFirst().orElse(null);
                    if (later == null) {
                        return -1;
                    }
                    generation = later;
                    cursor = files.file(later).cursor();
                }
            } catch (IOException e) {
                throw new StoreException(Status.DEVICE_ERROR, "cannot read journal " + dir + ": " + e.getMessage(), e);
            }
        }

        /**
         * The position of the entry {@link #next} returned last (-1 before the first): its segment's cycle in
         * the high half, its header's offset in the low half. It only grows as entries are appended and stays
         * the same when older segments are deleted, so a reader can tell later which entries it has seen.
         */
        public long position() {
            return position;
        }

        /** Picks up segments created since the reader opened (for following a live journal). */
        public void refresh() {
            CycleFiles fresh = CycleFiles.open(dir);
            CycleFile current = fresh.file(generation);
            // the old files are closed below: go on in the new copy of this segment, or with the next one
            cursor = cursor != null && current != null ? current.cursor(cursor.limit()) : null;
            files.close();
            files = fresh;
        }

        /** Segments that could not be read, or only in part, each "name: why". */
        public List<String> damagedFiles() {
            return files.problems();
        }

        @Override
        public void close() {
            files.close();
        }
    }
}
