package org.pstore;

import org.pstore.core.Status;

/** pstore could not do what was asked; the message is one line for a person, the status says what kind. */
public class PstoreException extends RuntimeException {
    private final Status status;

    public PstoreException(Status status, String message) {
        super(message);
        this.status = status;
    }

    public PstoreException(Status status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
