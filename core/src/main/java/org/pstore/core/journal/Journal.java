package org.pstore.core.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.WriteAfterEOFException;
import org.pstore.core.Durability;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.store.ChronicleRuntime;
import org.pstore.core.store.Documents;
import org.pstore.core.store.LogFiles;
import org.pstore.core.store.LogicalClock;
import org.pstore.core.store.StoreFiles;

/**
 * An append-only journal of opaque entries on a Chronicle Queue, bounded in size: it is cut into segments
 * (one cycle file each, rolled by a {@link LogicalClock}) and the oldest segments are deleted once the whole
 * exceeds its bound, so the newest entries are kept. Entries are in the page cache as soon as they are
 * appended: they survive the process being killed. One writer at a time (callers serialise appends);
 * readers open it read-only.
 */
public final class Journal implements AutoCloseable {
    private static final int SEGMENTS = 4;
    /** A crash loop starts a segment per run: the count is bounded as well as the bytes. */
    private static final int MAX_SEGMENTS = 16;

    private final Path dir;
    private final SingleChronicleQueue queue;
    private final LogicalClock clock;
    private final ExcerptAppender appender;
    private final Durability durability;
    private final long segmentBytes;
    /** The finished segments and their sizes; the one being written is counted in {@link #currentBytes}. */
    private final TreeMap<Integer, Long> segments;
    /** Bytes in the segment being written: a primitive, so that an append allocates nothing. */
    private long currentBytes;

    private Journal(Path dir, SingleChronicleQueue queue, LogicalClock clock, long maxBytes, Durability durability,
                    TreeMap<Integer, Long> segments) {
        this.dir = dir;
        this.queue = queue;
        this.clock = clock;
        this.durability = durability;
        this.segmentBytes = Math.max(4096, maxBytes / SEGMENTS);
        this.segments = segments;
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true); // callers serialise appends; the thread may change
    }

    /** Opens (creating) the journal in {@code dir} for its single writer, bounded by about {@code maxBytes}. */
    public static Journal openWritable(Path dir, long maxBytes, Durability durability) {
        ChronicleRuntime.ensure();
        StoreFiles.createDirectory(dir);
        LogFiles.sanitize(dir);
        LogicalClock clock = new LogicalClock();
        SingleChronicleQueue queue;
        try {
            queue = builder(dir, maxBytes).timeProvider(clock).syncMode(LogFiles.syncMode(durability)).build();
        } catch (RuntimeException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot open journal " + dir + ": " + e, e);
        }
        try {
            TreeMap<Integer, Long> segments = measure(queue);
            clock.generation(segments.isEmpty() ? 0 : segments.lastKey() + 1); // every run starts a segment
            Journal j = new Journal(dir, queue, clock, maxBytes, durability, segments);
            j.retain();
            StoreFiles.restrictContents(dir);
            return j;
        } catch (RuntimeException e) {
            queue.close();
            throw new StoreException(Status.DEVICE_ERROR, "cannot open journal " + dir + ": " + e, e);
        }
    }

    private static SingleChronicleQueueBuilder builder(Path dir, long maxBytes) {
        long block = Long.highestOneBit(Math.max(1 << 20, maxBytes / SEGMENTS * 2) - 1) << 1;
        return LogFiles.builder(dir, block);
    }

    private static TreeMap<Integer, Long> measure(SingleChronicleQueue queue) {
        TreeMap<Integer, Long> sizes = new TreeMap<>();
        try (ExcerptTailer t = queue.createTailer()) {
            t.toStart();
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    sizes.merge(t.cycle(), dc.wire().bytes().readRemaining() + 4, Long::sum);
                }
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

    private void write(byte[] entry, int offset, int length) {
        boolean fresh = currentBytes == 0;
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(entry, offset, length);
        }
        if (durability == Durability.POWER) {
            appender.sync();
        }
        if (fresh) {
            StoreFiles.restrictContents(dir);
        }
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
        appender.close();
        queue.close();
    }

    /** Opens a journal for reading only: no lock, no writes; sees entries appended later too (follow mode). */
    public static Reader openReadOnly(Path dir) {
        ChronicleRuntime.ensure();
        if (!LogFiles.exists(dir)) {
            throw new StoreException(Status.NOT_FOUND, dir + " holds no journal");
        }
        SingleChronicleQueue queue = builder(dir, 1 << 20).readOnly(true).build();
        return new Reader(queue);
    }

    /** Reads entries in order, from the oldest kept; {@link #next} returns -1 until more are appended. */
    public static final class Reader implements AutoCloseable {
        private final SingleChronicleQueue queue;
        private final ExcerptTailer tailer;
        private long position = -1;

        private Reader(SingleChronicleQueue queue) {
            this.queue = queue;
            this.tailer = queue.createTailer();
            this.tailer.toStart();
        }

        /** Reads the next entry into {@code scratch[0]} (grown as needed); its size, or -1 if none yet. */
        public int next(byte[][] scratch) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return -1;
                }
                position = dc.index();
                return Documents.copy(dc, scratch);
            }
        }

        /**
         * The position of the entry {@link #next} returned last (-1 before the first): Chronicle's index, which
         * only grows as entries are appended and stays the same when older segments are deleted, so a reader
         * can tell later which entries it has seen.
         */
        public long position() {
            return position;
        }

        /** Picks up segments created since the reader opened (for following a live journal). */
        public void refresh() {
            queue.refreshDirectoryListing();
        }

        @Override
        public void close() {
            tailer.close();
            queue.close();
        }
    }
}
