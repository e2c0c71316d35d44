package org.pstore.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.store.Healing;
import org.pstore.core.store.Quarantine;

/**
 * What a writable open of the store's locations healed, and its last resort for a location that will not
 * open: each location validates and heals its own files when it opens (and tells this), and when it still fails for what its directory holds (anything but another writer
 * holding it, or a directory that cannot be written), its files are moved into the quarantine, for the
 * reader, and it is opened anew, empty. What is in the store is never the reason a service runs
 * unprotected; a directory that cannot be written is, said in one line.
 */
public final class Healer {
    private final Path dir;
    private final List<String> healed;
    private final List<String> repaired = new ArrayList<>();

    /** For the store in {@code dir}; {@code healed} already holds what was healed before (its marker). */
    public Healer(Path dir, List<String> healed) {
        this.dir = dir;
        this.healed = healed;
    }

    /** What was moved aside into the quarantine, one line each: boot records it (a record and journal lines). */
    public List<String> healed() {
        return healed;
    }

    /** What was set right without losing anything (a lock word a killed writer left), one line each. */
    public List<String> repaired() {
        return repaired;
    }

    /** What the open of {@code location} did to its files. */
    void note(String location, Healing h) {
        h.quarantined().forEach(e -> healed.add(location + ": " + e));
        h.repaired().forEach(r -> repaired.add(location + ": " + r));
    }

    /** Opens a location with {@code opener}; on a failure of its content, moves it aside and opens it once more. */
    <T> T open(String origin, Path location, Supplier<T> opener) {
        try {
            return opener.get();
        } catch (StoreException e) {
            if (e.status() == Status.BUSY) {
                throw e;
            }
            requireWritable(e);
            moveAside(origin, location, e.getMessage());
            return opener.get(); // a second failure is not what the store held
        }
    }

    /** One line when the store directory cannot be written: the only reason boot stops. */
    private void requireWritable(RuntimeException cause) {
        if (!Files.isWritable(dir)) {
            throw new StoreException(Status.DEVICE_ERROR, dir + " cannot be written (permissions or a read-only filesystem)", cause);
        }
    }

    private void moveAside(String origin, Path location, String why) {
        Quarantine q = new Quarantine(dir.resolve(Quarantine.DIR), Quarantine.DEFAULT_BOUND);
        int moved = 0;
        try {
            if (!Files.isDirectory(location, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(location, LinkOption.NOFOLLOW_LINKS)) {
                    moveWhole(origin, location);
                    moved++;
                }
            } else {
                List<Path> entries;
                try (Stream<Path> s = Files.list(location)) {
                    entries = s.toList();
                }
                for (Path f : entries) {
                    if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                        q.add(f, origin, "its location failed to open: " + why);
                        moved++;
                    }
                }
                try (Stream<Path> s = Files.list(location)) {
                    if (s.findAny().isPresent()) {
                        moveWhole(origin, location); // links, special files, directories: kept aside as they are
                    }
                }
            }
        } catch (IOException | StoreException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot move " + location + " aside: " + e.getMessage(), e);
        }
        healed.add(origin + ": would not open (" + why + "): its " + moved + " files moved into " + Quarantine.DIR + "/, started empty");
    }

    private void moveWhole(String origin, Path location) throws IOException {
        Path qdir = dir.resolve(Quarantine.DIR);
        org.pstore.core.store.StoreFiles.createDirectory(qdir);
        Path target = qdir.resolve(System.currentTimeMillis() + "-" + origin + "-" + location.getFileName() + ".entry");
        Files.move(location, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
