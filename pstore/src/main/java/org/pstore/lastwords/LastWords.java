package org.pstore.lastwords;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.zip.CRC32C;

import org.pstore.backend.Backend;
import org.pstore.backend.RecordWrite;
import org.pstore.core.Status;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableOps;
import org.pstore.core.store.StoreFiles;
import org.pstore.panic.Redaction;
import org.pstore.record.Identity;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * At boot, the last words of the previous run: judges how it ended, ingests its hs_err file, records the
 * judgement as an {@code ending} record (so the history survives an erase of the journals), then starts this
 * run's mark. Secret-looking values in the hs_err file are masked before it is stored. Nothing here fails a boot: a part that fails is reported to {@code problems} and skipped.
 */
public final class LastWords {
    /** An hs_err file is ingested only when its parts take at most this share of the store's free space. */
    private static final int FREE_SHARE = 2;

    private LastWords() {
    }

    /**
     * @param found   the records the store holds now (before this boot wrote any)
     * @param payload a record's payload, decompressed
     * @return this run's mark, mapped for the heartbeat and the end mark; null when it could not be made
     */
    public static RunMark atBoot(Path dir, long boot, List<PstoreRecord> found, Function<PstoreRecord, byte[]> payload, Backend backend,
                                 VariableOps ops, Identity identity, RecordIds ids, int recordSize, Redaction redaction,
                                 Consumer<String> problems) {
        try {
            RunMark.Read previous = RunMark.read(dir);
            if (previous != null && previous.boot() < boot) {
                record(dir, previous, found, payload, backend, ops, identity, ids, recordSize, redaction, problems);
            }
        } catch (RuntimeException e) {
            problems.accept("the previous run's ending was not recorded: " + e);
        }
        try {
            return RunMark.begin(dir, boot, identity.pid(), System.currentTimeMillis(), StartMark.ofThisJvm());
        } catch (IOException | RuntimeException e) {
            problems.accept("no run mark for this boot (" + e.getMessage() + "): the next boot cannot tell how it ends");
            return null;
        }
    }

    private static void record(Path dir, RunMark.Read previous, List<PstoreRecord> found, Function<PstoreRecord, byte[]> payload,
                               Backend backend, VariableOps ops, Identity identity, RecordIds ids, int recordSize, Redaction redaction,
                               Consumer<String> problems) {
        int owner = ownerUid(dir);
        byte[] hsErr = null;
        String notIngested = null;
        Optional<Path> file = Judge.freshHsErr(previous);
        if (file.isPresent()) {
            try {
                hsErr = redacted(HsErrFiles.read(file.get(), owner), redaction);
            } catch (IOException e) {
                notIngested = e.getMessage();
            }
        }
        Judgement j = Judge.judge(previous, found, payload, false, owner, hsErr);
        List<String> evidence = new ArrayList<>(j.evidence());
        List<String> related = new ArrayList<>(j.related());
        String hsErrName = j.hsErr();
        String next = j.next();
        if (hsErr != null) {
            StoreSpace space = new StoreSpace();
            long room = ops.query(space).ok() ? space.free() / FREE_SHARE : 0;
            if (hsErr.length / 3 > room) {
                notIngested = "the store has " + space.free() + " bytes free above its reserve";
            } else {
                List<String> names = HsErrRecords.write(hsErr, backend, identity, ids, recordSize, previous.boot());
                if (names.isEmpty()) {
                    notIngested = "the store refused it";
                } else {
                    evidence.add("ingested as " + names.get(0) + (names.size() > 1 ? " and " + (names.size() - 1) + " more parts" : "")
                            + " (" + hsErr.length + " bytes)");
                    related.addAll(0, names);
                    hsErrName = names.get(0);
                    next = "pstore show " + hsErrName;
                }
            }
        }
        if (notIngested != null) {
            evidence.add("hs_err file not ingested: " + notIngested);
        }
        Judgement recorded = new Judgement(j.ending(), j.boot(), j.pid(), j.started(), j.lastSign(), j.ended(), j.exit(), j.exitStatus(),
                evidence, j.likely(), related, hsErrName, j.headline(), j.jfr(), j.console(), next);
        write(recorded, backend, identity, ids, recordSize, problems);
    }

    private static void write(Judgement j, Backend backend, Identity identity, RecordIds ids, int recordSize, Consumer<String> problems) {
        byte[] text = j.text(recordSize).getBytes(StandardCharsets.UTF_8);
        int h = RecordFormat.headerLength(identity);
        byte[] frame = new byte[h + text.length];
        System.arraycopy(text, 0, frame, h, text.length);
        long id = ids.nextNormal();
        int size = RecordFormat.seal(frame, identity, RecordType.ENDING, 0, false, 0, 0, id, System.currentTimeMillis(), text.length,
                new CRC32C());
        Status s = backend.write(new RecordWrite().set(RecordType.ENDING, 0, 0, id, false, frame, size));
        if (!s.ok()) {
            problems.accept("the previous run's ending was not recorded: " + s.description());
        }
    }

    /**
     * The hs_err file with the value of every secret-looking {@code name=value} masked (its jvm_args line and its
     * environment variables carry the JVM's arguments as given): byte for byte otherwise, read as Latin-1 so
     * that no byte is reinterpreted.
     */
    static byte[] redacted(byte[] file, Redaction redaction) {
        String text = new String(file, StandardCharsets.ISO_8859_1);
        String masked = redaction.redact(text);
        return masked.equals(text) ? file : masked.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int ownerUid(Path dir) {
        try {
            return StoreFiles.ownerUid(dir);
        } catch (IOException e) {
            return -1;
        }
    }
}
