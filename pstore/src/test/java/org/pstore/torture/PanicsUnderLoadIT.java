package org.pstore.torture;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;
import org.pstore.core.testing.Torture;
import org.pstore.panic.DumpReason;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * The torture suite, part 2: randomized panics under load. Each run is a real JVM with 8 writer threads
 * ({@link PanicsUnderLoadApp}) and a trigger chosen from the seed, fired after a random delay, on a JDK
 * chosen from those installed: exactly one intact crash record comes out of it, holding the cause.
 */
class PanicsUnderLoadIT {
    private static final List<String> TRIGGERS = List.of("panic", "uncaught", "oom", "stackoverflow", "deadlock", "stuck-write");

    @TempDir
    Path work;

    @Test
    void everyRunLeavesExactlyOneCrashRecordWithItsCause() throws Exception {
        Torture.Report report = Torture.start("panics-under-load");
        Random rnd = report.random();
        int runs = Torture.scale(30, 300);
        List<Jdks.Jdk> jdks = Jdks.all();
        report.tried(runs + " runs, 8 writer threads each, triggers " + TRIGGERS + ", on " + jdks);
        // Two runs at a time: a child spends most of its life starting and halting, one core each is enough.
        // Every choice is made from the seed in run order, before its child starts.
        List<Run> pending = new java.util.ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            String trigger = run <= TRIGGERS.size() ? TRIGGERS.get(run - 1) : TRIGGERS.get(rnd.nextInt(TRIGGERS.size())); // each at least once
            Jdks.Jdk jdk = jdks.get(rnd.nextInt(jdks.size()));
            int delay = 50 + rnd.nextInt(400);
            int hoarder = rnd.nextInt(8);
            String token = "cause-" + Long.toHexString(rnd.nextLong());
            Path store = work.resolve("run-" + run);
            JvmFork fork = JvmFork.of(PanicsUnderLoadApp.class, work.resolve("fork-" + run)).jdk(jdk).jvmArg("-XX:TieredStopAtLevel=1")
                    .arg(store.toString(), trigger, Integer.toString(delay), Integer.toString(hoarder), token);
            if (trigger.equals("oom")) {
                fork.jvmArg("-Xmx64m");
            }
            if (trigger.equals("stackoverflow")) {
                fork.jvmArg("-Xss512k");
            }
            String what = "run " + run + " (" + trigger + " after " + delay + " ms on " + jdk + (trigger.equals("oom") ? ", writer " + hoarder : "")
                    + ")";
            pending.add(new Run(what, trigger, token, store, fork.start()));
            if (pending.size() == 2 || run == runs) {
                for (Run r : pending) {
                    check(report, r);
                }
                pending.clear();
            }
        }
        report.say(runs + " runs");
        report.end();
    }

    private record Run(String what, String trigger, String token, Path store, JvmFork.Child child) {
    }

    private static void check(Torture.Report report, Run run) throws InterruptedException {
        String what = run.what();
        int status = run.child().awaitExit(90);
        report.quietly(status == PanicsUnderLoadApp.EXIT, what + ": the panic's exit status, was " + status + "; stderr: " + tail(run.child().err()));
        try (PstoreReader r = PstoreReader.open(run.store())) {
            report.quietly(r.problems().isEmpty(), what + ": nothing damaged: " + r.problems());
            Set<Integer> panics = r.records().stream().filter(x -> x.type() == RecordType.DMESG && x.reason() == DumpReason.PANIC.code())
                    .map(PstoreRecord::count).collect(Collectors.toSet());
            report.quietly(panics.size() == 1, what + ": exactly one crash record: " + panics);
            if (panics.size() == 1) {
                StringBuilder text = new StringBuilder();
                boolean intact = true;
                for (PstoreRecord p : r.dumpParts(DumpReason.PANIC, panics.iterator().next())) {
                    Payload payload = r.payload(p);
                    intact &= payload != null && !payload.stillCompressed();
                    text.append(payload == null ? "" : payload.text());
                }
                report.quietly(intact && text.indexOf("Panic#1 Part#1") >= 0, what + ": the record is intact");
                String cause = expectedCause(run.trigger(), run.token());
                report.quietly(text.indexOf(cause) >= 0, what + ": the record holds the cause (" + cause + "); it begins: "
                        + text.substring(0, Math.min(600, text.length())).replace('\n', '|'));
            }
        } catch (RuntimeException e) {
            report.quietly(false, what + ": the store reads: " + e);
        }
    }

    private static String expectedCause(String trigger, String token) {
        return switch (trigger) {
            case "oom" -> "OutOfMemoryError";
            case "stackoverflow" -> "StackOverflowError";
            case "deadlock" -> "deadlock";
            default -> token;
        };
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
    }
}
