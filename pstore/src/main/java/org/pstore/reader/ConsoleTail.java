package org.pstore.reader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.pstore.PstoreException;
import org.pstore.backend.EfiBackend;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.journal.Journal;
import org.pstore.record.ConsoleLine;

/**
 * Reads the console journal line by line, from the oldest line kept, and keeps reading as the application
 * writes more ({@code tail -f}). Read-only: no lock, no writes. Damaged lines are skipped and counted.
 */
public final class ConsoleTail implements AutoCloseable {
    private final Journal.Reader reader;
    private final byte[][] buf = {new byte[8192]};
    private final CRC32C crc = new CRC32C();
    private long damaged;
    private final java.util.Map<Long, WallClock> clocks = new java.util.HashMap<>();

    private ConsoleTail(Journal.Reader reader) {
        this.reader = reader;
    }

    /** Opens the console journal of the store in {@code dir} (already checked to be a store by the caller). */
    public static ConsoleTail open(Path dir) {
        Path console = EfiBackend.console(dir);
        if (!Files.isDirectory(console, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new PstoreException(Status.NOT_FOUND, dir + " has no console journal yet");
        }
        long journalBytes = org.pstore.boot.StoreLayout.settings(dir).map(org.pstore.boot.StoreSettings::journalBytes)
                .orElse(org.pstore.PstoreConfig.DEFAULT_JOURNAL_BYTES);
        String unsafe = EfiBackend.checkLocation(dir, console, EfiBackend.maxLogFile(journalBytes));
        if (unsafe != null) {
            throw new PstoreException(Status.INVALID, unsafe);
        }
        try {
            return new ConsoleTail(Journal.openReadOnly(console));
        } catch (StoreException e) {
            throw new PstoreException(e.status(), e.getMessage(), e);
        }
    }

    /** One console line; the time is when its batch reached the journal (the line's own uptime prefix is exact). */
    public record Line(long boot, long timeMillis, String text) {
    }

    /**
     * One journal entry: the lines one batch wrote ({@code text}, each line ending in a newline), where it is in
     * the journal ({@link Journal.Reader#position()}), and what tells it from any other entry at that position
     * (its boot, time and checksum): a journal made anew reuses positions.
     */
    public record Batch(long position, long boot, long timeMillis, int checksum, String text) {
        /** The batch's lines, without their newlines. */
        public String[] lines() {
            return text.split("\n");
        }
    }

    /** Passes every line written since the last call to {@code out}; returns how many. */
    public int poll(java.util.function.Consumer<Line> out) {
        int[] n = {0};
        read(batch -> { }, (batch, line) -> {
            out.accept(new Line(batch.boot(), batch.timeMillis(), line));
            n[0]++;
        });
        return n[0];
    }

    /**
     * Passes every entry written since the last call to {@code out}, each after its lines taught the clocks
     * what they could; returns how many.
     */
    public int pollBatches(java.util.function.Consumer<Batch> out) {
        int[] n = {0};
        read(batch -> {
            out.accept(batch);
            n[0]++;
        }, (batch, line) -> { });
        return n[0];
    }

    private void read(java.util.function.Consumer<Batch> batches, java.util.function.BiConsumer<Batch, String> lines) {
        reader.refresh();
        for (int size; (size = reader.next(buf)) >= 0; ) {
            if (!ConsoleLine.valid(buf[0], size, crc)) {
                damaged++;
                continue;
            }
            long boot = ConsoleLine.boot(buf[0]);
            long time = ConsoleLine.time(buf[0]);
            Batch batch = new Batch(reader.position(), boot, time, ConsoleLine.checksum(buf[0]),
                    new String(buf[0], ConsoleLine.HEADER, size - ConsoleLine.HEADER, StandardCharsets.UTF_8));
            WallClock clock = clocks.computeIfAbsent(boot, b -> new WallClock());
            long last = WallClock.lastUptime(batch.text());
            if (last >= 0) {
                clock.writtenAfter(time, last); // a batch is written just after its last line was logged
            }
            for (String line : batch.lines()) {
                clock.report(line);
                lines.accept(batch, line);
            }
            batches.accept(batch);
        }
    }

    /** The best mapping from uptime to UTC for {@code boot}'s lines seen so far. */
    public WallClock clock(long boot) {
        return clocks.computeIfAbsent(boot, b -> new WallClock());
    }

    public long damaged() {
        return damaged;
    }

    @Override
    public void close() {
        reader.close();
    }
}
