package org.pstore.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.pstore.core.Status;
import org.pstore.core.StoreException;

/**
 * Where files that do not validate are kept: {@code quarantine/<time>-<origin>-<name>} in the store
 * directory, owner-only, for a reader (and a person) to look at. A file is moved here, never copied, and
 * never deleted silently: the quarantine is bounded in total size, and when a new file needs the room the
 * oldest ones go, each one named in the {@link Entry} that made room.
 *
 * <p>One quarantine serves every log of a store: the variable store ({@code vars/}) and the console
 * journal ({@code console/}) keep it beside themselves ({@link #beside}).
 */
public final class Quarantine {
    public static final String DIR = "quarantine";
    /** The default bound: room for a few damaged generations of a large store. */
    public static final long DEFAULT_BOUND = 256L << 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final long bound;

    public Quarantine(Path dir, long bound) {
        this.dir = dir;
        this.bound = bound;
    }

    /** The quarantine of the store that holds the log in {@code logDir}: {@code logDir/../quarantine}. */
    public static Quarantine beside(Path logDir) {
        Path parent = logDir.toAbsolutePath().getParent();
        return new Quarantine((parent != null ? parent : logDir).resolve(DIR), DEFAULT_BOUND);
    }

    public Path dir() {
        return dir;
    }

    /**
     * A file moved aside.
     *
     * @param name    its name in the quarantine
     * @param from    where it was
     * @param why     what did not validate
     * @param bytes   its size
     * @param evicted older quarantined files removed to make room for it (or "name (not kept: ...)" for this
     *                one, when it alone exceeds the bound)
     */
    public record Entry(String name, Path from, String why, long bytes, List<String> evicted) {
        @Override
        public String toString() {
            return from.getFileName() + " -> " + DIR + "/" + name + " (" + why + ")"
                    + (evicted.isEmpty() ? "" : "; removed to make room: " + String.join(", ", evicted));
        }
    }

    /**
     * Moves {@code file} into the quarantine. {@code origin} names the log it came from ("vars", "console").
     * A file larger than the whole bound is not kept: it is removed, and the entry says so.
     */
    public Entry add(Path file, String origin, String why) {
        try {
            long size = Files.size(file);
            StoreFiles.createDirectory(dir);
            List<String> evicted = new ArrayList<>();
            if (size > bound) {
                Files.delete(file);
                evicted.add(file.getFileName() + " (not kept: " + size + " bytes exceed the quarantine's bound of " + bound + ")");
                return new Entry("", file, why, size, List.copyOf(evicted));
            }
            makeRoom(size, evicted);
            Path target = unique(TIME.format(Instant.now()) + "-" + origin + "-" + file.getFileName());
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            StoreFiles.restrict(target, StoreFiles.FILE);
            return new Entry(target.getFileName().toString(), file, why, size, List.copyOf(evicted));
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot move damaged " + file + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The quarantined files, oldest first (read-only: for readers). */
    public List<Path> files() {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Bytes the quarantine holds. */
    public long bytes() {
        long total = 0;
        for (Path f : files()) {
            total += sizeOf(f);
        }
        return total;
    }

    private void makeRoom(long size, List<String> evicted) throws IOException {
        List<Path> kept = files(); // names start with the time: oldest first
        long total = 0;
        for (Path f : kept) {
            total += sizeOf(f);
        }
        for (int i = 0; i < kept.size() && total + size > bound; i++) {
            Path oldest = kept.get(i);
            total -= sizeOf(oldest);
            Files.deleteIfExists(oldest);
            evicted.add(oldest.getFileName().toString());
        }
    }

    private Path unique(String name) {
        Path p = dir.resolve(name);
        for (int n = 2; Files.exists(p, LinkOption.NOFOLLOW_LINKS); n++) {
            p = dir.resolve(name + "." + n);
        }
        return p;
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }
}
