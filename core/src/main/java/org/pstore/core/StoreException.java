package org.pstore.core;

/** A store could not be opened or used; the message is one line meant for a person. */
public class StoreException extends RuntimeException {
    private final Status status;

    public StoreException(Status status, String message) {
        super(message);
        this.status = status;
    }

    public StoreException(Status status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
