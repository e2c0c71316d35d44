package org.pstore.core.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import org.pstore.core.FaultInjection;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;

/**
 * Brings a store directory into a consistent state and opens it for writing, in time bounded by the files'
 * sizes. In order: the files are checked before Chronicle sees them ({@link LogCheck}: nothing it would wait
 * on or fail on reaches it); generations that cannot be read to their end are salvaged; the log is replayed;
 * generations superseded by a complete snapshot, or holding a compaction that never finished, are removed;
 * a generation that lost data (its file truncated or overwritten, so Chronicle would write past a gap) is
 * salvaged. Nothing readable is lost and nothing unreadable deleted: damaged files go into the
 * {@link Quarantine}, named in {@link StoreHealth#healing()}.
 */
final class StoreOpener {
    private static final int ATTEMPTS = 8;
    private static final String ORIGIN = "vars";

    private final StoreConfig config;
    private final Path dir;
    private final long blockSize;
    private final LogCheck check;

    private StoreOpener(StoreConfig config) {
        this.config = config;
        this.dir = config.dir();
        this.blockSize = VariableStore.blockSize(config.capacity());
        this.check = new LogCheck(dir, Quarantine.beside(dir), ORIGIN);
    }

    static VariableStore open(StoreConfig config) {
        StoreFiles.createDirectory(config.dir());
        ProcessLock lock = ProcessLock.acquire(config.dir(), VariableStore.LOCK_FILE);
        try {
            return new StoreOpener(config).open(lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private VariableStore open(ProcessLock lock) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<Path, String> damaged = new LinkedHashMap<>();
            for (LogCheck.Damage d : check.run()) {
                damaged.put(d.file(), d.why());
            }
            for (Path f : LogFiles.damaged(dir)) {
                damaged.put(f, "damaged (found by an earlier open whose repair was cut short)");
            }
            if (!damaged.isEmpty()) {
                salvage(damaged);
                continue;
            }
            VariableLog log;
            try {
                log = VariableLog.openWritable(dir, blockSize, config.durability(), config.reserve());
            } catch (StoreException e) {
                throw e;
            } catch (RuntimeException e) {
                moveAside(dir.resolve(LogFiles.METADATA), "refused by Chronicle: " + e, e);
                continue;
            }
            try {
                Replay replay = Replay.of(log);
                List<Integer> lost = lostData(log, replay);
                if (replay.needsRepair(log.firstCycle())) {
                    log.close();
                    removeSuperseded(replay, lost);
                    continue;
                }
                if (!lost.isEmpty()) {
                    log.close();
                    Map<Path, String> files = new LinkedHashMap<>();
                    for (int g : lost) {
                        files.put(LogFiles.cycleFile(dir, g), "lost data: entries after a gap");
                    }
                    salvage(files);
                    continue;
                }
                return new VariableStore(config, lock, blockSize, log, replay, check.healing());
            } catch (StoreException e) {
                log.close();
                throw e;
            } catch (RuntimeException e) {
                log.close();
                moveAside(newestLogFile(), "refused by Chronicle: " + e, e);
            }
        }
        throw new StoreException(Status.DEVICE_ERROR, "cannot open store " + dir + ": still damaged after " + ATTEMPTS + " repairs");
    }

    /**
     * Generations where Chronicle's write position lies beyond the last entry a reader reaches: the bytes in
     * between were lost, and appending there would hide everything written after.
     */
    private static List<Integer> lostData(VariableLog log, Replay replay) {
        List<Integer> lost = new ArrayList<>();
        for (var e : replay.lastHeader.entrySet()) {
            if (log.writePosition(e.getKey()) > e.getValue()) {
                lost.add(e.getKey());
            }
        }
        return lost;
    }

    /**
     * Saves what can be read of damaged generations. They are first renamed out of Chronicle's sight
     * ({@code *.cq4.damaged}, still part of the log for the direct reader); the live variables of the whole
     * log, read directly, are written as a complete snapshot in a new generation past every file present,
     * and made durable; only then are the damaged files quarantined and the older generations removed. Cut
     * short at any point, the store still holds everything it held, and the next open salvages again.
     */
    private void salvage(Map<Path, String> damaged) {
        try {
            for (Path f : damaged.keySet()) {
                if (!f.getFileName().toString().endsWith(LogFiles.DAMAGED)) {
                    Files.move(f, f.resolveSibling(f.getFileName() + LogFiles.DAMAGED), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot set damaged files of " + dir + " aside: " + e.getMessage(), e);
        }
        LogFiles.syncDirectory(dir);
        List<byte[]> live;
        int next;
        try (CycleFiles files = CycleFiles.open(dir)) {
            Replay replay = Replay.of(files.cursor(), 0); // the index grows as it fills: file sizes say little (sparse)
            live = readLive(files, replay);
        }
        next = newestGeneration() + 1;
        writeSnapshot(next, live);
        for (Map.Entry<Path, String> d : damaged.entrySet()) {
            Path f = d.getKey();
            Path aside = f.getFileName().toString().endsWith(LogFiles.DAMAGED) ? f : f.resolveSibling(f.getFileName() + LogFiles.DAMAGED);
            check.moveAside(aside, d.getValue());
        }
        for (Path f : LogFiles.cycles(dir)) {
            if (LogFiles.generation(f) < next) {
                LogFiles.delete(f);
            }
        }
        LogFiles.syncDirectory(dir);
    }

    private static List<byte[]> readLive(CycleFiles files, Replay replay) {
        List<byte[]> live = new ArrayList<>();
        VariableIndex index = replay.current;
        byte[][] buf = {new byte[64 << 10]};
        CRC32C crc = new CRC32C();
        for (int slot = index.nextOccupied(0); slot >= 0; slot = index.nextOccupied(slot + 1)) {
            int size;
            try {
                size = files.read(index.location(slot), buf);
            } catch (IOException e) {
                continue; // unreadable: nothing to save
            }
            if (size > 0 && EntryFormat.validate(buf[0], size, crc) == EntryFormat.SET) {
                live.add(Arrays.copyOf(buf[0], size));
            }
        }
        return live;
    }

    /** Writes {@code live} as a complete snapshot in generation {@code next} and makes it durable. */
    private void writeSnapshot(int next, List<byte[]> live) {
        try (VariableLog log = VariableLog.openWritable(dir, blockSize, config.durability(), config.reserve())) {
            log.roll(next, live.stream().mapToLong(e -> e.length + 4L).sum());
            CRC32C crc = new CRC32C();
            byte[] marker = new byte[EntryFormat.HEADER + EntryFormat.TRAILER];
            log.append(marker, EntryFormat.encodeMarker(marker, EntryFormat.SNAPSHOT_BEGIN, next - 1, crc), FaultInjection.NONE, null, "");
            for (byte[] entry : live) {
                log.append(entry, entry.length, config.faultInjection(), Namespace.of(EntryFormat.nsMsb(entry), EntryFormat.nsLsb(entry)),
                        new String(entry, EntryFormat.HEADER, EntryFormat.nameLength(entry), StandardCharsets.US_ASCII));
            }
            log.append(marker, EntryFormat.encodeMarker(marker, EntryFormat.SNAPSHOT_END, live.size(), crc), FaultInjection.NONE, null, "");
            log.sync();
        } catch (IOException | RuntimeException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot rewrite damaged store " + dir + ": " + e.getMessage(), e);
        }
        LogFiles.syncDirectory(dir);
    }

    /** Removes what a complete snapshot superseded (a damaged one goes into the quarantine) and a compaction cut short. */
    private void removeSuperseded(Replay replay, List<Integer> damaged) {
        for (int g : replay.generationBytes.keySet()) {
            Path f = LogFiles.cycleFile(dir, g);
            if (g < replay.supersededBefore && damaged.contains(g)) {
                check.moveAside(f, "lost data: entries after a gap");
            } else if (g < replay.supersededBefore || g == replay.incompleteGeneration) {
                LogFiles.delete(f);
            }
        }
        LogFiles.syncDirectory(dir);
    }

    private void moveAside(Path file, String why, RuntimeException cause) {
        if (file == null || !Files.exists(file)) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot open store " + dir + (cause == null ? "" : ": " + cause), cause);
        }
        check.moveAside(file, why);
    }

    /** The newest generation any file is named for, damaged ones included (-1: none). */
    private int newestGeneration() {
        int newest = -1;
        for (Path f : LogFiles.generationFiles(dir)) {
            newest = Math.max(newest, LogFiles.generation(f));
        }
        return newest;
    }

    private Path newestLogFile() {
        List<Path> cycles = LogFiles.cycles(dir);
        return cycles.isEmpty() ? null : cycles.get(cycles.size() - 1);
    }
}
