package org.pstore.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Real blocks under the stretch of a Chronicle file that the log writes next. Chronicle writes through a
 * memory map, into a sparse file: where the filesystem cannot back a page (a full disk, a full tmpfs), the
 * write is a SIGBUS, which the JVM raises as an InternalError in whichever thread touched the page, the
 * application's own included, and a reader mapping the same page faults the same way. So the log writes
 * zeros with write(2) over what it is about to use, and a full filesystem is then a {@link NoRoomException}
 * before Chronicle gets there. Only ever past what Chronicle has written: the caller says where that is.
 *
 * <p>Allocation-free once {@link #start started} on a file (the channel is opened at the first reservation).
 */
public final class Reservation implements AutoCloseable {
    private static final int CHUNK = 64 << 10;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
    private Path file;
    private FileChannel channel;
    private long reservedTo;

    /** A full filesystem: the stretch could not be backed, and nothing may be written there. */
    public static final class NoRoomException extends IOException {
        NoRoomException(String message) {
            super(message);
            setStackTrace(new StackTraceElement[0]); // one instance, thrown from anywhere: its trace would mislead
        }
    }

    private static final NoRoomException NO_ROOM = new NoRoomException("no room on the filesystem for the store's next writes");

    /** The refusal, preallocated (allocation-free to throw). */
    public static NoRoomException noRoom() {
        return NO_ROOM;
    }

    /** Goes on with {@code file}, whose first {@code written} bytes Chronicle has written (so are backed). */
    public void start(Path file, long written) {
        close();
        this.file = file;
        this.reservedTo = written;
    }

    /** How far the file is backed: writes below this never fault. */
    public long reservedTo() {
        return reservedTo;
    }

    /** Backs the file up to {@code upTo} (creating it, owner-only, when Chronicle has not yet). */
    public void reserve(long upTo) throws NoRoomException {
        if (upTo <= reservedTo) {
            return;
        }
        // A FileChannel closes itself when its thread is interrupted in a write: the flag is set aside meanwhile
        // (an interrupt aborts the caller's operation, never the store's files), and given back after.
        boolean interrupted = Thread.interrupted();
        try {
            if (channel == null) {
                channel = Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                        ? StoreFiles.openRegular(file, Long.MAX_VALUE, StandardOpenOption.WRITE) : StoreFiles.createNew(file);
            }
            while (reservedTo < upTo) {
                zeros.clear().limit((int) Math.min(CHUNK, upTo - reservedTo));
                reservedTo += channel.write(zeros, reservedTo);
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            channel = null; // an interrupt that came during the write closed it: the next reservation opens it again
            throw NO_ROOM;
        } catch (IOException | RuntimeException e) {
            throw NO_ROOM; // preallocated: a crash-time journal write may be the one that meets a full disk
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written that a close could lose: the zeros are already in the page cache
            }
            channel = null;
        }
        file = null;
        reservedTo = 0;
    }
}
