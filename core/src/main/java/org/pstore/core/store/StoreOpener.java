package org.pstore.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.stream.Stream;

import org.pstore.core.FaultInjection;
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
    private static final byte[] CYCLE_SIGNATURE = "SCQStore".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METADATA_SIGNATURE = "STStore".getBytes(StandardCharsets.US_ASCII);
    private static final String METADATA = "metadata.cq4t";

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
        ProcessLock lock = ProcessLock.acquire(config.dir().resolve(VariableStore.LOCK_FILE));
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
                requireQuarantined(dir.resolve(METADATA), "unreadable: " + e, e);
                continue;
            }
            try {
                Replay replay = Replay.of(log);
                if (replay.needsRepair(log.firstCycle())) {
                    log.close();
                    removeSuperseded(replay);
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
     * A file named like a log or metadata file that does not start like one is never handed to Chronicle,
     * which would wait on it (seconds) or fail deep inside.
     */
    private void quarantineForeignFiles() {
        for (Path f : logFiles()) {
            if (unfinished(f)) {
                delete(f); // created by a roll the process did not live to finish: it holds nothing
            } else if (!startsWith(f, CYCLE_SIGNATURE)) {
                requireQuarantined(f, "not a log file", null);
            }
        }
        Path metadata = dir.resolve(METADATA);
        if (Files.exists(metadata) && !startsWith(metadata, METADATA_SIGNATURE)) {
            requireQuarantined(metadata, "not a metadata file", null);
        }
    }

    /**
     * Empty, all zeros, or only Chronicle's first header word with its "not complete" bit set: a file whose
     * creation was cut short before anything was written in it.
     */
    private static boolean unfinished(Path f) {
        byte[] head = new byte[64];
        try (InputStream in = Files.newInputStream(f)) {
            int n = in.readNBytes(head, 0, head.length);
            for (int i = 0; i < n; i++) {
                boolean notCompleteBit = i == 3 && head[i] == (byte) 0x80;
                if (head[i] != 0 && !notCompleteBit) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean startsWith(Path f, byte[] signature) {
        byte[] head = new byte[64];
        try (InputStream in = Files.newInputStream(f)) {
            int n = in.readNBytes(head, 0, head.length);
            for (int i = 0; i + signature.length <= n; i++) {
                if (Arrays.equals(head, i, i + signature.length, signature, 0, signature.length)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
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

    /** Moves damaged generations aside, removes the rest, and writes the salvaged variables as a complete snapshot. */
    private void rewrite(Replay replay, List<Integer> damaged, List<byte[]> live) {
        int next = replay.generationBytes.lastKey() + 1;
        for (int g : replay.generationBytes.keySet()) {
            Path f = VariableLog.file(dir, g);
            if (damaged.contains(g)) {
                requireQuarantined(f, "lost data: entries after a gap", null);
            } else {
                delete(f);
            }
        }
        try (VariableLog log = VariableLog.openWritable(dir, blockSize, config.durability())) {
            log.roll(next);
            CRC32C crc = new CRC32C();
            byte[] marker = new byte[EntryFormat.HEADER + EntryFormat.TRAILER];
            log.append(marker, EntryFormat.encodeMarker(marker, EntryFormat.SNAPSHOT_BEGIN, next - 1, crc), FaultInjection.NONE, null, "");
            for (byte[] entry : live) {
                log.append(entry, entry.length, FaultInjection.NONE, null, "");
            }
            log.append(marker, EntryFormat.encodeMarker(marker, EntryFormat.SNAPSHOT_END, live.size(), crc), FaultInjection.NONE, null, "");
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot rewrite damaged store " + dir + ": " + e.getMessage(), e);
        }
    }

    private void removeSuperseded(Replay replay) {
        for (int g : replay.generationBytes.keySet()) {
            if (g < replay.supersededBefore || g == replay.incompleteGeneration) {
                delete(VariableLog.file(dir, g));
            }
        }
    }

    private void requireQuarantined(Path file, String why, RuntimeException cause) {
        if (file == null || !Files.exists(file)) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot open store " + dir + (cause == null ? "" : ": " + cause), cause);
        }
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot move damaged " + file + " aside: " + e.getMessage(), e);
        }
        quarantined.add(aside.getFileName() + " (" + why + ")");
    }

    private Path newestLogFile() {
        return logFiles().stream().max(Path::compareTo).orElse(null);
    }

    private List<Path> logFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot remove " + f + ": " + e.getMessage(), e);
        }
    }
}
