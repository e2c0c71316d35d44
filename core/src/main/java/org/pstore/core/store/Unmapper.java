package org.pstore.core.store;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Unmaps a mapped buffer now rather than at some later GC (a mapping keeps a deleted file's space in use),
 * and links the JDK's unmapping before any crash needs it ({@link #prime}).
 *
 * <p>Why the priming: the JVM links a native method the first time it runs, and for a JDK native outside
 * libjava (the unmapping is in libnio) it asks {@code ClassLoader.findNative} with a new String. Unless
 * someone unmapped before, the first unmapping is the Reference Handler's, for whichever mapped buffer the
 * GC found unreachable, and on JDK 17 it may well come while the heap is full: the lookup throws
 * OutOfMemoryError, and the JDK answers a failing buffer cleaner with {@code System.exit(1)}. The process then
 * ends with status 1 in the middle of the panic that is writing the crash record (seen in {@code OomIT}).
 */
public final class Unmapper {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            cleaner = c.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // left to the garbage collector
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private Unmapper() {
    }

    /**
     * Unmaps {@code buffer} now; nothing may touch it (or a duplicate of it) afterwards. Where that cannot be
     * done (no {@code sun.misc.Unsafe}, or no heap for the call), the garbage collector unmaps it later.
     */
    public static void unmap(MappedByteBuffer buffer) {
        if (INVOKE_CLEANER != null) {
            try {
                INVOKE_CLEANER.invoke(UNSAFE, buffer);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // left to the garbage collector
            }
        }
    }

    /**
     * Maps the first byte of {@code channel}'s file (at least one byte long, open for reading) and unmaps it
     * at once, so that the JDK's unmapping is linked for the life of the JVM. Idempotent and cheap; at boot.
     */
    public static void prime(FileChannel channel) throws IOException {
        unmap(channel.map(FileChannel.MapMode.READ_ONLY, 0, 1));
    }
}
