package org.pstore.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

import org.pstore.core.Status;
import org.pstore.core.StoreException;

/**
 * One writer per store: an OS file lock held for the store's lifetime. The kernel drops it when the process
 * dies, even by SIGKILL, so there is no stale lock to recover (unlike a PID written in a file, which a
 * restarted container may reuse).
 *
 * <p>The lock is a POSIX record lock, and closing <em>any</em> descriptor of the file drops every such lock
 * the process holds on it. So a second open in the same process (an agent and the application both
 * booting) must be refused before it opens the lock file at all: the stores this process holds are
 * remembered here, by the directory's identity.
 */
public final class ProcessLock implements AutoCloseable {
    private static final Set<Object> HELD = new HashSet<>();

    private final Object key;
    private final FileChannel channel;
    private final FileLock lock;

    private ProcessLock(Object key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of the store in {@code dir} ({@code dir/name}); BUSY when another writer holds it. */
    public static ProcessLock acquire(Path dir, String name) {
        Path file = dir.resolve(name);
        synchronized (HELD) {
            Object key = identity(dir);
            if (HELD.contains(key)) {
                throw busy(dir, " (pid " + ProcessHandle.current().pid() + ", this process)");
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                StoreFiles.restrict(file, StoreFiles.FILE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    String holder = holder(channel);
                    channel.close(); // safe: this process holds no lock on the file (HELD says so)
                    throw busy(dir, holder);
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                HELD.add(key);
                return new ProcessLock(key, channel, lock);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new StoreException(Status.DEVICE_ERROR, "cannot lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static StoreException busy(Path dir, String holder) {
        return new StoreException(Status.BUSY, "store " + dir + " is in use by another writer" + holder);
    }

    /** The directory itself (device and inode), so that two paths to one store are one store. */
    private static Object identity(Path dir) {
        try {
            Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
            return key != null ? key : dir.toRealPath();
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The pid the holder wrote, e.g. " (pid 1234)", read through our own descriptor. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(24);
            channel.read(buf, 0);
            String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one reported
            }
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it anyway
            }
            closeQuietly(channel);
            HELD.remove(key);
        }
    }
}
