package org.pstore.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.pstore.core.Durability;
import org.pstore.core.Status;
import org.pstore.core.StoreException;

/**
 * The Chronicle files of a log directory (the variable store's log and the console journal alike): how the
 * queue is built over them, how a generation's file is named and listed (the checks made before Chronicle
 * is let near them are {@link LogCheck}).
 */
public final class LogFiles {
    public static final String METADATA = "metadata.cq4t";
    /** One cycle per generation; never changed for an existing log. */
    static final RollCycles ROLL_CYCLE = RollCycles.FAST_DAILY;
    /** The suffix of a generation set aside as damaged while it is salvaged: out of Chronicle's sight. */
    public static final String DAMAGED = ".damaged";
    private static final DateTimeFormatter CYCLE_FILE = DateTimeFormatter.ofPattern("yyyyMMdd");

    private LogFiles() {
    }

    /**
     * A queue over {@code dir}: one cycle file per generation of a {@link LogicalClock}, read and mapped in
     * chunks of {@code blockSize}. We are the only writer process (the store lock file), so an incomplete
     * header met at open is left by a dead writer: recover it quickly instead of Chronicle's default 10 s wait.
     */
    public static SingleChronicleQueueBuilder builder(Path dir, long blockSize) {
        return ChronicleQueue.singleBuilder(dir)
                .rollCycle(ROLL_CYCLE)
                .epoch(0)
                .blockSize(blockSize)
                .timeoutMS(500);
    }

    /**
     * How an appender's {@code sync()} flushes: synchronously ({@code msync(MS_SYNC)}, on the device when it
     * returns) for {@link Durability#POWER}. Chronicle's default, {@code MS_ASYNC}, starts nothing on Linux and
     * waits for nothing, so it cannot back an acknowledgement.
     */
    public static SyncMode syncMode(Durability durability) {
        return durability == Durability.POWER ? SyncMode.SYNC : SyncMode.ASYNC; // ASYNC: Chronicle's default
    }

    /** The cycle file of {@code generation}: the generation read as a day counted from 1970-01-01. */
    public static Path cycleFile(Path dir, int generation) {
        return dir.resolve(LocalDate.ofEpochDay(generation).format(CYCLE_FILE) + "F" + SingleChronicleQueue.SUFFIX);
    }

    /** The generation whose cycle file {@code f} is (see {@link #cycleFile}). */
    public static int generation(Path f) {
        return (int) LocalDate.parse(f.getFileName().toString().substring(0, 8), CYCLE_FILE).toEpochDay();
    }

    /** Makes the directory's entries durable: files created, renamed or removed in it. */
    public static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot sync " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code dir} holds a log: its metadata file, or cycle files (a log can be read without the metadata). */
    public static boolean exists(Path dir) {
        if (Files.isRegularFile(dir.resolve(METADATA))) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX));
        } catch (IOException e) {
            return false;
        }
    }

    /** The cycle files, oldest first. */
    public static List<Path> cycles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The generation files of a log, oldest first: the cycle files and those a writer set aside as damaged
     * while it salvages them.
     */
    public static List<Path> generationFiles(Path dir) {
        List<Path> all = new java.util.ArrayList<>(cycles(dir));
        all.addAll(damaged(dir));
        all.sort(java.util.Comparator.comparing((Path f) -> f.getFileName().toString()));
        return all;
    }

    /** Generations set aside as damaged ({@code <cycle file>.damaged}), oldest first. */
    public static List<Path> damaged(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX + DAMAGED)).sorted().toList();
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot remove " + f + ": " + e.getMessage(), e);
        }
    }

}
