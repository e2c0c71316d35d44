package org.pstore.cli.export;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.pstore.cli.Checkpoint;
import org.pstore.cli.CliException;
import org.pstore.cli.otlp.OtlpLines;
import org.pstore.cli.otlp.Shipped;
import org.pstore.cli.otlp.StoreLogs;
import org.pstore.core.StoreException;
import org.pstore.core.store.StoreFiles;
import org.pstore.reader.PstoreReader;

/**
 * {@code export --format otlp --cursor FILE --out DIR/}: what the cursor has not seen, as a new file in DIR,
 * {@code pstore-<UTC time>-<cursor tag>-<generation>.jsonl}, which appears whole (a hidden temporary file,
 * forced, renamed); then the cursor moves ({@link CursorFile}). Every record is in exactly one file however
 * the runs are killed, as long as nothing but pstore removes its hidden temporary files.
 */
public final class IncrementalExport {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** What one run did: the file it wrote (null when there was nothing new), and how much went into it. */
    public record Result(Path file, long records, long consoleLines, long logRecords) {
    }

    private IncrementalExport() {
    }

    public static Result run(PstoreReader reader, String service, String version, Path cursorPath, Path dir) throws IOException {
        if (dir.toString().contains("\n")) {
            throw new CliException("cannot export into a directory whose name holds a newline");
        }
        Path out = dir.toAbsolutePath().normalize();
        try {
            StoreFiles.createDirectory(out);
        } catch (StoreException e) {
            throw new CliException("cannot export to " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(out)) {
            throw new CliException("cannot export to " + dir + ": permission denied");
        }
        try (CursorFile cursors = CursorFile.lock(cursorPath)) {
            Cursor cursor = cursors.load();
            String tag = tag(cursorPath);
            removeStrays(out, tag);
            long now = System.currentTimeMillis();
            String name = "pstore-" + STAMP.format(Instant.ofEpochMilli(now)) + "-" + tag + "-" + String.format("%06d", cursor.generation() + 1)
                    + ".jsonl";
            Path tmp = StoreFiles.temporaryFor(out.resolve(name));
            Shipped shipped;
            long logRecords;
            try (FileChannel ch = StoreFiles.createNew(tmp)) {
                OutputStream file = new FirstWrite(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
                OtlpLines lines = new OtlpLines(file, now * 1_000_000L, version);
                shipped = new StoreLogs(reader, service, lines, cursor.selection()).write();
                logRecords = lines.records();
                file.flush();
                ch.force(true);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Checkpoint.reached("export.written");
            if (shipped.nothing()) {
                Files.deleteIfExists(tmp);
                return new Result(null, 0, 0, 0);
            }
            // From here the temporary file is kept whatever happens: once the pending cursor names it, the next run
            // renames it into view; before that, the next run removes it as a stray.
            cursors.commit(cursor.after(shipped, reader.records(), new Cursor.Output(tmp.getFileName().toString(), name, out.toString())));
            return new Result(out.resolve(name), shipped.records().size(), shipped.consoleLines(), logRecords);
        }
    }

    /** Eight hex digits naming the cursor, in the names of the files it writes: its strays are told from others'. */
    static String tag(Path cursor) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cursor.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Temporary files of this cursor that a killed run left before its cursor named them: never shown, removed. */
    private static void removeStrays(Path dir, String tag) throws IOException {
        Pattern stray = Pattern.compile("\\.pstore-\\d{8}T\\d{6}Z-" + tag + "-\\d{6,}\\.jsonl\\.[0-9a-f]{24}\\.tmp");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (stray.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Reaches the checkpoint "export.writing" at the first bytes written, so that a test can kill the run mid-file. */
    private static final class FirstWrite extends FilterOutputStream {
        private boolean first = true;

        FirstWrite(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (first) {
                first = false;
                out.write(b, off, len);
                out.flush();
                Checkpoint.reached("export.writing");
                return;
            }
            out.write(b, off, len);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}
