package org.pstore.cli.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.pstore.cli.Checkpoint;
import org.pstore.cli.CliException;
import org.pstore.cli.archive.ArchiveTree;
import org.pstore.cli.output.Progress;
import org.pstore.cli.output.RecordJson;
import org.pstore.core.Status;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Archives like systemd-pstore: every record to a file named as in pstorefs, grouped by run and by crash,
 * each crash's dmesg parts reassembled oldest first into dmesg.txt; then erases what was archived. A
 * record is erased only after its copy (and its crash's dmesg.txt) is on disk (fsync'd), so an interrupted
 * archive loses nothing; running it again finishes the job and copies nothing twice ({@link ArchiveTree}).
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
    @Option(names = "--to", paramLabel = "DIR", required = true,
            description = "Where to put the files. Directories archive makes are owner-only; an existing DIR is left as it is.")
    Path to;

    @Option(names = "--keep", description = "Copy only; erase nothing (works while the application runs).")
    boolean keep;

    @Option(names = "--ignore-owner", description = "Erase even when the store belongs to another user (see the README's threat model).")
    boolean ignoreOwner;

    @Override
    public Integer call() throws IOException {
        ArchiveTree tree = ArchiveTree.prepare(to); // the target first: nothing is opened for a target that cannot be
        try (PstoreReader reader = store().open()) {
            List<PstoreRecord> records = reader.records();
            if (!keep && !records.isEmpty()) {
                requireOwner(reader, ignoreOwner);
            }
            PstoreReader.Eraser eraser = keep || records.isEmpty() ? null : reader.eraser(); // fails early when the store is in use
            if (eraser != null) {
                tree.tidy(); // the writer lock held: no other archive that erases is writing here
            }
            try {
                Set<Path> dumps = new LinkedHashSet<>();
                List<PstoreRecord> kept = new ArrayList<>();
                int written = 0;
                try (Progress progress = Progress.of("archiving", records.size())) {
                    for (PstoreRecord r : records) {
                        Payload p = reader.payload(r);
                        if (p == null) {
                            continue; // erased meanwhile: nothing to keep
                        }
                        Path dir = groupOf(tree, r);
                        if (tree.keep(dir, r.name() + (p.stillCompressed() ? ".enc.z" : ""), p.bytes()) == ArchiveTree.Kept.WRITTEN) {
                            written++;
                        }
                        if (r.type() == RecordType.DMESG) {
                            dumps.add(dir);
                        }
                        kept.add(r);
                        progress.step();
                        Checkpoint.reached("archive.copied");
                    }
                }
                for (Path dump : dumps) {
                    tree.assembleDmesg(dump);
                }
                tree.sync();
                Checkpoint.reached("archive.synced");
                String copied = "archived " + written + " records to " + to
                        + (kept.size() > written ? " (" + (kept.size() - written) + " were there already)" : "");
                if (eraser == null) {
                    text().println(copied + (keep ? " (kept in the store)" : ""));
                    text().flush();
                    return warnings(reader);
                }
                Failed failed = erase(eraser, kept);
                if (failed != null) {
                    throw new CliException(copied + ", but could not erase " + failed.count + " of them (" + failed.first.name()
                            + ": " + failed.why.description() + "); their copies are safe there, and archiving again copies nothing twice");
                }
                text().println(copied + ", erased " + kept.size() + " from the store");
                text().flush();
            } finally {
                if (eraser != null) {
                    eraser.close();
                }
            }
            return warnings(reader);
        }
    }

    private static Path groupOf(ArchiveTree tree, PstoreRecord r) {
        String boot = "boot-" + r.bootNumber();
        String reason = RecordJson.reasonWord(r);
        return r.type() == RecordType.DMESG && reason != null ? tree.directory(boot, reason + "-" + r.count()) : tree.directory(boot);
    }

    private record Failed(int count, PstoreRecord first, Status why) {
    }

    /** Erases every record kept; those that cannot be erased are counted, the first named; null when none. */
    private static Failed erase(PstoreReader.Eraser eraser, List<PstoreRecord> kept) {
        int failures = 0;
        PstoreRecord first = null;
        Status why = null;
        for (PstoreRecord r : kept) {
            Status s = eraser.erase(r);
            Checkpoint.reached("archive.erased");
            if (!s.ok() && s != Status.NOT_FOUND) {
                if (failures++ == 0) {
                    first = r;
                    why = s;
                }
            }
        }
        return failures == 0 ? null : new Failed(failures, first, why);
    }
}
