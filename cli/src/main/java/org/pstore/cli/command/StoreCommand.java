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

    /** Prints one warning per problem the reader met; exit status 1 if there was any. */
    int warnings(PstoreReader reader) {
        var problems = reader.problems();
        for (String p : problems) {
            err().println("pstore: warning: " + p);
        }
        err().flush();
        return problems.isEmpty() ? 0 : 1;
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
