package org.pstore.cli;

import java.io.PrintWriter;
import java.io.Writer;

import org.pstore.cli.output.Escaping;
import org.pstore.cli.output.Terminal;
import picocli.CommandLine;

/** {@code pstore}: the post-mortem reader. Exit status 0 on success, 1 on failure, 2 on bad usage. */
public final class Main {
    /** How the user runs the CLI (bin/pstore sets it to what was typed), for the commands it suggests. */
    static final String COMMAND_PROPERTY = "pstore.command";

    private Main() {
    }

    public static void main(String[] args) {
        boolean outTerminal = Terminal.stdout();
        boolean errTerminal = Terminal.stderr();
        CommandLine cl = commandLine(new PrintWriter(System.out, true), outTerminal, new PrintWriter(System.err, true), errTerminal);
        int status;
        try {
            status = cl.execute(args);
        } catch (Throwable e) { // an Error picocli does not handle: still one line, never a trace unless asked
            Failures.unexpected(e, cl.getErr(), java.util.Arrays.asList(args).contains(Failures.DEBUG));
            status = 1;
        }
        System.exit(status);
    }

    /** The command line with the project's error handling, writing to stdout and stderr (no terminal). */
    public static CommandLine commandLine() {
        return commandLine(new PrintWriter(System.out, true), false, new PrintWriter(System.err, true), false);
    }

    /**
     * The command line writing to {@code out} and {@code err}; what goes to a terminal has its control
     * characters escaped ({@link Escaping}). Tests run it without exiting the JVM.
     */
    public static CommandLine commandLine(Writer out, boolean outTerminal, Writer err, boolean errTerminal) {
        CommandLine cl = new CommandLine(new PstoreCommand(outTerminal));
        cl.setCommandName(System.getProperty(COMMAND_PROPERTY, "pstore"));
        cl.setOut(new PrintWriter(outTerminal ? new Escaping(out) : out, true));
        cl.setErr(new PrintWriter(errTerminal ? new Escaping(err) : err, true));
        cl.setExecutionExceptionHandler(new Failures());
        cl.setParameterExceptionHandler(new UsageErrors());
        return cl;
    }
}
