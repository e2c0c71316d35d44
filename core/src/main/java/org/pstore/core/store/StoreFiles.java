package org.pstore.core.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

import org.pstore.core.Status;
import org.pstore.core.StoreException;

/** Owner-only files (0600) and directories (0700): crash data holds whatever the application logged. */
public final class StoreFiles {
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private StoreFiles() {
    }

    /** Creates the directory (and parents) owner-only, or checks that an existing one is a writable directory. */
    public static void createDirectory(Path dir) {
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
                throw new StoreException(Status.INVALID, dir + " exists and is not a directory");
            }
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            restrict(dir, DIR);
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

    /** Restricts every file directly in {@code dir} to its owner (files Chronicle created with the umask's mode). */
    public static void restrictContents(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> restrict(f, Files.isDirectory(f) ? DIR : FILE));
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void restrict(Path path, Set<PosixFilePermission> perms) {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return; // not a POSIX file system: nothing to narrow
        }
        try {
            if (!view.readAttributes().permissions().equals(perms)) {
                view.setPermissions(perms);
            }
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot restrict permissions of " + path + ": " + e.getMessage(), e);
        }
    }

    static String reason(FileSystemException e) {
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }
}
