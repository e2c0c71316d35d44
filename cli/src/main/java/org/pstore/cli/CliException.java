package org.pstore.cli;

/** A failure the user can act on; its message is the one line they see. */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
