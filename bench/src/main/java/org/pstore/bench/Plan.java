package org.pstore.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What a run measures and how carefully: JMH runs grouped by their iteration settings, plus the boot probes.
 * Short mode (the default) takes a few minutes on 2 cores; full mode is for careful numbers.
 */
final class Plan {
    /** One JMH run: these benchmark methods with these fork and iteration settings. */
    record Group(String name, List<String> methods, int forks, int warmups, TimeValue warmupTime, int iterations,
                 TimeValue iterationTime, boolean singleShot, double estimateSeconds) {

        String settings() {
            if (singleShot) {
                return forks + " fork(s), " + warmups + " warm-up shots, " + iterations + " measured shots";
            }
            return forks + " fork(s), " + warmups + " x " + warmupTime + " warm-up, " + iterations + " x " + iterationTime + " measurement";
        }
    }

    final boolean full;
    final List<Group> groups = new ArrayList<>();
    final int bootRuns;

    Plan(boolean full, boolean cliAvailable) {
        this.full = full;
        int f = full ? 3 : 1;
        int wi = full ? 5 : 2;
        int mi = full ? 5 : 3;
        TimeValue t = TimeValue.seconds(full ? 2 : 1);
        double perRun = f * (wi + mi) * t.getTime() + f * 2.0;
        groups.add(timed("store write", methods("StoreWriteBench", "chronicleRaw", "pmsgWorker", "pmsgLegacy",
                "pmsgWorker4", "pmsgLegacy4"), f, wi, mi, t, 16 * perRun));
        groups.add(timed("hand-off floor", methods("HandOffBench", "spin", "yield"), f, wi, mi, t, 2 * perRun));
        groups.add(timed("durable write", methods("DurableWriteBench", "fdatasyncFloor", "msyncFloor", "pmsgPower", "pmsgProcess"),
                f, wi, mi, t, 8 * perRun));
        // Capture: two forks and a longer warm-up even in short mode. In its first seconds each fork's journal
        // is still laying out new file pages and the anchors' files grow, and one short fork's ratio moved by
        // half from run to run; what a service pays is the steady state.
        int cf = full ? 3 : 2;
        int cwi = full ? 5 : 4;
        int cmi = 5;
        groups.add(timed("capture", methods("CaptureBench", "julDisabled", "julPstoreCapture", "captureApi",
                "logbackPstoreAppender", "log4j2PstoreAppender", "logbackNoopAppender", "log4j2NoopAppender", "logbackAsyncFile",
                "log4j2AsyncRandomAccessFile"), cf, cwi, cmi, t, 9 * (cf * (cwi + cmi) * t.getTime() + cf * 2.0)));
        groups.add(timed("panic parts", methods("PanicDumpBench", "threadDump", "floor"), f, wi, mi, t, 3 * perRun));
        // Long iterations: JMH's own bookkeeping allocates a few KiB per iteration, which must be spread over
        // >10 000 dumps for the write path's gc.alloc.rate.norm to read below 1 B/op. Not longer: a crash-time
        // write never compacts, and the store (1 GiB) must hold every part written in one fork.
        groups.add(timed("panic write path", methods("PanicDumpBench", "writePath"), f, 1, 3, TimeValue.seconds(4),
                f * (2 + 12 + 6)));
        int shots = full ? 100 : 30;
        int warmShots = full ? 20 : 10;
        groups.add(new Group("panic", methods("PanicDumpBench", "panic"), f, warmShots, null, shots, null, true,
                2 * f * (6 + (shots + warmShots) * 0.15)));
        int readerForks = full ? 2 : 1;
        groups.add(new Group("reader", methods("ReaderBench", "readerScan"), readerForks, 1, null, full ? 3 : 2, null, true,
                readerForks * (10 + (full ? 4 : 3) * 20)));
        if (cliAvailable) {
            groups.add(new Group("cli", methods("ReaderBench", "cliListJson", "cliExportJsonl", "cliExportOtlp"), 1, 1, null,
                    full ? 10 : 5, null, true, 3 * (8 + (full ? 11 : 6) * 3.5)));
        }
        bootRuns = full ? 30 : 10;
    }

    private static Group timed(String name, List<String> methods, int forks, int warmups, int iterations, TimeValue time,
                               double estimate) {
        TimeValue warmup = time.getTime() > 2 ? TimeValue.seconds(2) : time;
        return new Group(name, methods, forks, warmups, warmup, iterations, time, false, estimate);
    }

    private static List<String> methods(String benchClass, String... names) {
        List<String> list = new ArrayList<>();
        for (String n : names) {
            list.add(Plan.class.getPackageName() + "." + benchClass + "." + n);
        }
        return list;
    }

    double bootEstimateSeconds() {
        return bootRuns * 3 * 0.9;
    }

    /** Keeps only the benchmarks (and the boot probes, named "BootBench") whose name {@code only} finds. */
    Plan only(Pattern only) {
        if (only == null) {
            return this;
        }
        List<Group> kept = new ArrayList<>();
        for (Group g : groups) {
            List<String> m = g.methods().stream().filter(s -> only.matcher(s).find()).toList();
            if (!m.isEmpty()) {
                kept.add(new Group(g.name(), m, g.forks(), g.warmups(), g.warmupTime(), g.iterations(), g.iterationTime(),
                        g.singleShot(), g.estimateSeconds() * m.size() / g.methods().size()));
            }
        }
        groups.clear();
        groups.addAll(kept);
        return this;
    }

    boolean runsBoot(Pattern only) {
        return only == null || only.matcher(BootBench.class.getName()).find();
    }
}
