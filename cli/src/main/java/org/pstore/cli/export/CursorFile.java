package org.pstore.cli.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.pstore.cli.Checkpoint;
import org.pstore.cli.CliException;
import org.pstore.core.StoreException;
import org.pstore.core.store.StoreFiles;

/**
 * The cursor on disk, {@code FILE}, with {@code FILE.pending} (the next cursor, written before the export's
 * file is renamed into view) and {@code FILE.lock} (one export per cursor at a time). Each is written as
 * StoreFiles writes: owner-only, exclusively created under a fresh name, forced to disk, renamed; never
 * through a link.
 *
 * <p>The order that makes a killed export neither lose nor repeat a record: (1) the export is written to a
 * hidden temporary file and forced; (2) the next cursor, naming that file, is written as {@code FILE.pending};
 * (3) the temporary file is renamed to its final name; (4) {@code FILE.pending} is renamed over {@code FILE}.
 * A run that finds {@code FILE.pending} finishes (3) and (4) first. Killed before (2), nothing was shown and
 * the cursor did not move; after it, the next run completes what was begun.
 */
final class CursorFile implements AutoCloseable {
    /** A cursor is a few lines per run kept in the store: far below this. */
    private static final int MAX_BYTES = 16 << 20;

    private final Path file;
    private final Path pending;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private CursorFile(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.pending = sibling(file, ".pending");
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** Takes the cursor's lock (creating its directory, 0700, when missing); one line when another export holds it. */
    static CursorFile lock(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            StoreFiles.createDirectory(parent);
        } catch (StoreException e) {
            throw new CliException("cannot keep the cursor " + file + ": " + e.getMessage());
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException("the cursor " + file + " is not a regular file (a link, a directory?); it is not read");
        }
        Path lockFile = sibling(file, ".lock");
        FileChannel ch = null;
        try {
            try {
                ch = StoreFiles.createNew(lockFile);
            } catch (FileAlreadyExistsException e) {
                ch = StoreFiles.openRegular(lockFile, 4096, StandardOpenOption.WRITE);
            }
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new CliException("another export with the cursor " + file + " is running; try again when it is done");
            }
            return new CursorFile(file, ch, l);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CliException("cannot lock the cursor " + file + ": " + why(e));
        }
    }

    /**
     * Finishes what a killed export began (see the class comment), then reads the cursor: {@link Cursor#EMPTY}
     * when there is none yet. A cursor that does not read as one stops the export (one line).
     */
    Cursor load() {
        try {
            if (Files.exists(pending, LinkOption.NOFOLLOW_LINKS)) {
                finish(read(pending));
            }
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? read(file) : Cursor.EMPTY;
        } catch (IOException e) {
            throw new CliException("cannot read the cursor " + file + ": " + why(e));
        }
    }

    private static Cursor read(Path p) throws IOException {
        String text = new String(StoreFiles.readBounded(p, MAX_BYTES), StandardCharsets.UTF_8);
        try {
            return Cursor.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(p + " is not an export cursor (" + e.getMessage() + "); move it away to export everything again");
        }
    }

    /** Steps (2) to (4): {@code next} names the file it wrote, which is renamed into view; then the cursor moves. */
    void commit(Cursor next) throws IOException {
        StoreFiles.replaceDurably(pending, next.text().getBytes(StandardCharsets.UTF_8));
        StoreFiles.syncDirectory(pending.toAbsolutePath().getParent());
        Checkpoint.reached("export.pending");
        finish(next);
    }

    private void finish(Cursor next) throws IOException {
        Cursor.Output out = next.output();
        if (out != null) {
            Path dir = Path.of(out.dir());
            Path tmp = dir.resolve(out.temporary());
            if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) { // else renamed already (and perhaps read and removed)
                Path target = dir.resolve(out.name());
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new CliException("cannot finish the export: " + target + " exists already; it is not replaced");
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                StoreFiles.syncDirectory(dir);
            }
        }
        Checkpoint.reached("export.renamed");
        Files.move(pending, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        StoreFiles.syncDirectory(file.toAbsolutePath().getParent());
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    static String why(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
    }
}
