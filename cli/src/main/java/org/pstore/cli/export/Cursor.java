package org.pstore.cli.export;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.pstore.cli.otlp.Selection;
import org.pstore.cli.otlp.Shipped;
import org.pstore.reader.ConsoleTail;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * What an incremental export has shipped: per run (boot id, so that a store made anew is not taken for the
 * old one), the ids of its records; the last console journal entry read, by position and by what tells it
 * from another entry at that position; the number of the last file written. A text of a few lines:
 *
 * <pre>
 * pstore export cursor 1
 * generation 7
 * journal 81604378630 3 1796108816203 -1190289745
 * run 7d0f...e1 3000000001-3000000042
 * output .pstore-...tmp pstore-...jsonl /var/lib/pstore/export
 * </pre>
 * The {@code output} line names the file the generation wrote (its temporary and final names, and the
 * directory), so that a run killed before it finished can finish it.
 */
final class Cursor {
    static final String HEADER = "pstore export cursor 1";
    static final Cursor EMPTY = new Cursor(0, null, Map.of(), null);

    /** A journal entry: its position and what tells it from another at that position. */
    record Anchor(long position, long boot, long timeMillis, int checksum) {
        static Anchor of(ConsoleTail.Batch b) {
            return new Anchor(b.position(), b.boot(), b.timeMillis(), b.checksum());
        }

        boolean is(ConsoleTail.Batch b) {
            return b.position() == position && b.boot() == boot && b.timeMillis() == timeMillis && b.checksum() == checksum;
        }
    }

    /** The file a generation wrote: {@code temporary} in {@code dir}, renamed to {@code name}. */
    record Output(String temporary, String name, String dir) {
    }

    private final long generation;
    private final Anchor journal;
    private final Map<UUID, LongRanges> runs;
    private final Output output;

    private Cursor(long generation, Anchor journal, Map<UUID, LongRanges> runs, Output output) {
        this.generation = generation;
        this.journal = journal;
        this.runs = runs;
        this.output = output;
    }

    long generation() {
        return generation;
    }

    Output output() {
        return output;
    }

    /**
     * The records and journal entries this cursor has not seen. A journal entry is new when it comes after the
     * anchor; when the anchor is not in the journal at all (a journal made anew, or trimmed past it), every
     * entry there is new.
     */
    Selection selection() {
        return new Selection() {
            private boolean anchored;

            @Override
            public boolean wanted(PstoreRecord r) {
                LongRanges seen = r.bootId() == null ? null : runs.get(r.bootId());
                return seen == null || !seen.contains(r.id());
            }

            @Override
            public void saw(ConsoleTail.Batch b) {
                anchored |= journal != null && journal.is(b);
            }

            @Override
            public boolean wanted(ConsoleTail.Batch b) {
                return !anchored || b.position() > journal.position();
            }
        };
    }

    /**
     * The cursor after {@code shipped} was written to {@code output}: its records added; the runs no record in
     * {@code listed} (what the store holds now) belongs to dropped, since ids are never reused.
     */
    Cursor after(Shipped shipped, Collection<PstoreRecord> listed, Output output) {
        Set<UUID> live = listed.stream().filter(r -> r.type() != RecordType.CONSOLE && r.bootId() != null)
                .map(PstoreRecord::bootId).collect(Collectors.toSet());
        Map<UUID, LongRanges> next = new LinkedHashMap<>();
        runs.forEach((run, ids) -> {
            if (live.contains(run)) {
                next.put(run, ids);
            }
        });
        for (PstoreRecord r : shipped.records()) {
            if (r.bootId() != null && live.contains(r.bootId())) {
                next.computeIfAbsent(r.bootId(), k -> new LongRanges()).add(r.id());
            }
        }
        Anchor anchor = shipped.lastBatch() != null ? Anchor.of(shipped.lastBatch()) : journal;
        return new Cursor(generation + 1, anchor, next, output);
    }

    String text() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("generation ").append(generation).append('\n');
        if (journal != null) {
            sb.append("journal ").append(journal.position()).append(' ').append(journal.boot()).append(' ')
                    .append(journal.timeMillis()).append(' ').append(journal.checksum()).append('\n');
        }
        runs.forEach((run, ids) -> sb.append("run ").append(run).append(' ').append(ids).append('\n'));
        if (output != null) {
            sb.append("output ").append(output.temporary()).append(' ').append(output.name()).append(' ').append(output.dir()).append('\n');
        }
        return sb.toString();
    }

    /** The inverse of {@link #text()}; IllegalArgumentException saying what is wrong on anything else. */
    static Cursor parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length < 2 || !lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("it does not start with '" + HEADER + "'");
        }
        long generation = -1;
        Anchor journal = null;
        Map<UUID, LongRanges> runs = new LinkedHashMap<>();
        Output output = null;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ", 4);
            try {
                switch (f[0]) {
                    case "generation" -> generation = Long.parseLong(f[1]);
                    case "journal" -> journal = new Anchor(Long.parseLong(f[1]), Long.parseLong(f[2]),
                            Long.parseLong(f[3].split(" ")[0]), Integer.parseInt(f[3].split(" ")[1]));
                    case "run" -> {
                        if (runs.put(UUID.fromString(f[1]), LongRanges.parse(f[2])) != null) {
                            throw new IllegalArgumentException("run " + f[1] + " twice");
                        }
                    }
                    case "output" -> output = new Output(name(f[1]), name(f[2]), Objects.requireNonNull(f[3]));
                    default -> throw new IllegalArgumentException("unknown line");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " ('" + abbreviate(lines[i]) + "') is not understood"
                        + (e.getMessage() != null ? ": " + e.getMessage() : ""), e);
            }
        }
        if (generation < 0) {
            throw new IllegalArgumentException("it has no generation line");
        }
        return new Cursor(generation, journal, runs, output);
    }

    /** A file name of ours: no directory part, nothing hidden in it. */
    private static String name(String s) {
        if (!s.matches("[A-Za-z0-9._-]{1,200}") || s.equals(".") || s.equals("..")) {
            throw new IllegalArgumentException("bad file name");
        }
        return s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** The runs and ids, for tests and messages. */
    List<String> runs() {
        List<String> out = new ArrayList<>();
        runs.forEach((run, ids) -> out.add(run + " " + ids));
        return out;
    }
}
