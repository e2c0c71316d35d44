package org.pstore.cli;

import org.pstore.cli.command.ArchiveCommand;
import org.pstore.cli.command.DemoCommand;
import org.pstore.cli.command.EraseCommand;
import org.pstore.cli.command.ExportCommand;
import org.pstore.cli.command.LastCommand;
import org.pstore.cli.command.ListCommand;
import org.pstore.cli.command.ShowCommand;
import org.pstore.cli.command.StatCommand;
import org.pstore.cli.command.TailCommand;
import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(name = "pstore",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "The post-mortem reader of pstore for the JVM: lists, shows, exports, archives and erases "
                + "what a crashed application left behind. It reads a store without locking it, so it also works "
                + "while the application runs.",
        subcommands = {
            ListCommand.class, ShowCommand.class, LastCommand.class, ExportCommand.class, ArchiveCommand.class, EraseCommand.class,
            StatCommand.class, TailCommand.class, DemoCommand.class, CompletionCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:success",
            " 1:failure (no such store, unknown record, permission denied, erase refused), or damaged records or files skipped"
                + " (each named in a warning; the good ones are still shown)",
            " 2:bad usage"},
        footerHeading = "%n",
        footer = {"Every command takes --dir DIR (default: $PSTORE_DIR, else ./pstore-data).",
            "Start with: ${ROOT-COMMAND-NAME} demo, then ${ROOT-COMMAND-NAME} list.",
            "The launcher also has: agent (prints the Java agent jar's path: java -javaagent:$(${ROOT-COMMAND-NAME} agent)=dir=...)"
                + " and attach PID [key=value,...] (arms pstore in a JVM that is already running)."})
public final class PstoreCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Declared once here, inherited by every command: {@code pstore list --dir X} and {@code pstore --dir X list} alike. */
    @Option(names = "--dir", paramLabel = "DIR", scope = ScopeType.INHERIT, defaultValue = "${env:PSTORE_DIR:-pstore-data}",
            description = "The store directory. Default: $PSTORE_DIR if set, else pstore-data in the current directory (now: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = Failures.DEBUG, scope = ScopeType.INHERIT,
            description = "With an unexpected failure, print its stack trace too (a report for the developers).")
    boolean debug;

    private final boolean terminal;

    PstoreCommand(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether stdout is a terminal: stored bytes that are not text are then not written to it as they are. */
    public boolean terminal() {
        return terminal;
    }

    /** The store given by {@code --dir} (wherever on the command line it was given). */
    public StoreOption store() {
        return new StoreOption(dir);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is needed: list, show, last, export, archive, erase, stat, tail or demo");
    }
}
