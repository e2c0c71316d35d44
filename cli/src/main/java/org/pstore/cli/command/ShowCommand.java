package org.pstore.cli.command;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

import org.pstore.cli.CliException;
import org.pstore.cli.StoreOption;
import org.pstore.panic.DumpReason;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print a record's payload, decompressed.",
            "A whole crash dump, all its parts oldest first: show --panic N (or --oops N)."},
        usageHelpAutoWidth = true)
public final class ShowCommand extends StoreCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "ID|NAME", description = "A record id (3000000007) or name (dmesg-efi-3000000007).")
        String record;

        @Option(names = "--panic", paramLabel = "N", description = "Every part of Panic#N, oldest first.")
        Integer panic;

        @Option(names = "--oops", paramLabel = "N", description = "Every part of Oops#N, oldest first.")
        Integer oops;
    }

    @Option(names = "--raw", description = "The payload exactly as stored (compressed dmesg parts stay compressed).")
    boolean raw;

    @Override
    public Integer call() throws IOException {
        try (PstoreReader reader = store.open()) {
            List<PstoreRecord> records;
            if (which.record != null) {
                records = List.of(reader.find(which.record).orElseThrow(() ->
                        new CliException("no record " + which.record + " in " + store.dir() + " (see: pstore list)")));
            } else {
                DumpReason reason = which.panic != null ? DumpReason.PANIC : DumpReason.OOPS;
                int n = which.panic != null ? which.panic : which.oops;
                records = reader.dumpParts(reason, n);
                if (records.isEmpty()) {
                    throw new CliException("no " + (which.panic != null ? "Panic#" : "Oops#") + n + " in " + store.dir() + " (see: pstore list)");
                }
            }
            for (PstoreRecord r : records) {
                print(reader, r);
            }
            return warnings(reader);
        }
    }

    private void print(PstoreReader reader, PstoreRecord r) throws IOException {
        byte[] bytes;
        String asText;
        if (raw) {
            bytes = reader.stored(r);
            asText = bytes == null || r.compressed() ? null : new Payload(bytes, false).text();
        } else {
            Payload p = reader.payload(r);
            bytes = p == null ? null : p.bytes();
            asText = p == null || p.stillCompressed() ? null : p.text();
            if (p != null && p.stillCompressed()) {
                err().println("pstore: warning: " + r.name() + " does not decompress; shown as stored (" + r.name() + ".enc.z)");
                err().flush();
            }
        }
        if (bytes == null) {
            throw new CliException("record " + r.name() + " vanished while it was read (erased meanwhile?)");
        }
        if (asText != null) {
            text().print(asText);
            text().flush();
        } else {
            text().flush();
            System.out.write(bytes);
            System.out.flush();
        }
    }
}
