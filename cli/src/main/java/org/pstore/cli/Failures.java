package org.pstore.cli;

import org.pstore.PstoreException;
import org.pstore.core.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A failure is one line on stderr, {@code pstore: <what went wrong>}, and exit status 1. Only an
 * unexpected fault (a bug) prints its stack trace.
 */
final class Failures implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
        if (e instanceof PstoreException || e instanceof StoreException || e instanceof CliException) {
            cl.getErr().println("pstore: " + e.getMessage());
        } else if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
            cl.getErr().println("pstore: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        } else {
            cl.getErr().println("pstore: unexpected failure: " + e);
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return 1;
    }
}
