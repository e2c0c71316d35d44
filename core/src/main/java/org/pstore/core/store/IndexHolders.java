package org.pstore.core.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

import net.openhft.chronicle.queue.ExcerptAppender;

/**
 * Keeps Chronicle's per-thread index holders of a log's current file reachable from the log (the journal, the
 * variable store), for the thread that appends in steady state (the journal thread, the worker).
 * Chronicle writes an index entry every 64 appends through two holders it keeps per thread behind weak
 * references; after a GC cleared them it builds them again (about 240 bytes) at the next index entry,  so
 * the appending thread would allocate in its steady state, a little after every GC. Held here, they survive.
 * Reads Chronicle's private fields (5.27); if they are not there, it does nothing.
 */
public final class IndexHolders {
    private static final VarHandle STORE;
    private static final VarHandle INDEXING;
    private static final VarHandle INDEX_ARRAY;
    private static final VarHandle INDEX2INDEX_ARRAY;

    static {
        VarHandle store = null;
        VarHandle indexing = null;
        VarHandle index = null;
        VarHandle index2index = null;
        try {
            Class<?> appender = Class.forName("net.openhft.chronicle.queue.impl.single.StoreAppender");
            Class<?> queueStore = Class.forName("net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore");
            Class<?> scqIndexing = Class.forName("net.openhft.chronicle.queue.impl.single.SCQIndexing");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            store = MethodHandles.privateLookupIn(appender, lookup).findVarHandle(appender, "store", queueStore);
            indexing = MethodHandles.privateLookupIn(queueStore, lookup).findVarHandle(queueStore, "indexing", scqIndexing);
            MethodHandles.Lookup in = MethodHandles.privateLookupIn(scqIndexing, lookup);
            index = in.findVarHandle(scqIndexing, "indexArray", ThreadLocal.class);
            index2index = in.findVarHandle(scqIndexing, "index2indexArray", ThreadLocal.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError absent) {
            store = null; // another Chronicle: the holders are left as Chronicle keeps them
        }
        STORE = store;
        INDEXING = indexing;
        INDEX_ARRAY = index;
        INDEX2INDEX_ARRAY = index2index;
    }

    private Object pinnedStore;
    private Object index;
    private Object index2index;

    /** After an append on the writing thread: holds that thread's holders of the current segment, once each. */
    public void pin(ExcerptAppender appender) {
        if (STORE == null) {
            return;
        }
        try {
            Object store = STORE.get(appender);
            if (store != pinnedStore) {
                pinnedStore = store;
                index = null;
                index2index = null;
            }
            if (store == null || (index != null && index2index != null)) {
                return;
            }
            Object indexing = INDEXING.get(store);
            if (index == null) {
                index = held((ThreadLocal<?>) INDEX_ARRAY.get(indexing));
            }
            if (index2index == null) {
                index2index = held((ThreadLocal<?>) INDEX2INDEX_ARRAY.get(indexing));
            }
        } catch (RuntimeException | LinkageError e) {
            // not worth failing an append for
        }
    }

    private static Object held(ThreadLocal<?> local) {
        Object ref = local == null ? null : local.get();
        return ref instanceof WeakReference ? ((WeakReference<?>) ref).get() : null;
    }
}
