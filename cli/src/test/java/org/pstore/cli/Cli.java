package org.pstore.cli;

import java.io.StringWriter;

import picocli.CommandLine;

/** Runs the CLI in this JVM, capturing what it prints. */
final class Cli {
    final int status;
    final String out;
    final String err;

    private Cli(int status, String out, String err) {
        this.status = status;
        this.out = out;
        this.err = err;
    }

    static Cli run(String... args) {
        return run(false, args);
    }

    /** Runs it as if stdout were a terminal. */
    static Cli onTerminal(String... args) {
        return run(true, args);
    }

    private static Cli run(boolean terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(out, terminal, err, false);
        int status = cl.execute(args);
        return new Cli(status, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
