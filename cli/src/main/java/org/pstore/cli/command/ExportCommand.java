package org.pstore.cli.command;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonGenerator;
import org.pstore.cli.StoreOption;
import org.pstore.cli.output.Progress;
import org.pstore.cli.output.RecordJson;
import org.pstore.core.store.StoreFiles;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write every record with its payload as JSON.",
            "The fields of list --json plus payload (the decompressed text, when it is valid UTF-8) or "
                + "payloadBase64 (otherwise)."},
        usageHelpAutoWidth = true)
public final class ExportCommand extends StoreCommand implements Callable<Integer> {
    enum Format { json, jsonl }

    @Mixin
    StoreOption store;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json (one array) or jsonl (one object per line). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (owner-only, replaced atomically) instead of stdout.")
    Path file;

    @Override
    public Integer call() throws IOException {
        try (PstoreReader reader = store.open()) {
            List<PstoreRecord> records = reader.records();
            if (file == null) {
                write(reader, records, text());
                text().flush();
            } else {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    StoreFiles.restrict(tmp, StoreFiles.FILE);
                    write(reader, records, w);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                err().println("exported " + records.size() + " records to " + file);
            }
            return warnings(reader);
        }
    }

    private void write(PstoreReader reader, List<PstoreRecord> records, Writer w) throws IOException {
        try (Progress progress = Progress.of("exporting", records.size())) {
            if (format == Format.json) {
                try (JsonGenerator g = RecordJson.generator(w, true)) {
                    g.writeStartArray();
                    for (PstoreRecord r : records) {
                        object(g, reader, r);
                        progress.step();
                    }
                    g.writeEndArray();
                }
                w.write('\n');
            } else {
                for (PstoreRecord r : records) {
                    try (JsonGenerator g = RecordJson.generator(w, false)) {
                        object(g, reader, r);
                    }
                    w.write('\n');
                    progress.step();
                }
            }
        }
    }

    private static void object(JsonGenerator g, PstoreReader reader, PstoreRecord r) throws IOException {
        g.writeStartObject();
        RecordJson.fields(g, r);
        RecordJson.payload(g, reader.payload(r));
        g.writeEndObject();
    }
}
