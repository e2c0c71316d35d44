package org.pstore.core;

import java.io.IOException;

/**
 * A hook inside every store write, for tests and the demo to make the storage slow, stuck or failing at a
 * precise point. The default does nothing. An {@link IOException} or runtime exception becomes
 * DEVICE_ERROR; an {@link Error} is a fatal fault (the worker disables itself and the store moves to the
 * legacy ops).
 */
@FunctionalInterface
public interface FaultInjection {
    FaultInjection NONE = (phase, namespace, name) -> { };

    enum Phase {
        /** With the store lock held, before the log entry is started. */
        BEFORE_APPEND,
        /** While the log entry is open: the underlying log's own write lock is held too. */
        INSIDE_APPEND
    }

    void onWrite(Phase phase, Namespace namespace, CharSequence name) throws IOException;
}
