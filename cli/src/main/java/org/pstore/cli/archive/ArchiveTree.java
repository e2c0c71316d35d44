package org.pstore.cli.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.pstore.cli.CliException;
import org.pstore.core.StoreException;
import org.pstore.core.store.StoreFiles;

/**
 * The directory tree an archive writes, as systemd-pstore lays it out: {@code boot-N/} per run, a directory
 * per crash, files named as in pstorefs. Directories it makes are 0700 and files 0600 from the creating
 * call; the directory it was given is left as it is. It writes only into directories it made or that are
 * the invoking user's own (never through a symlink), never replaces a file it kept before, and keeps a
 * record it already holds once: archiving again adds nothing.
 */
public final class ArchiveTree {
    /** The largest file the tree compares or reassembles from (a payload inflates to at most 16 MiB). */
    private static final long MAX_FILE = 64L << 20;
    private static final Pattern PART_FILE = Pattern.compile("dmesg-[a-z0-9]+-\\d+");
    private static final Pattern PART_HEADER = Pattern.compile("^[A-Za-z]+#\\d+ Part#(\\d+)\n");
    static final String DMESG_TXT = "dmesg.txt";

    private final Path root;
    private final int uid;
    private final Set<Path> touched = new LinkedHashSet<>();
    /** What {@link #write} leaves when it is killed between creating and renaming: never a record. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]{24}\\.tmp");
    private boolean tidy;

    private ArchiveTree(Path root) {
        this.root = root;
        this.uid = StoreFiles.currentUid();
    }

    /**
     * Checks (creating it and its missing parents, 0700) that {@code root} is a directory this user can write
     * in, before anything is read: one line when it is not.
     */
    public static ArchiveTree prepare(Path root) {
        try {
            StoreFiles.createDirectory(root);
        } catch (StoreException e) {
            throw new CliException("cannot archive to " + root + ": " + e.getMessage());
        }
        return new ArchiveTree(root);
    }

    public Path root() {
        return root;
    }

    /**
     * From now on, each directory the tree enters first loses the temporary files a killed archive left in it.
     * Only while no other archive can be writing there: the caller holds the store's writer lock.
     */
    public void tidy() {
        tidy = true;
        removeTemporaries(root);
    }

    private void removeTemporaries(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (TEMPORARY.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // left for the next archive: a temporary file is never taken for a record
        }
    }

    /** The directory {@code root/names...}, made 0700 where missing; an existing one must be this user's own. */
    public Path directory(String... names) {
        Path dir = root;
        for (String name : names) {
            dir = dir.resolve(name);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(StoreFiles.DIR));
                touched.add(dir.getParent());
            } catch (FileAlreadyExistsException e) {
                requireOwnDirectory(dir);
                if (tidy && !touched.contains(dir)) {
                    removeTemporaries(dir);
                }
            } catch (IOException e) {
                throw new CliException("cannot create " + dir + ": " + why(e));
            }
            touched.add(dir);
        }
        return dir;
    }

    private void requireOwnDirectory(Path dir) {
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory()) {
                throw new CliException(dir + " is " + StoreFiles.kind(a) + ", not a directory the archive made; "
                        + "nothing is written through it (archive into another directory)");
            }
            int owner = StoreFiles.ownerUid(dir);
            if (uid >= 0 && owner >= 0 && owner != uid) {
                throw new CliException(dir + " belongs to " + StoreFiles.ownerName(dir) + ", not to the user archiving; "
                        + "nothing is written into it (archive into another directory)");
            }
        } catch (IOException e) {
            throw new CliException("cannot use " + dir + ": " + why(e));
        }
    }

    /** What {@link #keep} did. */
    public enum Kept { WRITTEN, ALREADY_THERE }

    /**
     * Keeps {@code bytes} as {@code dir/name}: written durably when absent; left alone when that file already
     * holds exactly these bytes; otherwise written beside it as {@code name.1}, {@code name.2}, ...
     */
    public Kept keep(Path dir, String name, byte[] bytes) throws IOException {
        for (int n = 0; n < 1000; n++) {
            Path target = dir.resolve(n == 0 ? name : name + "." + n);
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                write(target, ch -> StoreFiles.writeFully(ch, ByteBuffer.wrap(bytes)));
                return Kept.WRITTEN;
            }
            if (holds(target, bytes)) {
                return Kept.ALREADY_THERE;
            }
        }
        throw new CliException("cannot archive " + name + ": " + dir + " already holds 1000 other versions of it");
    }

    /** A fresh owner-only temporary file, forced to disk, renamed to {@code target} (checked absent). */
    private void write(Path target, StoreFiles.Filler filler) throws IOException {
        Path tmp = StoreFiles.temporaryFor(target);
        try {
            try (FileChannel ch = StoreFiles.createNew(tmp)) {
                filler.fill(ch);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean holds(Path file, byte[] bytes) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || a.size() != bytes.length) {
            return false;
        }
        return java.util.Arrays.equals(StoreFiles.readBounded(file, bytes.length), bytes);
    }

    /**
     * (Re)assembles {@code dir/dmesg.txt} from every part file kept in {@code dir}, oldest part first, as
     * systemd-pstore does: from the files, so a dump archived over several runs is whole. Streamed: no part
     * is held in memory with another.
     */
    public void assembleDmesg(Path dir) throws IOException {
        List<Path> parts = partsOldestFirst(dir);
        Path txt = dir.resolve(DMESG_TXT);
        Path tmp = StoreFiles.temporaryFor(txt);
        try {
            try (FileChannel out = StoreFiles.createNew(tmp)) {
                ByteBuffer buf = ByteBuffer.allocate(64 << 10);
                for (Path part : parts) {
                    try (FileChannel in = StoreFiles.openRegular(part, MAX_FILE, StandardOpenOption.READ)) {
                        while (buf.clear() != null && in.read(buf) > 0) {
                            StoreFiles.writeFully(out, buf.flip());
                        }
                    }
                }
                out.force(true);
            }
            if (Files.exists(txt, LinkOption.NOFOLLOW_LINKS) && sameContent(txt, tmp)) {
                return;
            }
            Files.move(tmp, txt, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static List<Path> partsOldestFirst(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> PART_FILE.matcher(p.getFileName().toString()).matches()).toList();
        }
        List<Object[]> numbered = new ArrayList<>();
        for (Path f : files) {
            int part = partNumber(f);
            if (part > 0) {
                numbered.add(new Object[] {part, f});
            }
        }
        numbered.sort(Comparator.comparingInt((Object[] o) -> (Integer) o[0]).reversed());
        return numbered.stream().map(o -> (Path) o[1]).toList();
    }

    /** The M of the "Panic#N Part#M" line a part starts with; 0 when it has none. */
    private static int partNumber(Path f) {
        try (FileChannel ch = StoreFiles.openRegular(f, MAX_FILE, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(64);
            ch.read(head);
            Matcher m = PART_HEADER.matcher(new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
        if (Files.size(a) != Files.size(b)) {
            return false;
        }
        try (FileChannel x = StoreFiles.openRegular(a, MAX_FILE, StandardOpenOption.READ);
             FileChannel y = StoreFiles.openRegular(b, MAX_FILE, StandardOpenOption.READ)) {
            ByteBuffer bx = ByteBuffer.allocate(64 << 10);
            ByteBuffer by = ByteBuffer.allocate(64 << 10);
            while (true) {
                bx.clear();
                by.clear();
                int nx = x.read(bx);
                int ny = y.read(by);
                if (nx != ny) {
                    return false;
                }
                if (nx < 0) {
                    return true;
                }
                if (!bx.flip().equals(by.flip())) {
                    return false;
                }
            }
        }
    }

    /** Makes every rename and new entry durable: the directories touched, deepest first, are synced. */
    public void sync() {
        List<Path> dirs = new ArrayList<>(touched);
        dirs.add(root);
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        dirs.forEach(StoreFiles::syncDirectory);
    }

    private static String why(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
    }
}
