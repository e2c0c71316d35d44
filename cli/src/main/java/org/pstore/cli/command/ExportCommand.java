package org.pstore.cli.command;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonGenerator;
import org.pstore.cli.CliException;
import org.pstore.cli.output.Progress;
import org.pstore.cli.output.RecordJson;
import org.pstore.core.store.StoreFiles;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write every record with its payload as JSON.",
            "The fields of list --json plus payload (the decompressed text, when it is valid UTF-8) or "
                + "payloadBase64 (otherwise)."},
        usageHelpAutoWidth = true)
public final class ExportCommand extends StoreCommand implements Callable<Integer> {
    enum Format { json, jsonl }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json (one array) or jsonl (one object per line). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (owner-only, replaced atomically) instead of stdout.")
    Path file;

    @Override
    public Integer call() throws IOException {
        if (file != null) {
            checkTarget();
        }
        try (PstoreReader reader = store().open()) {
            List<PstoreRecord> records = reader.records();
            if (file == null) {
                write(reader, records, text());
                text().flush();
            } else {
                try {
                    // a fresh temporary name, created 0600 and exclusively, renamed over FILE: never readable by others
                    StoreFiles.replaceDurably(file, ch -> {
                        Writer w = new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8));
                        write(reader, records, w);
                        w.flush();
                    });
                } catch (AccessDeniedException e) {
                    throw new CliException("cannot write " + file + ": permission denied");
                } catch (FileSystemException e) {
                    throw new CliException("cannot write " + file + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
                }
                err().println("exported " + records.size() + " records to " + file);
            }
            return warnings(reader);
        }
    }

    /** The directory FILE goes in must exist and be writable, and FILE itself, if there, a regular file. */
    private void checkTarget() {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new CliException("cannot write " + file + ": " + parent + " is not a directory");
        }
        if (!Files.isWritable(parent)) {
            throw new CliException("cannot write " + file + ": permission denied (" + parent + ")");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException("cannot write " + file + ": it exists and is not a regular file (a link, a directory?); "
                    + "export replaces only a regular file");
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
