package org.pstore.cli.command;

import java.io.PrintWriter;

import org.pstore.reader.PstoreReader;
import org.pstore.record.RecordType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** What every command shares: its output streams and how it reports damaged records. */
abstract class StoreCommand {
    @Spec
    CommandSpec spec;

    /** Stdout: text and JSON (payloads that are not text go to System.out as bytes). */
    PrintWriter text() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Whether stdout is a terminal (text written to {@link #text()} is then escaped). */
    boolean terminal() {
        return spec.root().userObject() instanceof org.pstore.cli.PstoreCommand p && p.terminal();
    }

    /** The store of {@code --dir}, the top command's option that every command inherits. */
    org.pstore.cli.StoreOption store() {
        return ((org.pstore.cli.PstoreCommand) spec.root().userObject()).store();
    }

    /** The command as the user runs it, e.g. "bin/pstore list". */
    String command(String sub) {
        return spec.root().name() + " " + sub;
    }

    /** Prints one warning per problem the reader met; exit status 1 if there was any. */
    int warnings(PstoreReader reader) {
        var problems = reader.problems();
        for (String p : problems) {
            err().println("pstore: warning: " + p);
        }
        err().flush();
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * Writing to a store as a user other than its owner (root included) is refused: files made then would be
     * that user's, and the owner controls every file the writer opens. One line says how to run it instead.
     */
    void requireOwner(PstoreReader reader, boolean ignoreOwner) {
        if (ignoreOwner) {
            return;
        }
        reader.foreignOwner().ifPresent(owner -> {
            throw new org.pstore.cli.CliException(reader.dir() + " belongs to " + owner + ": write to it as its owner, "
                    + "sudo -u " + owner + " " + spec.root().name() + " " + String.join(" ", spec.commandLine().getParseResult().originalArgs())
                    + " (or add --ignore-owner)");
        });
    }

    static final class TypeConverter implements ITypeConverter<RecordType> {
        @Override
        public RecordType convert(String value) {
            try {
                return RecordType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
