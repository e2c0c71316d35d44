package org.pstore.cli.command;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonGenerator;
import org.pstore.cli.output.RecordJson;
import org.pstore.cli.output.Table;
import org.pstore.cli.output.Times;
import org.pstore.reader.LastRuns;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the records in the store, oldest first.",
        footerHeading = "%nColumns:%n",
        footer = {" SIZE   the payload's size as stored, in bytes; a z after it (3885z) means stored compressed (zlib):",
            "        show prints it decompressed, show --raw as stored.",
            " WHERE  store (the variable store), panic-area (written while the store was busy) or journal (console)."},
        usageHelpAutoWidth = true)
public final class ListCommand extends StoreCommand implements Callable<Integer> {
    @Option(names = "--json", description = "A JSON array, one object per record (schema in the README).")
    boolean json;

    @Option(names = "--type", paramLabel = "TYPE", converter = TypeConverter.class,
            description = "Only records of this type: dmesg, console, pmsg, ending (how a run ended) or hserr (an ingested hs_err file).")
    RecordType type;

    @Option(names = "--since", paramLabel = "TIME", converter = Times.class,
            description = "Only records from TIME on: 2026-11-23T08:00:00Z, 2026-11-23 (UTC) or an age such as 2h, 7d.")
    Instant since;

    @Override
    public Integer call() throws Exception {
        try (PstoreReader reader = store().open()) {
            List<PstoreRecord> records = reader.records().stream()
                    .filter(r -> type == null || r.type() == type)
                    .filter(r -> since == null || !r.time().isBefore(since))
                    .toList();
            if (json) {
                try (JsonGenerator g = RecordJson.generator(text(), true)) {
                    g.writeStartArray();
                    for (PstoreRecord r : records) {
                        g.writeStartObject();
                        RecordJson.fields(g, r);
                        java.util.Optional<String> summary = LastRuns.summary(reader, r);
                        if (summary.isPresent()) {
                            g.writeStringField("summary", summary.get());
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                text().println();
                text().flush();
            } else {
                table(records);
                notes(reader, records);
            }
            return warnings(reader);
        }
    }

    /** Under the table, what an ending record judged and what an ingested hs_err file says (its signal and frame). */
    private void notes(PstoreReader reader, List<PstoreRecord> records) {
        for (PstoreRecord r : records) {
            LastRuns.summary(reader, r).ifPresent(s -> {
                String line = r.name() + ": " + s;
                text().println(terminal() ? org.pstore.cli.output.Escaping.escape(line) : line);
            });
        }
        text().flush();
    }

    private void table(List<PstoreRecord> records) {
        if (records.isEmpty()) {
            text().println("no records");
            text().flush();
            return;
        }
        Table t = new Table("NAME", "TIME", "REASON", "COUNT", "PART", "SIZE", "WHERE").rightAligned(3, 4, 5);
        for (PstoreRecord r : records) {
            String reason = RecordJson.reasonWord(r);
            t.row(r.name(), r.time(), reason == null ? "-" : reason, reason == null ? "-" : r.count(),
                    reason == null ? "-" : r.part(), r.size() + (r.compressed() ? "z" : ""), r.location().word());
        }
        t.print(text());
    }
}
