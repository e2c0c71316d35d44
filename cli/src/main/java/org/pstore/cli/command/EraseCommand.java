package org.pstore.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.pstore.cli.CliException;
import org.pstore.core.Status;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "erase", mixinStandardHelpOptions = true,
        description = {"Erase records from the store.",
            "Refused while the application that writes the store runs. An unknown id erases nothing at all."},
        usageHelpAutoWidth = true)
public final class EraseCommand extends StoreCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "ID|NAME", arity = "1..*", description = "Record ids or names.")
        List<String> records;

        @Option(names = "--all", description = "Every record.")
        boolean all;
    }

    @Option(names = "--ignore-owner", description = "Erase even when the store belongs to another user (see the README's threat model).")
    boolean ignoreOwner;

    @Override
    public Integer call() {
        try (PstoreReader reader = store().open()) {
            List<PstoreRecord> targets = new ArrayList<>();
            if (which.all) {
                targets.addAll(reader.records());
            } else {
                for (String key : which.records) {
                    targets.add(reader.find(key).orElseThrow(() ->
                            new CliException("no record " + key + " in " + store().dir() + "; nothing erased (see: " + command("list") + ")")));
                }
            }
            int erased = 0;
            if (!targets.isEmpty()) {
                requireOwner(reader, ignoreOwner);
                try (PstoreReader.Eraser eraser = reader.eraser()) {
                    for (PstoreRecord r : targets) {
                        Status s = eraser.erase(r);
                        if (s.ok()) {
                            erased++;
                        } else if (s != Status.NOT_FOUND) {
                            throw new CliException("could not erase " + r.name() + ": " + s.description() + " (" + erased + " erased before it)");
                        }
                    }
                }
            }
            text().println("erased " + erased + " record" + (erased == 1 ? "" : "s"));
            text().flush();
            return warnings(reader);
        }
    }
}
