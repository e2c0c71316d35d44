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

    /** Item 1a's numbers: the hand-off floor of this run, and what the worker's hand-off costs beside it. */
    static final class HandOff {
        final Optional<Measurement> spin;
        final Optional<Measurement> yield;
        final List<String> ceilings = new ArrayList<>();
        final List<String> spinCeilings = new ArrayList<>();
        final List<String> measured = new ArrayList<>();

        HandOff(Optional<Measurement> spin, Optional<Measurement> yield) {
            this.spin = spin;
            this.yield = yield;
        }

        void add(String size, Optional<Measurement> worker, Optional<Measurement> legacy, Optional<Measurement> workerSample,
                 Optional<Measurement> legacySample) {
            if (legacy.isEmpty() || spin.isEmpty() || yield.isEmpty()) {
                return;
            }
            double direct = 1e9 / legacy.get().opsPerSecond();
            ceilings.add(Report.ratio(direct / (direct + yield.get().nsPerOp())) + " at " + size);
            spinCeilings.add(Report.ratio(direct / (direct + spin.get().nsPerOp())) + " at " + size);
            if (worker.isPresent() && workerSample.isPresent() && legacySample.isPresent()) {
                double extra = workerSample.get().toNs(workerSample.get().p50()) - legacySample.get().toNs(legacySample.get().p50());
                measured.add(us(extra) + " at " + size + " (" + String.format(java.util.Locale.ROOT, "%.1f", extra / yield.get().nsPerOp())
                        + " yielding round trips)");
            }
        }

        /** The most the one-caller ratio can be with this run's floor, or "" when something was not measured. */
        String ceilings() {
            if (ceilings.isEmpty()) {
                return "";
            }
            return "At one caller a write through the worker costs the legacy write plus at least one round trip, so its ratio "
                    + "to legacy is at most legacy / (legacy + floor): " + String.join(" and ", ceilings) + " with yielding waits ("
                    + String.join(" and ", spinCeilings) + " if both threads spun).";
        }
    }

    static String handOff(HandOff h) {
        StringBuilder s = new StringBuilder("This run: ");
        if (!h.measured.isEmpty()) {
            s.append("the worker's hand-off at one caller (its p50 less the legacy p50) costs ").append(String.join(", ", h.measured))
                    .append(". ");
        }
        s.append(h.ceilings()).append(" The hand-off is more than one round trip: the request crosses on several cache lines "
                + "(its state and link, the queue's tail, its name, its data: two lines for 128 B, 64 for 4 KiB) and the answer "
                + "comes back on another, and the caller and the worker each find their turn only when a yield returns. Spinning "
                + "instead of yielding gives the hand-off its floor only while each thread has a core to itself: measured again "
                + "for this round, 3 us of spinning on both sides before yielding moved one caller's 128 B throughput by 10%, "
                + "within the run's noise; earlier rounds tried spins of 1 to 10 us, a Treiber stack for the queue, padded busy "
                + "fields and parking crowded callers, none better. At four callers five threads share the two cores: the worker "
                + "runs only when no caller is on its core, while the legacy callers each write on whichever core they have. What "
                + "would close it: cores of the worker's own (the spin floor is then the hand-off's cost), or fewer cache lines per "
                + "hand-off (the caller writing its request's name and data in place into one buffer the worker reads).");
        return s.toString();
    }

    static String storeWrite(Write w) {
        return "This run: " + String.join("; ", w.perSize) + ". The anchor appends the bytes and nothing else; a pmsg write does "
                + "much more, and most of the distance is that extra work, not the append." + (w.stalls ? " Where an average is above "
                + "its p99, the cost sits in rare long pauses (compactions, index rebuilds, GC), not in the typical write." : "")
                + " Done in issue 16: retention erases the oldest pmsgs in batches (one erase entry for up to 64 of them, in the "
                + "same store operation as the message), so a pmsg costs about 1.2 log entries once its budget is full instead of "
                + "about 2.3 (the message; an erase entry per few dozen messages; and the pads that keep Chronicle's indexed positions "
                + "away from crash-time writes, about one entry in seven; measured in PmsgRetentionTest: 2 393 entries for 2 000 "
                + "pmsgs with a 64 KiB budget); the worker takes one request per pmsg, stores what is queued meanwhile as one "
                + "group under one lock, and its callers yield instead of spinning; a record is framed once (its entry, sealed, "
                + "checksums the header and name only, since the frame checks itself, and is written around the frame straight into "
                + "the Chronicle document, its name as bytes); the index refills its spare table at each rebuild and compaction "
                + "instead of allocating a new one. What still separates a pmsg from a raw append: (1) the frame's ~100 B header "
                + "and its CRC32C, the entry's header, and the record's name, built as text (about 30 characters); (2) the index "
                + "probe and the pads; (3) compaction when the log is full, which copies every live message again (the more of the "
                + "capacity the pmsg budget takes, the more often); (4) for the worker, the hand-off: the request and its data "
                + "cross from one core to the other and the answer back (item 1a measures the floor of that in the same run), "
                + "plus a scheduling delay whenever the other thread is not on a core (its p99). "
                + "At 4 KiB the header is noise and the ratios are "
                + w.ratios4k + ".";
    }

    static String capture(Optional<Measurement> jul, Optional<Measurement> api, Optional<Measurement> noop, Optional<Measurement> cheapest) {
        StringBuilder s = new StringBuilder("This run: ");
        jul.ifPresent(j -> s.append("JUL + capture ").append(ns(j.nsPerOp())).append(", "));
        api.ifPresent(a -> s.append("capture API ").append(ns(a.nsPerOp())).append(", "));
        noop.ifPresent(n -> s.append("building the message alone ").append(ns(n.nsPerOp())).append(", "));
        cheapest.ifPresent(c -> s.append("cheapest anchor ").append(ns(c.nsPerOp())).append(". "));
        s.append("The anchors' caller cost in this test is their back-pressure: one caller outruns their file writer, their queue "
                + "fills, and the caller waits for the writer (they drop nothing), so they measure the writer's pace. pstore's ring "
                + "never waits, so its cost is the caller's own work: the event's line built as UTF-8 bytes (the time, the thread, level "
                + "and logger names copied from a per-thread table, the message in bulk), the uptime prefix, and the copy into the "
                + "ring's slots of 120 bytes, each claimed and published with atomic operations (three for the two slots a line of "
                + "this test takes: its thread names are about 60 characters), with the journal thread reading the same slots "
                + "from the other core. JUL adds its LogRecord (an Instant, a sequence number, the thread id), the level and "
                + "filter checks, and JulCapture's StringBuilder line before the same println. Tried and no better: slots of 248 "
                + "bytes, so that such a line takes one.");
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
                + "into the ring, the JVM facts) and the write path, most of which is Deflate (at its fastest level) over the "
                + "64 KiB tail. What would close the gap: an LZ4-class codec for crash parts; formatting the thread dump from the "
                + "ThreadInfo array without per-frame String building; and, since single shots on 2 cores are noisy, judging this "
                + "item on the full mode's 300 shots.";
    }

    static String reader(Measurement scan) {
        return "This run: " + Report.millis(scan.toNs(scan.p50())) + " to open and list " + Report.count(ReaderBench.RECORDS)
                + " records, allocating " + Report.bytes((long) scan.allocBytesPerOp()) + " per scan (after the first round of "
                + "fixes took it from 21 s: live entries are now read in one sequential pass marked by a bitmap, the index is one "
                + "cache-friendly table, frames are decoded in place). Where the time goes now, from JFR: about 0.4 s replaying "
                + "the log (each entry hashed and probed in a table of a million names: cache misses dominate), about 0.2 s for the "
                + "live pass, and the rest decoding a PstoreRecord per record (Instant, strings for the name and key) and the "
                + "garbage collections that come with a million objects. What would close the gap: one pass instead of two (decode "
                + "records during the replay, at the cost of decoding the dead ones), a streaming API that hands out flyweight "
                + "records instead of building a list of objects, and a smaller index entry for read-only views (they need no "
                + "room for crash-time inserts).";
    }

    static String us(double ns) {
        return Report.decimal(ns / 1e3) + " us";
    }

    static String ns(double ns) {
        return Report.decimal(ns) + " ns";
    }
}
