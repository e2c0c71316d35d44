package org.pstore.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.pstore.core.Status;
import org.pstore.core.StoreException;

/** The Chronicle files of a log directory, and the checks made before Chronicle is let near them. */
public final class LogFiles {
    public static final String METADATA = "metadata.cq4t";
    private static final byte[] CYCLE_SIGNATURE = "SCQStore".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METADATA_SIGNATURE = "STStore".getBytes(StandardCharsets.US_ASCII);

    private LogFiles() {
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
