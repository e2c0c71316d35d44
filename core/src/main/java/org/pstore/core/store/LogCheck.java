package org.pstore.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.pstore.core.Status;
import org.pstore.core.StoreException;

/**
 * The check a writer makes of a Chronicle log directory before Chronicle opens it, in time bounded by the
 * files' sizes: Chronicle waits on what it cannot parse (ten seconds on a metadata file, the queue's timeout
 * on a header marked "not complete", on a lock word a dead writer left), so nothing it would wait on reaches
 * it. Only for the log's single writer, holding its process lock: it deletes, moves and rewrites files.
 *
 * <ul>
 *   <li>A cycle file never finished (empty, or its creation cut short) holds nothing: it is deleted.</li>
 *   <li>A file in the log's name space that is not a cycle file is quarantined.</li>
 *   <li>A metadata file that does not validate is quarantined (Chronicle rebuilds it); a lock word left set
 *       is reset.</li>
 *   <li>A cycle file whose documents cannot all be reached (a damaged store header, a header marked not
 *       complete, a length past the end) is returned as damaged: what to save from it is the log's call.</li>
 * </ul>
 */
public final class LogCheck {
    private final Path dir;
    private final Quarantine quarantine;
    private final String origin;
    private final List<Quarantine.Entry> quarantined = new ArrayList<>();
    private final List<String> repaired = new ArrayList<>();

    /** For the log in {@code dir}; {@code origin} names it in the quarantine ("vars", "console"). */
    public LogCheck(Path dir, Quarantine quarantine, String origin) {
        this.dir = dir;
        this.quarantine = quarantine;
        this.origin = origin;
    }

    /** A cycle file whose documents cannot all be read, and why. */
    public record Damage(Path file, String why) {
    }

    /** Checks the directory as described above; returns the damaged cycle files, oldest first. */
    public List<Damage> run() {
        checkMetadata();
        List<Damage> damaged = new ArrayList<>();
        for (Path f : LogFiles.cycles(dir)) {
            String problem = problem(f);
            if (problem == null) {
                continue;
            }
            if (problem.isEmpty()) {
                LogFiles.delete(f);
            } else if (problem.startsWith("!")) {
                moveAside(f, problem.substring(1));
            } else {
                damaged.add(new Damage(f, problem));
            }
        }
        return damaged;
    }

    /** Moves a file of the log into the quarantine, and remembers it for {@link #healing()}. */
    public Quarantine.Entry moveAside(Path f, String why) {
        Quarantine.Entry e = quarantine.add(f, origin, why);
        quarantined.add(e);
        return e;
    }

    /** Everything done so far. */
    public Healing healing() {
        return new Healing(quarantined, repaired);
    }

    /** null: good; "": never finished (nothing in it); "!why": not a cycle file; "why": damaged documents. */
    private static String problem(Path f) {
        try {
            LogFiles.generation(f);
        } catch (RuntimeException e) {
            return "!not a log file name";
        }
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return "!not a regular file";
        }
        try (CycleFile c = CycleFile.open(f)) {
            if (c.unfinished()) {
                return "";
            }
            if (!c.readable()) {
                return "!" + c.problem();
            }
            if (c.problem() != null) {
                return c.problem();
            }
            CycleFile.Cursor cursor = c.cursor();
            byte[][] scratch = {new byte[4096]};
            while (cursor.next(scratch) >= 0) {
                // every document reached: the walk itself is the check
            }
            switch (cursor.end()) {
                case NOT_COMPLETE:
                    return "a header marked not complete at " + cursor.limit();
                case DAMAGED:
                    return "a length past the end of the file at " + cursor.limit();
                default:
                    return IndexCheck.problem(c); // Chronicle writes where its index points
            }
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private void checkMetadata() {
        Path metadata = dir.resolve(LogFiles.METADATA);
        if (!Files.exists(metadata, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        MetadataFile.Check check = MetadataFile.check(metadata);
        if (!check.valid()) {
            moveAside(metadata, check.problem());
            return;
        }
        for (MetadataFile.Value v : check.values()) {
            if ((v.key().equals(MetadataFile.WRITE_LOCK) || v.key().equals(MetadataFile.APPEND_LOCK)) && v.value() != MetadataFile.UNLOCKED) {
                try {
                    MetadataFile.write(metadata, v.offset(), MetadataFile.UNLOCKED);
                } catch (IOException e) {
                    throw new StoreException(Status.DEVICE_ERROR, "cannot write " + metadata + ": " + e.getMessage(), e);
                }
                repaired.add(LogFiles.METADATA + ": " + v.key() + " left held (by pid " + (int) v.value() + ") with no writer running: reset");
            }
        }
    }
}
