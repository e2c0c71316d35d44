package org.pstore.cli;

import picocli.CommandLine;

/** {@code pstore}: the post-mortem reader. Exit status 0 on success, 1 on failure, 2 on bad usage. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the project's error handling; tests run it without exiting the JVM. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PstoreCommand());
        cl.setExecutionExceptionHandler(new Failures());
        cl.setParameterExceptionHandler(new UsageErrors());
        return cl;
    }
}
