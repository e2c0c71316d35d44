package org.pstore.core.store;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pstore.core.Status;
import org.pstore.core.StoreException;

/**
 * The cycle files of a log directory as they stood at one moment, each held open: a point in time a reader
 * can take its time over while a writer goes on appending, compacting and deleting. Files are read directly
 * ({@link CycleFile}): no Chronicle, no metadata file, no lock, no waiting, nothing written.
 *
 * <p>Generations a writer set aside as damaged ({@code *.cq4.damaged}) while it salvages them are read too.
 *
 * <p>One moment, because a writer creates generations in increasing order and deletes them (after a
 * complete snapshot supersedes them) in increasing order: every file listed that could be opened held,
 * together, a state the log was really in. A file listed but gone by the time it is opened means a
 * compaction ran in between: the listing is taken again.
 */
public final class CycleFiles implements AutoCloseable {
    private static final int ATTEMPTS = 100;

    private final Path dir;
    private final TreeMap<Integer, CycleFile> files;
    private final List<String> problems;

    private CycleFiles(Path dir, TreeMap<Integer, CycleFile> files, List<String> problems) {
        this.dir = dir;
        this.files = files;
        this.problems = problems;
    }

    /** Opens every cycle file of {@code dir} at one moment. */
    public static CycleFiles open(Path dir) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            TreeMap<Integer, CycleFile> open = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            boolean vanished = false;
            for (Path f : LogFiles.generationFiles(dir)) {
                int generation;
                try {
                    generation = LogFiles.generation(f);
                } catch (RuntimeException e) {
                    problems.add(f.getFileName() + ": not a log file name");
                    continue;
                }
                try {
                    CycleFile c = CycleFile.open(f);
                    if (c.unfinished()) {
                        c.close(); // nothing was ever written in it
                    } else {
                        if (c.problem() != null) {
                            problems.add(f.getFileName() + ": " + c.problem());
                        }
                        open.put(generation, c);
                    }
                } catch (NoSuchFileException e) {
                    vanished = true;
                    break;
                } catch (IOException e) {
                    problems.add(f.getFileName() + ": unreadable: " + e.getMessage());
                }
            }
            if (!vanished) {
                return new CycleFiles(dir, open, problems);
            }
            open.values().forEach(CycleFile::close);
        }
        throw new StoreException(Status.BUSY, "cannot read " + dir + ": its files changed " + ATTEMPTS + " times while being opened");
    }

    /**
     * One cycle file read as a log on its own, e.g. a generation moved into the {@link Quarantine}: what it
     * holds, read-only, whatever became of the log it came from.
     */
    public static CycleFiles ofFile(Path file) throws IOException {
        CycleFile c = CycleFile.open(file);
        TreeMap<Integer, CycleFile> one = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        if (c.problem() != null) {
            problems.add(file.getFileName() + ": " + c.problem());
        }
        if (c.unfinished()) {
            c.close();
        } else {
            one.put(0, c);
        }
        return new CycleFiles(file.getParent(), one, problems);
    }

    public Path dir() {
        return dir;
    }

    /** The generations held, oldest first. */
    public List<Integer> generations() {
        return List.copyOf(files.keySet());
    }

    public CycleFile file(int generation) {
        return files.get(generation);
    }

    /** Files that could not be read, or only in part, each "name: why". */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** A location: the generation in the high half, the document's header position in the low half. */
    static long location(int generation, long position) {
        return (long) generation << 32 | position;
    }

    static int generation(long location) {
        return (int) (location >>> 32);
    }

    static long position(long location) {
        return location & 0xFFFF_FFFFL;
    }

    /** Reads the data document at {@code location} into {@code scratch[0]}; its length, or -1 if none is there. */
    public int read(long location, byte[][] scratch) throws IOException {
        CycleFile f = files.get(generation(location));
        return f == null ? -1 : f.document(position(location), scratch);
    }

    /** Every data document of every file, in log order. */
    public Cursor cursor() {
        return new Cursor();
    }

    /** Walks the documents of one file after another; records how each file's documents ended. */
    public final class Cursor implements Replay.Source {
        private final java.util.Iterator<Map.Entry<Integer, CycleFile>> next = files.entrySet().iterator();
        private final Map<Integer, CycleFile.End> ends = new TreeMap<>();
        private int generation;
        private CycleFile.Cursor current;

        @Override
        public int next(byte[][] scratch) {
            try {
                while (true) {
                    if (current != null) {
                        int n = current.next(scratch);
                        if (n >= 0) {
                            return n;
                        }
                        ends.put(generation, current.end());
                        current = null;
                    }
                    if (!next.hasNext()) {
                        return -1;
                    }
                    Map.Entry<Integer, CycleFile> e = next.next();
                    generation = e.getKey();
                    current = e.getValue().cursor();
                }
            } catch (IOException e) {
                throw new StoreException(Status.DEVICE_ERROR, "cannot read " + dir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public long location() {
            return CycleFiles.location(generation, current.position());
        }

        @Override
        public int generation() {
            return generation;
        }

        @Override
        public long headerPosition() {
            return current.position();
        }

        /** How each file's documents ended, for the files walked to their end. */
        public Map<Integer, CycleFile.End> ends() {
            return ends;
        }

        @Override
        public void close() {
        }
    }

    @Override
    public void close() {
        for (CycleFile f : files.values()) {
            f.close();
        }
    }
}
