package org.pstore.cli;

import org.pstore.PstoreException;
import org.pstore.core.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A failure is one line on stderr, {@code pstore: <what went wrong>}, and exit status 1. An unexpected fault
 * (a bug, or a store damaged in a way nothing foresaw) is one line too, its class and message; its stack
 * trace follows only with {@code --debug}.
 */
final class Failures implements IExecutionExceptionHandler {
    /** The option that adds stack traces to unexpected failures, declared once on the top command. */
    static final String DEBUG = "--debug";

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
        if (e instanceof PstoreException || e instanceof StoreException || e instanceof CliException) {
            cl.getErr().println("pstore: " + oneLine(e.getMessage()));
        } else if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
            cl.getErr().println("pstore: " + oneLine(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        } else {
            unexpected(e, cl.getErr(), debug(parsed));
        }
        cl.getErr().flush();
        return 1;
    }

    /** One line for a fault nothing foresaw; the trace only when asked for. */
    static void unexpected(Throwable e, java.io.PrintWriter err, boolean debug) {
        err.println("pstore: unexpected failure: " + e.getClass().getName() + ": " + oneLine(String.valueOf(e.getMessage()))
                + (debug ? "" : " (run again with " + DEBUG + " for its stack trace)"));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** Whether {@code --debug} was given anywhere on the command line. */
    static boolean debug(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(DEBUG)) {
                return true;
            }
        }
        return false;
    }
}
