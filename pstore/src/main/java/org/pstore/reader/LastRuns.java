package org.pstore.reader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.pstore.core.store.StoreFiles;
import org.pstore.lastwords.HsErrFiles;
import org.pstore.lastwords.HsErrRecords;
import org.pstore.lastwords.Judge;
import org.pstore.lastwords.Judgement;
import org.pstore.lastwords.RunMark;
import org.pstore.lastwords.StartMark;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * How the runs of a store's writer ended: the judgements the boots recorded of their predecessors
 * ({@code ending} records), and the last boot's, judged now from its run mark (running, when its writer is
 * alive). Read-only.
 */
public final class LastRuns {
    /** A heartbeat this recent says the writer is alive where the process's start time cannot be read. */
    private static final long ALIVE_BEAT_MILLIS = 5000;
    /** How far the JVM's start and the process's start, as the OS reports it, may differ for the same process. */
    private static final long SAME_START_MILLIS = 3000;

    private LastRuns() {
    }

    /** The last boot's judgement, from its run mark; empty when the store has none (a store older than run marks). */
    public static Optional<Judgement> last(PstoreReader reader) {
        RunMark.Read mark = RunMark.read(reader.dir());
        if (mark == null) {
            return Optional.empty();
        }
        return Optional.of(Judge.judge(mark, reader.records(), r -> payload(reader, r), alive(mark), owner(reader), null));
    }

    /** Every run the store knows the ending of, oldest first: the recorded ones, then the last boot's. */
    public static List<Judgement> all(PstoreReader reader) {
        List<Judgement> all = new ArrayList<>();
        for (PstoreRecord r : reader.records()) {
            if (r.type() == RecordType.ENDING) {
                byte[] text = payload(reader, r);
                Judgement j = text == null ? null : Judgement.parse(new String(text, StandardCharsets.UTF_8));
                if (j != null) {
                    all.add(j);
                }
            }
        }
        last(reader).ifPresent(j -> {
            all.removeIf(o -> o.boot() == j.boot());
            all.add(j);
        });
        all.sort(Comparator.comparingLong(Judgement::boot));
        return all;
    }

    /** The one-line summary of an {@code ending} or {@code hserr} record, for {@code list}; empty for others. */
    public static Optional<String> summary(PstoreReader reader, PstoreRecord r) {
        if (r.type() == RecordType.ENDING) {
            byte[] text = payload(reader, r);
            Judgement j = text == null ? null : Judgement.parse(new String(text, StandardCharsets.UTF_8));
            return j == null ? Optional.empty() : Optional.of("boot " + j.boot() + " (pid " + j.pid() + "): " + j.ending().word()
                    + (j.headline().isEmpty() ? "" : ", " + j.headline().get(0)));
        }
        if (r.type() == RecordType.HSERR && r.part() == 1) {
            byte[] first = payload(reader, r);
            List<String> headline = first == null ? List.of() : HsErrFiles.headline(first);
            return Optional.of("hs_err of boot " + r.count() + (headline.isEmpty() ? "" : ": " + String.join("; ", headline)));
        }
        return Optional.empty();
    }

    /** The hs_err file that {@code part} belongs to, put back together byte for byte; null when a part is missing. */
    public static byte[] hsErrFile(PstoreReader reader, PstoreRecord part) {
        List<PstoreRecord> parts = HsErrRecords.parts(reader.records(), part);
        if (parts.isEmpty() || !parts.get(parts.size() - 1).lastPart() || parts.size() != parts.get(parts.size() - 1).part()) {
            return null;
        }
        return HsErrRecords.join(parts, r -> payload(reader, r));
    }

    /**
     * Whether the writer of {@code mark} runs: its pid is alive and is the same process (its start matches the
     * JVM's start in the mark), or, where the start cannot be read, its heartbeat is recent.
     */
    static boolean alive(RunMark.Read mark) {
        Optional<ProcessHandle> p = ProcessHandle.of(mark.pid()).filter(ProcessHandle::isAlive);
        if (p.isEmpty() || mark.ended()) {
            return false;
        }
        Optional<Instant> started = p.get().info().startInstant();
        Optional<Long> jvmStart = mark.start().number(StartMark.JVM_START);
        if (started.isPresent() && jvmStart.isPresent()) {
            return Math.abs(started.get().toEpochMilli() - jvmStart.get()) <= SAME_START_MILLIS;
        }
        return System.currentTimeMillis() - mark.beatMillis() < ALIVE_BEAT_MILLIS;
    }

    private static int owner(PstoreReader reader) {
        try {
            return StoreFiles.ownerUid(reader.dir());
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] payload(PstoreReader reader, PstoreRecord r) {
        Payload p = reader.payload(r);
        return p == null || p.stillCompressed() ? null : p.bytes();
    }
}
