package org.pstore.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The "what would close the gap" paragraphs of RESULTS.md, one per missed item, with this run's numbers in
 * them. The reasoning comes from profiling the paths with JMH's stack and GC profilers and a few separate
 * measurements (noted where used); revisit it whenever a change moves the numbers.
 */
final class Gaps {
    private Gaps() {
    }

    /** Item 1's numbers. */
    static final class Write {
        final List<String> perSize = new ArrayList<>();
        String ratios4k = "";
        boolean stalls;

        @SuppressWarnings("unchecked")
        private static Optional<Measurement>[] pairOf(Optional<Measurement> throughput, Optional<Measurement> sample) {
            return new Optional[] {throughput, sample};
        }

        void add(String size, Optional<Measurement> raw, Optional<Measurement> worker, Optional<Measurement> legacy,
                 Optional<Measurement> workerSample, Optional<Measurement> legacySample) {
            if (raw.isEmpty() || worker.isEmpty() || legacy.isEmpty()) {
                return;
            }
            String line = (size.equals("128") ? "128 B" : "4 KiB") + ": raw " + us(1e9 / raw.get().opsPerSecond())
                    + ", legacy " + us(1e9 / legacy.get().opsPerSecond()) + ", worker " + us(1e9 / worker.get().opsPerSecond())
                    + " per write on average";
            if (workerSample.isPresent() && legacySample.isPresent()) {
                line += " (p99: legacy " + us(legacySample.get().toNs(legacySample.get().p99())) + ", worker "
                        + us(workerSample.get().toNs(workerSample.get().p99())) + ")";
            }
            perSize.add(line);
            for (Optional<Measurement>[] pair : List.<Optional<Measurement>[]>of(pairOf(legacy, legacySample), pairOf(worker, workerSample))) {
                if (pair[1].isPresent() && 1e9 / pair[0].get().opsPerSecond() > pair[1].get().toNs(pair[1].get().p99())) {
                    stalls = true;
                }
            }
            if (size.equals("4096")) {
                ratios4k = Report.ratio(legacy.get().opsPerSecond() / raw.get().opsPerSecond()) + "x (legacy) and "
                        + Report.ratio(worker.get().opsPerSecond() / raw.get().opsPerSecond()) + "x (worker)";
            }
        }
    }

    static String storeWrite(Write w) {
        return "This run: " + String.join("; ", w.perSize) + ". The anchor appends the bytes and nothing else; a pmsg write does "
                + "much more, and most of the distance is that extra work, not the append." + (w.stalls ? " Where an average is above "
                + "its p99, the cost sits in rare long pauses (compactions, index rebuilds, GC), not in the typical write." : "")
                + " (1) Framing: Pmsg seals a record of ~100 B "
                + "of header plus the message with a CRC32C, then the store encodes that frame again into its log entry (a second copy "
                + "and a second CRC32C) before Chronicle copies it into the mapped file. (2) Retention: once the pmsg budget is full, "
                + "every write also appends a delete of the oldest pmsg, so each pmsg costs two log entries, and it allocates a name "
                + "String and a bookkeeping object (the GC profiler's B/op above, which also counts index rebuilds). (3) Compaction: "
                + "when the log is full the live pmsgs (the whole budget) are copied into a new generation. A stack profile of "
                + "pmsgLegacy at 128 B (JMH -prof stack) put about a third of the writing thread's samples in compaction reading the "
                + "live entries back one at a time through Chronicle's moveToIndex, which linearly scans its secondary index for each "
                + "entry, and ~6% in rebuilding the variable index: the index reclaims the names of deleted variables only by a "
                + "rebuild that reallocates every slot array, and churning pmsgs trigger one about every budget's worth of writes. "
                + "(4) The worker adds a cross-thread hand-off per write, visible in its p99 on 2 cores. What would close the gap: "
                + "compaction that reads the log sequentially with one tailer (or copies live runs in bulk) instead of moveToIndex per "
                + "entry; a store entry encoded around the frame in place and written once into the Chronicle document under one CRC; "
                + "retention that erases in batches and keeps ids in a primitive ring instead of Strings and objects; an index that "
                + "reclaims its name arena without reallocating its slots; for the worker, group commit (drain every queued request per "
                + "wake-up) and spinning before parking. Even then 0.9x of a bare append is out of reach at 128 B while a pmsg costs "
                + "two log entries and ~100 B of header; at 4 KiB the header is noise and the ratios are already " + w.ratios4k + ".";
    }

    static String capture(Optional<Measurement> jul, Optional<Measurement> api, Optional<Measurement> noop, Optional<Measurement> cheapest) {
        StringBuilder s = new StringBuilder("This run: ");
        jul.ifPresent(j -> s.append("JUL + capture ").append(ns(j.nsPerOp())).append(", "));
        api.ifPresent(a -> s.append("capture API ").append(ns(a.nsPerOp())).append(", "));
        noop.ifPresent(n -> s.append("building the message alone ").append(ns(n.nsPerOp())).append(", "));
        cheapest.ifPresent(c -> s.append("cheapest anchor ").append(ns(c.nsPerOp())).append(". "));
        s.append("The anchors' caller cost in this test is their back-pressure: one caller outruns their file writer, their queue "
                + "fills, and the caller waits for the writer (they drop nothing), so they measure the writer's pace. pstore's ring "
                + "never waits, so its cost is the caller's own work: the uptime prefix, UTF-8 encoding char by char into the "
                + "ring's slots, and the slot headers, with the journal thread reading the same slots from the other core. "
                + "JUL adds its LogRecord (an Instant, a sequence number, the thread id), the level and filter checks, and "
                + "JulCapture's StringBuilder line (\"LEVEL logger: message\") before the same println. What would close the gap: "
                + "encode level, logger name and message straight into the ring's slots (no intermediate line), copy ASCII runs "
                + "in bulk rather than per code point, and keep the capture API's path for code that can call Pstore.log directly.");
        return s.toString();
    }

    /** Item 3's numbers. */
    static final class Panic {
        final List<String> lines = new ArrayList<>();
        double writePathNs = Double.NaN;

        void add(String threads, double panicNs, double dumpNs, double floorNs) {
            lines.add(threads + " threads: panic p50 " + us(panicNs) + " against thread dump " + us(dumpNs) + " + floor "
                    + us(floorNs) + ", leaving " + us(panicNs - dumpNs - floorNs) + " for pstore's own work");
        }

        void writePath(double ns, double alloc) {
            writePathNs = ns;
        }
    }

    static String panic(Panic p) {
        return "This run: " + String.join("; ", p.lines) + (Double.isNaN(p.writePathNs) ? "" : "; the write path alone "
                + us(p.writePathNs)) + ". pstore's own work is the report (cause, deadlock scan, each thread's frames formatted "
                + "into the ring, the JVM facts) and the write path. About three quarters of the write path is Deflate at its "
                + "default level over the 64 KiB tail (measured separately: ~260 us for 64 KiB in four parts at the default level, "
                + "~110 us at BEST_SPEED for an output only ~8% larger). What would close the gap: BEST_SPEED (or an LZ4-class "
                + "codec) for crash parts; formatting the thread dump from the ThreadInfo array without per-frame String "
                + "building; and, since single shots on 2 cores are noisy, judging this item on the full mode's 300 shots.";
    }

    static String reader(Measurement scan) {
        return "This run: " + Report.millis(scan.toNs(scan.p50())) + " to open and list " + Report.count(ReaderBench.RECORDS)
                + " records, allocating " + Report.bytes((long) scan.allocBytesPerOp()) + " per scan. A stack profile of the scan "
                + "(JMH -prof stack) shows where: the reader fetches each live variable by its queue index in hash order, so "
                + "Chronicle maps and unmaps 64 MiB chunks of the 4 GiB sparse generation file over and over (FileChannel map0, "
                + "unmap0 and an msync on every release: about a third of the samples), and every fetch scans Chronicle's secondary "
                + "index linearly (moveToIndex); on top, each record is copied out (Arrays.copyOfRange), its name parsed with "
                + "String.split and decoded into a PstoreRecord with several Strings. What would close the gap: collect the records "
                + "during the replay's own sequential pass over the log (it already reads every entry in order), or read live "
                + "entries sorted by log position with one tailer; map a generation with one chunk covering it, as the writer "
                + "does; decode the header in place and parse the variable name without regular expressions or substrings. "
                + "2 M records/s is ~150 MB/s of ~150 B entries, well within a sequential pass over mapped memory.";
    }

    static String us(double ns) {
        return Report.decimal(ns / 1e3) + " us";
    }

    static String ns(double ns) {
        return Report.decimal(ns) + " ns";
    }
}
