package org.pstore.cli.command;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
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
import org.pstore.PstoreConfig;
import org.pstore.cli.CliException;
import org.pstore.cli.VersionProvider;
import org.pstore.cli.export.IncrementalExport;
import org.pstore.cli.otlp.OtlpLines;
import org.pstore.cli.otlp.Run;
import org.pstore.cli.otlp.Selection;
import org.pstore.cli.otlp.StoreLogs;
import org.pstore.cli.output.Progress;
import org.pstore.cli.output.RecordJson;
import org.pstore.core.store.StoreFiles;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write every record with its payload as JSON, or as OpenTelemetry logs.",
            "json, jsonl: the fields of list --json plus payload (the decompressed text, when it is valid UTF-8) or "
                + "payloadBase64 (otherwise).",
            "otlp: OTLP/JSON Lines (the OpenTelemetry file exporter's format, for the Collector's otlp_json_file "
                + "receiver): one LogsData per line, each under 1 MiB; a crash dump is one log record, the console "
                + "journal one per line. With --cursor, only what was not exported before, as a new file in DIR."},
        usageHelpAutoWidth = true)
public final class ExportCommand extends StoreCommand implements Callable<Integer> {
    enum Format { json, jsonl, otlp }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json (one array), jsonl (one object per line) or otlp (OTLP/JSON Lines). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (owner-only, replaced atomically) instead of stdout; "
            + "with --cursor, a directory the new file goes in.")
    Path file;

    @Option(names = "--service", paramLabel = "NAME", description = "otlp: the service.name of every record. Default: the "
            + "pstore.service the application booted with, else unknown_service:java.")
    String service;

    @Option(names = "--cursor", paramLabel = "FILE", description = "otlp: export only what this cursor has not seen, into a new "
            + "file in the --out directory, then move the cursor. Killed at any moment, the next run exports every record "
            + "exactly once.")
    Path cursor;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        if (file != null && cursor == null) {
            checkTarget();
        }
        try (PstoreReader reader = store().open()) {
            if (cursor != null) {
                IncrementalExport.Result r = IncrementalExport.run(reader, serviceOf(reader), VersionProvider.version(), cursor, file);
                err().println(r.file() == null ? "nothing new to export since the cursor " + cursor + " last moved"
                        : "exported " + r.records() + " records and " + r.consoleLines() + " console lines (" + r.logRecords()
                                + " log records) to " + r.file());
                err().flush();
                return warnings(reader);
            }
            List<PstoreRecord> records = reader.records();
            if (file == null) {
                write(reader, records, text());
                text().flush();
            } else {
                try {
                    // a fresh temporary name, created 0600 and exclusively, renamed over FILE: never readable by others
                    StoreFiles.replaceDurably(file, ch -> {
                        if (format == Format.otlp) {
                            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                            otlp(reader, out);
                            out.flush();
                        } else {
                            Writer w = new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8));
                            write(reader, records, w);
                            w.flush();
                        }
                    });
                } catch (AccessDeniedException e) {
                    throw new CliException("cannot write " + file + ": permission denied");
                } catch (FileSystemException e) {
                    throw new CliException("cannot write " + file + ": " + StoreFiles.reason(e));
                }
                err().println("exported " + records.size() + " records to " + file);
            }
            return warnings(reader);
        }
    }

    private void checkOptions() {
        if (cursor != null && format != Format.otlp) {
            throw new ParameterException(spec.commandLine(), "--cursor goes with --format otlp");
        }
        if (cursor != null && file == null) {
            throw new ParameterException(spec.commandLine(), "--cursor needs --out DIR, the directory the new files go in");
        }
        if (service != null && format != Format.otlp) {
            throw new ParameterException(spec.commandLine(), "--service goes with --format otlp");
        }
        if (service != null && (service.isBlank() || service.length() > PstoreConfig.MAX_SERVICE_LENGTH
                || service.codePoints().anyMatch(Character::isISOControl))) {
            throw new ParameterException(spec.commandLine(), "--service takes a name of 1 to " + PstoreConfig.MAX_SERVICE_LENGTH
                    + " printable characters");
        }
    }

    /** --service, else what the application booted with, else OpenTelemetry's own default. */
    private String serviceOf(PstoreReader reader) {
        return service != null ? service : reader.service().orElse(Run.UNKNOWN_SERVICE);
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

    private void otlp(PstoreReader reader, OutputStream out) throws IOException {
        OtlpLines lines = new OtlpLines(out, System.currentTimeMillis() * 1_000_000L, VersionProvider.version());
        new StoreLogs(reader, serviceOf(reader), lines, Selection.ALL).write();
    }

    private void write(PstoreReader reader, List<PstoreRecord> records, Writer w) throws IOException {
        if (format == Format.otlp) {
            OutputStream out = new Utf8Lines(w);
            otlp(reader, out);
            out.flush();
            return;
        }
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

    /** OTLP lines to stdout's writer: OtlpLines writes whole UTF-8 sequences (a record, a bracket) at a time. */
    private static final class Utf8Lines extends OutputStream {
        private final Writer w;

        Utf8Lines(Writer w) {
            this.w = w;
        }

        @Override
        public void write(int b) throws IOException {
            w.write((char) b); // only ASCII punctuation comes one byte at a time
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            w.write(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() throws IOException {
            w.flush();
        }
    }
}
