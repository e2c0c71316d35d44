package org.pstore.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;

import org.pstore.core.Status;
import org.pstore.core.StoreException;

/**
 * How pstore touches the file system, in one place. Crash data holds whatever the application logged, and a
 * store's files are written by a less trusted account than the one that may read them (root, after a
 * crash): so every file and directory pstore creates is owner-only (0600, 0700) in the creating call,
 * whatever the umask; nothing is opened through a symlink; nothing but a regular file is opened; new files
 * are created exclusively, under fresh random temporary names; and nothing is read past a fixed bound.
 */
public final class StoreFiles {
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreFiles() {
    }

    /**
     * Creates the directory and any missing parent, each owner-only in the creating call; a directory that
     * already exists is left as it is. Fails with one line when the path is not a directory we can write.
     */
    public static void createDirectory(Path dir) {
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
                throw new StoreException(Status.INVALID, dir + " exists and is not a directory");
            }
            if (!Files.isDirectory(dir)) {
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
                    throw new StoreException(Status.INVALID, "cannot create " + dir + ": " + parent + " is not a directory");
                }
                if (parent != null && !Files.isDirectory(parent)) {
                    createDirectory(parent);
                }
                try {
                    Files.createDirectory(dir, ownerOnly(dir, DIR));
                    ownerBitsOf(dir);
                } catch (FileAlreadyExistsException raced) {
                    if (!Files.isDirectory(dir)) {
                        throw new StoreException(Status.INVALID, dir + " exists and is not a directory");
                    }
                }
            }
            if (!Files.isWritable(dir)) {
                throw new StoreException(Status.DEVICE_ERROR, "cannot write to " + dir + ": permission denied");
            }
        } catch (AccessDeniedException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot create " + dir + ": permission denied", e);
        } catch (FileSystemException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot create " + dir + ": " + reason(e), e);
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A directory just created with 0700 under an odd umask (one that takes owner bits away) gets them back;
     * this only ever adds the owner's own bits, never anyone else's.
     */
    private static void ownerBitsOf(Path dir) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view != null && !view.readAttributes().permissions().equals(DIR)) {
            view.setPermissions(DIR);
        }
    }

    /** Restricts every file directly in {@code dir} to its owner (files Chronicle created with the umask's mode). */
    public static void restrictContents(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> restrict(f, Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) ? DIR : FILE));
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Narrows the permissions of {@code path} itself (never through a symlink). */
    public static void restrict(Path path, Set<PosixFilePermission> perms) {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return; // not a POSIX file system: nothing to narrow
        }
        try {
            if (Files.isSymbolicLink(path)) {
                return; // a link's own mode means nothing, and chmod would follow it
            }
            if (!view.readAttributes().permissions().equals(perms)) {
                view.setPermissions(perms);
            }
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot restrict permissions of " + path + ": " + e.getMessage(), e);
        }
    }

    // ---- opening ----------------------------------------------------------------------------------------

    /**
     * Checks that {@code file} is a regular file itself (not a symlink, FIFO, device, socket or directory) and
     * at most {@code maxBytes} long, before anything opens it; returns its attributes. The check cannot close
     * the window between it and the open that follows (a FIFO swapped in then can still block the opener).
     */
    public static BasicFileAttributes requireRegular(Path file, long maxBytes) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new NotRegularFileException(file, file + " is " + kind(a) + ", not a regular file; not opened");
        }
        if (a.size() > maxBytes) {
            throw new NotRegularFileException(file, file + " is " + a.size() + " bytes, more than the " + maxBytes
                    + " its place in a store can hold; not read");
        }
        return a;
    }

    /** The file's contents, when it is a regular file of at most {@code maxBytes}; never through a symlink. */
    public static byte[] readBounded(Path file, int maxBytes) throws IOException {
        requireRegular(file, maxBytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(maxBytes, Math.max(0, ch.size())) + 1);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read until the bound or the end
            }
            if (!buf.hasRemaining()) {
                throw new NotRegularFileException(file, file + " grew past " + maxBytes + " bytes while it was read; not read");
            }
            return java.util.Arrays.copyOf(buf.array(), buf.position());
        }
    }

    /** Opens an existing regular file itself (no symlink, no special file) with {@code options}. */
    public static FileChannel openRegular(Path file, long maxBytes, OpenOption... options) throws IOException {
        requireRegular(file, maxBytes);
        Set<OpenOption> all = new java.util.HashSet<>(Set.of(options));
        all.add(LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(file, all);
    }

    /** Creates {@code file}, which must not exist (nor a link by its name), owner-only, and opens it for writing. */
    public static FileChannel createNew(Path file) throws IOException {
        Set<OpenOption> options = new java.util.HashSet<>(Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS));
        return FileChannel.open(file, options, ownerOnly(file, FILE));
    }

    /**
     * Appends to a regular file, creating it owner-only when absent; never through a symlink and never to a
     * special file.
     */
    public static void append(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = openForAppend(file)) {
            writeFully(ch, ByteBuffer.wrap(bytes));
        }
    }

    private static FileChannel openForAppend(Path file) throws IOException {
        try {
            return createNew(file);
        } catch (FileAlreadyExistsException exists) {
            return openRegular(file, Long.MAX_VALUE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
    }

    /** A fresh, unpredictable name beside {@code file} for a temporary file (hidden, ending in .tmp). */
    public static Path temporaryFor(Path file) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return file.resolveSibling("." + file.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
    }

    /** Receives the channel of a temporary file to fill. */
    @FunctionalInterface
    public interface Filler {
        void fill(FileChannel ch) throws IOException;
    }

    /**
     * Writes a file all or nothing: a fresh temporary file, created owner-only and exclusively, filled, forced
     * to disk, then renamed over {@code file}. A reader sees the old file or the new one, never a part.
     */
    public static void replaceDurably(Path file, Filler filler) throws IOException {
        Path tmp = temporaryFor(file);
        try {
            try (FileChannel ch = createNew(tmp)) {
                filler.fill(ch);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #replaceDurably(Path, Filler)} of a byte array. */
    public static void replaceDurably(Path file, byte[] bytes) throws IOException {
        replaceDurably(file, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Forces a directory's entries (renames, new files) to disk, where the file system can. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the files themselves were synced
        }
    }

    /**
     * Checks a directory of Chronicle files before Chronicle is let near it (it opens its files by path with
     * RandomAccessFile, which follows links and blocks on a FIFO): the directory itself and every file Chronicle
     * would open in it ({@code *.cq4}, {@code *.cq4t}) are what they claim, owned by {@code ownerUid} (-1: anyone), with one link each (not a hard link to a
     * file elsewhere), regular files no larger than {@code maxFileBytes}. Returns the first problem as one
     * line, or null. A file swapped in after the check is still opened: the window is only narrowed.
     */
    public static String checkLogDirectory(Path dir, int ownerUid, long maxFileBytes) {
        try {
            BasicFileAttributes d = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!d.isDirectory()) {
                return dir + " is " + kind(d) + ", not a directory; not read";
            }
            if (ownerUid >= 0 && ownerUid(dir) != ownerUid) {
                return dir + " belongs to " + ownerName(dir) + ", not to the store's owner; not read";
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path f : (Iterable<Path>) entries::iterator) {
                    String name = f.getFileName().toString();
                    if (!name.endsWith(".cq4") && !name.endsWith(".cq4t")) {
                        continue; // not a file Chronicle opens (pstore opens its own files itself, checked)
                    }
                    BasicFileAttributes a;
                    try {
                        a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        continue; // deleted since the listing (a writer's compaction): nothing left to check
                    }
                    if (!a.isRegularFile()) {
                        return f + " is " + kind(a) + ", not a regular file; " + dir.getFileName() + " not read";
                    }
                    if (ownerUid >= 0 && ownerUid(f) != ownerUid) {
                        return f + " belongs to " + ownerName(f) + ", not to the store's owner; " + dir.getFileName() + " not read";
                    }
                    if (links(f) > 1) {
                        return f + " has " + links(f) + " names (a hard link to a file elsewhere?); " + dir.getFileName() + " not read";
                    }
                    if (a.size() > maxFileBytes) {
                        return f + " is " + a.size() + " bytes, more than the " + maxFileBytes + " its place can hold; "
                                + dir.getFileName() + " not read";
                    }
                }
            }
            return null;
        } catch (IOException e) {
            return dir + " cannot be checked: " + e.getMessage();
        }
    }

    private static int links(Path f) throws IOException {
        try {
            return (Integer) Files.getAttribute(f, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    // ---- owners -----------------------------------------------------------------------------------------

    /** The numeric owner of {@code path} itself, or -1 where the file system has none. */
    public static int ownerUid(Path path) throws IOException {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** The name of the owner of {@code path} itself. */
    public static String ownerName(Path path) throws IOException {
        return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
    }

    /** The user id this process runs as, or -1 where there is no such thing. */
    public static int currentUid() {
        try {
            return (int) new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            return -1;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** The owner-only mode for the creating call, on a file system that has modes. */
    private static FileAttribute<?>[] ownerOnly(Path created, Set<PosixFilePermission> perms) {
        return posix(created.toAbsolutePath().getParent())
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path near) {
        Path p = near == null ? Path.of("").toAbsolutePath() : near;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
    }

    /** "a symbolic link", "a FIFO, device or socket", "a directory". */
    public static String kind(BasicFileAttributes a) {
        if (a.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (a.isDirectory()) {
            return "a directory";
        }
        return a.isOther() ? "a FIFO, device or socket" : "a regular file";
    }

    /** Why a file operation failed, in words: the JDK leaves the reason out for the common errors. */
    public static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        return e.getClass().getSimpleName();
    }

    /** A file pstore refuses to open: not a regular file, or larger than its place allows. */
    public static final class NotRegularFileException extends FileSystemException {
        public NotRegularFileException(Path file, String message) {
            super(file.toString(), null, message);
        }

        @Override
        public String getMessage() {
            return getReason();
        }
    }
}
