package org.pstore.backend;

import java.util.concurrent.atomic.AtomicReference;

import org.pstore.core.Status;

/** One backend at a time, as pstore_register: a second registration is refused (BUSY). */
public final class BackendRegistry {
    /** The process's registry: the backend the panic path writes to. */
    public static final BackendRegistry PROCESS = new BackendRegistry();

    private final AtomicReference<Backend> registered = new AtomicReference<>();

    public Status register(Backend backend) {
        if (backend.frontends().isEmpty()) {
            return Status.INVALID;
        }
        return registered.compareAndSet(null, backend) ? Status.OK : Status.BUSY;
    }

    public Status unregister(Backend backend) {
        return registered.compareAndSet(backend, null) ? Status.OK : Status.NOT_FOUND;
    }

    /** The registered backend, or null. */
    public Backend backend() {
        return registered.get();
    }
}
