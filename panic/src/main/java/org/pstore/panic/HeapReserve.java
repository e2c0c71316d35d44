package org.pstore.panic;

/**
 * Heap set aside at arm time and dropped at panic start, so that a panic raised by an OutOfMemoryError
 * finds room for what the JDK cannot do without allocating (stack traces, the thread dump).
 */
final class HeapReserve {
    private volatile byte[] reserve;

    void allocate(int bytes) {
        long size = Math.min(bytes, PanicSettings.heapReserveCap());
        if (size > 0 && reserve == null) {
            reserve = new byte[(int) size];
        }
    }

    void release() {
        reserve = null;
    }

    int size() {
        byte[] r = reserve;
        return r == null ? 0 : r.length;
    }
}
