package org.pstore.cli.command;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.pstore.cli.CliException;
import org.pstore.cli.StoreOption;
import org.pstore.cli.output.Progress;
import org.pstore.cli.output.RecordJson;
import org.pstore.core.Status;
import org.pstore.core.store.StoreFiles;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Archives like systemd-pstore: every record to a file named as in pstorefs, grouped by run and by crash,
 * each crash's dmesg parts reassembled oldest first into dmesg.txt; then erases what was archived. A
 * record is erased only after its copy (and its crash's dmesg.txt) is on disk (fsync'd), so an interrupted
 * archive loses nothing; running it again finishes the job.
 *
 * <pre>
 * DIR/boot-3/console-efi-3000000000
 * DIR/boot-3/pmsg-efi-3000000002
 * DIR/boot-3/panic-1/dmesg-efi-3000000005 ... dmesg.txt
 * </pre>
 */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = {"Copy every record to files, then erase what was copied.",
            "Files are named as in pstorefs and grouped by run and by crash under DIR, each crash's parts "
                + "reassembled oldest first into dmesg.txt. A record is erased only once its copy is on disk."},
        usageHelpAutoWidth = true)
public final class ArchiveCommand extends StoreCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Option(names = "--to", paramLabel = "DIR", required = true, description = "Where to put the files (created owner-only).")
    Path to;

    @Option(names = "--keep", description = "Copy only; erase nothing (works while the application runs).")
    boolean keep;

    @Override
    public Integer call() throws IOException {
        try (PstoreReader reader = store.open()) {
            List<PstoreRecord> records = reader.records();
            PstoreReader.Eraser eraser = keep || records.isEmpty() ? null : reader.eraser(); // fails early when the store is in use
            try {
                StoreFiles.createDirectory(to);
                Map<Path, List<PstoreRecord>> dumps = new LinkedHashMap<>();
                List<PstoreRecord> copied = new ArrayList<>();
                try (Progress progress = Progress.of("archiving", records.size())) {
                    for (PstoreRecord r : records) {
                        Payload p = reader.payload(r);
                        if (p == null) {
                            continue; // erased meanwhile: nothing to keep
                        }
                        Path dir = groupOf(r);
                        StoreFiles.createDirectory(dir);
                        writeDurably(dir.resolve(r.name() + (p.stillCompressed() ? ".enc.z" : "")), p.bytes());
                        if (r.type() == RecordType.DMESG) {
                            dumps.computeIfAbsent(dir, k -> new ArrayList<>()).add(r);
                        }
                        copied.add(r);
                        progress.step();
                    }
                }
                for (Map.Entry<Path, List<PstoreRecord>> dump : dumps.entrySet()) {
                    writeDmesgTxt(reader, dump.getKey(), dump.getValue());
                }
                syncDirectories(dumps.keySet());
                int erased = eraser == null ? 0 : erase(eraser, copied);
                text().println("archived " + copied.size() + " records to " + to
                        + (keep ? " (kept in the store)" : ", erased " + erased + " from the store"));
                text().flush();
            } finally {
                if (eraser != null) {
                    eraser.close();
                }
            }
            return warnings(reader);
        }
    }

    private Path groupOf(PstoreRecord r) {
        Path boot = to.resolve("boot-" + r.bootNumber());
        String reason = RecordJson.reasonWord(r);
        return r.type() == RecordType.DMESG && reason != null ? boot.resolve(reason + "-" + r.count()) : boot;
    }

    /** dmesg.txt: the parts' text, oldest part first, as systemd-pstore assembles it. */
    private static void writeDmesgTxt(PstoreReader reader, Path dir, List<PstoreRecord> parts) throws IOException {
        parts.sort((a, b) -> Integer.compare(b.part(), a.part()));
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        for (PstoreRecord p : parts) {
            Payload payload = reader.payload(p);
            if (payload != null && !payload.stillCompressed()) {
                text.write(payload.bytes());
            }
        }
        writeDurably(dir.resolve("dmesg.txt"), text.toByteArray());
    }

    /** Temp file, owner-only, forced to disk, then renamed over the target: a reader sees all or nothing. */
    static void writeDurably(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            StoreFiles.restrict(tmp, StoreFiles.FILE);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The renames themselves are durable once their directories are synced. */
    private void syncDirectories(java.util.Collection<Path> dumpDirs) throws IOException {
        java.util.Set<Path> dirs = new java.util.LinkedHashSet<>(dumpDirs);
        try (var walk = Files.walk(to)) {
            walk.filter(Files::isDirectory).forEach(dirs::add);
        }
        for (Path d : dirs) {
            try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // some file systems cannot sync a directory; the files themselves were synced
            }
        }
    }

    private int erase(PstoreReader.Eraser eraser, List<PstoreRecord> copied) {
        int erased = 0;
        for (PstoreRecord r : copied) {
            Status s = eraser.erase(r);
            if (s.ok()) {
                erased++;
            } else if (s != Status.NOT_FOUND) {
                throw new CliException("archived, but could not erase " + r.name() + ": " + s.description()
                        + "; its copy is safe in " + to);
            }
        }
        return erased;
    }
}
