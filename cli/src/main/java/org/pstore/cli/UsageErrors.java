package org.pstore.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Bad usage: one line saying what is wrong and where to look, exit status 2 (no wall of help text). */
final class UsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("pstore: " + e.getMessage() + " (see: " + cl.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return 2;
    }
}
