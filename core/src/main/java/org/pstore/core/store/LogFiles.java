package org.pstore.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.pstore.core.Status;
import org.pstore.core.StoreException;

/**
 * The Chronicle files of a log directory (the variable store's log and the console journal alike): how the
 * queue is built over them, how a generation's file is named, and the checks made before Chronicle is let
 * near them.
 */
public final class LogFiles {
    public static final String METADATA = "metadata.cq4t";
    private static final DateTimeFormatter CYCLE_FILE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final byte[] CYCLE_SIGNATURE = "SCQStore".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METADATA_SIGNATURE = "STStore".getBytes(StandardCharsets.US_ASCII);

    private LogFiles() {
    }

    /**
     * A queue over {@code dir}: one cycle file per generation of a {@link LogicalClock}, read and mapped in
     * chunks of {@code blockSize}. We are the only writer process (the store lock file), so an incomplete
     * header met at open is left by a dead writer: recover it quickly instead of Chronicle's default 10 s wait.
     */
    public static SingleChronicleQueueBuilder builder(Path dir, long blockSize) {
        return ChronicleQueue.singleBuilder(dir)
                .rollCycle(RollCycles.FAST_DAILY)
                .epoch(0)
                .blockSize(blockSize)
                .timeoutMS(500);
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
     * Empty, all zeros, or only Chronicle's first header word with its "not complete" bit set: a file whose
     * creation was cut short (the process died) before anything was written in it.
     */
    public static boolean unfinished(Path f) {
        byte[] head = head(f);
        if (head == null) {
            return false;
        }
        for (int i = 0; i < head.length; i++) {
            boolean notCompleteBit = i == 3 && head[i] == (byte) 0x80;
            if (head[i] != 0 && !notCompleteBit) {
                return false;
            }
        }
        return true;
    }

    public static boolean looksLikeCycle(Path f) {
        return contains(head(f), CYCLE_SIGNATURE);
    }

    public static boolean looksLikeMetadata(Path f) {
        return contains(head(f), METADATA_SIGNATURE);
    }

    /**
     * Removes unfinished cycle files and moves files that are not Chronicle files aside; returns what was
     * moved, each as "name.corrupt (why)".
     */
    public static List<String> sanitize(Path dir) {
        java.util.ArrayList<String> moved = new java.util.ArrayList<>();
        for (Path f : cycles(dir)) {
            if (unfinished(f)) {
                delete(f);
            } else if (!looksLikeCycle(f)) {
                moved.add(quarantine(f, "not a log file"));
            }
        }
        Path metadata = dir.resolve(METADATA);
        if (Files.exists(metadata) && !looksLikeMetadata(metadata)) {
            moved.add(quarantine(metadata, "not a metadata file"));
        }
        return moved;
    }

    /** Renames {@code f} to {@code f.corrupt}, kept for inspection; returns "name.corrupt (why)". */
    public static String quarantine(Path f, String why) {
        Path aside = f.resolveSibling(f.getFileName() + ".corrupt");
        try {
            Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot move damaged " + f + " aside: " + e.getMessage(), e);
        }
        return aside.getFileName() + " (" + why + ")";
    }

    public static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot remove " + f + ": " + e.getMessage(), e);
        }
    }

    private static byte[] head(Path f) {
        byte[] head = new byte[64];
        try (InputStream in = Files.newInputStream(f)) {
            return Arrays.copyOf(head, in.readNBytes(head, 0, head.length));
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        if (hay == null) {
            return false;
        }
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
