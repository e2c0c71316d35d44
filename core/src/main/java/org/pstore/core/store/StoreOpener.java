package org.pstore.core.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import org.pstore.core.FaultInjection;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;

/**
 * Brings a store directory into a consistent state and opens it for writing. In order: files that are not
 * log files are moved aside; the log is replayed; generations superseded by a complete snapshot, or
 * holding a compaction that never finished, are removed; a generation that lost data (its file truncated
 * or overwritten, so Chronicle would write past a gap) is moved aside after its readable variables are
 * copied into a fresh generation. Nothing unreadable is deleted: it is renamed {@code *.corrupt} and named
 * in {@link StoreHealth#quarantined()}.
 */
final class StoreOpener {
    private static final int ATTEMPTS = 8;

    private final StoreConfig config;
    private final Path dir;
    private final long blockSize;
    private final List<String> quarantined = new ArrayList<>();

    private StoreOpener(StoreConfig config) {
        this.config = config;
        this.dir = config.dir();
        this.blockSize = VariableStore.blockSize(config.capacity());
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
            quarantineForeignFiles();
            VariableLog log;
            try {
                log = VariableLog.openWritable(dir, blockSize, config.durability());
            } catch (StoreException e) {
                throw e;
            } catch (RuntimeException e) {
                requireQuarantined(dir.resolve(LogFiles.METADATA), "unreadable: " + e, e);
                continue;
            }
            try {
                Replay replay = Replay.of(log);
                if (replay.needsRepair(log.firstCycle())) {
                    List<Integer> damaged = damagedGenerations(log, replay);
                    log.close();
                    removeSuperseded(replay, damaged);
                    continue;
                }
                List<Integer> damaged = damagedGenerations(log, replay);
                if (!damaged.isEmpty()) {
                    List<byte[]> live = readLive(log, replay);
                    log.close();
                    rewrite(replay, damaged, live);
                    continue;
                }
                return new VariableStore(config, lock, blockSize, log, replay, List.copyOf(quarantined));
            } catch (StoreException e) {
                log.close();
                throw e;
            } catch (RuntimeException e) {
                log.close();
                requireQuarantined(newestLogFile(), "unreadable: " + e, e);
            }
        }
        throw new StoreException(Status.DEVICE_ERROR, "cannot open store " + dir + ": still damaged after " + ATTEMPTS + " repairs");
    }

    /**
     * Files cut short by a dead process are removed; files that are not Chronicle files are never handed to
     * Chronicle, which would wait on them (seconds) or fail deep inside.
     */
    private void quarantineForeignFiles() {
        quarantined.addAll(LogFiles.sanitize(dir));
    }

    /**
     * Generations where Chronicle's write position lies beyond the last entry a reader reaches: the bytes in
     * between were lost, and appending there would hide everything written after.
     */
    private static List<Integer> damagedGenerations(VariableLog log, Replay replay) {
        List<Integer> damaged = new ArrayList<>();
        for (var e : replay.lastHeader.entrySet()) {
            if (log.writePosition(e.getKey()) > e.getValue()) {
                damaged.add(e.getKey());
            }
        }
        return damaged;
    }

    private static List<byte[]> readLive(VariableLog log, Replay replay) {
        List<byte[]> live = new ArrayList<>();
        VariableIndex index = replay.current;
        byte[][] buf = {new byte[64 << 10]};
        CRC32C crc = new CRC32C();
        for (int slot = index.nextOccupied(0); slot >= 0; slot = index.nextOccupied(slot + 1)) {
            int size = log.read(index.location(slot), buf);
            if (size > 0 && EntryFormat.validate(buf[0], size, crc) == EntryFormat.SET) {
                live.add(Arrays.copyOf(buf[0], size));
            }
        }
        return live;
    }

    /**
     * Writes the salvaged variables as a complete snapshot in a new generation and makes it durable; only
     * then moves the damaged generations aside and removes the rest. Cut short at any point, the store
     * still holds everything it held: the old generations, or the new one that supersedes them.
     */
    private void rewrite(Replay replay, List<Integer> damaged, List<byte[]> live) {
        int next = Math.max(replay.generationBytes.lastKey(), newestGeneration()) + 1;
        try (VariableLog log = VariableLog.openWritable(dir, blockSize, config.durability())) {
            log.roll(next);
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
        removeOld(replay.generationBytes.keySet(), next, damaged);
    }

    /** Generations before {@code before}: the damaged ones are moved aside, the others removed. */
    private void removeOld(Iterable<Integer> generations, int before, List<Integer> damaged) {
        for (int g : generations) {
            if (g >= before) {
                continue;
            }
            Path f = LogFiles.cycleFile(dir, g);
            if (damaged.contains(g)) {
                requireQuarantined(f, "lost data: entries after a gap", null);
            } else {
                LogFiles.delete(f);
            }
        }
        LogFiles.syncDirectory(dir);
    }

    private int newestGeneration() {
        Path newest = newestLogFile();
        return newest == null ? -1 : LogFiles.generation(newest);
    }

    /** Removes what a complete snapshot superseded (damaged files are kept aside) and a compaction cut short. */
    private void removeSuperseded(Replay replay, List<Integer> damaged) {
        if (replay.supersededBefore >= 0) {
            removeOld(replay.generationBytes.keySet(), replay.supersededBefore, damaged);
        }
        if (replay.incompleteGeneration >= 0) {
            LogFiles.delete(LogFiles.cycleFile(dir, replay.incompleteGeneration));
        }
    }

    private void requireQuarantined(Path file, String why, RuntimeException cause) {
        if (file == null || !Files.exists(file)) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot open store " + dir + (cause == null ? "" : ": " + cause), cause);
        }
        quarantined.add(LogFiles.quarantine(file, why));
    }

    private Path newestLogFile() {
        List<Path> cycles = LogFiles.cycles(dir);
        return cycles.isEmpty() ? null : cycles.get(cycles.size() - 1);
    }
}
