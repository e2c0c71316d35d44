package org.pstore.core.store.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;
import org.pstore.core.testing.Torture;

/**
 * Writers in several processes race for one store (torture suite, item 5): each opens, holds and closes
 * it again and again, and while holding it tries a second open in its own process. Never are two admitted
 * at once (the times each held it never overlap), a second open in the holding process is always BUSY,
 * and the processes take turns.
 */
class TwoWritersIT {
    private static final int RACERS = 3;

    @TempDir
    Path dir;

    private record Held(int racer, long in, long out) {
    }

    @Test
    void neverTwoWritersAtOnce() throws Exception {
        Torture.Report report = Torture.start("store model, writers racing");
        long millis = Torture.scale(3_000, 60_000);
        List<Jdks.Jdk> jdks = Jdks.all();
        report.tried(RACERS + " processes on " + jdks + " opening one store for " + millis / 1000 + " s");
        Path store = dir.resolve("vars");
        List<JvmFork.Child> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            racers.add(JvmFork.of(OpenRacer.class, dir.resolve("racer-" + i)).jdk(jdks.get(i % jdks.size()))
                    .jvmArg("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                    .arg(store.toString(), Long.toString(millis), Long.toString(report.seed() + i)).start());
        }
        for (JvmFork.Child c : racers) {
            report.quietly(c.awaitOutput("ready\n", 120), "racer warmed up; stderr: " + c.err());
        }
        for (JvmFork.Child c : racers) {
            c.send("go");
        }
        List<Held> held = new ArrayList<>();
        int busy = 0;
        int secondRefused = 0;
        for (int i = 0; i < RACERS; i++) {
            JvmFork.Child c = racers.get(i);
            report.quietly(c.awaitExit(millis / 1000 + 120) == 0, "racer " + i + " ended cleanly; stderr: " + c.err());
            long in = -1;
            for (String line : c.out().split("\n")) {
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "in" -> in = Long.parseLong(w[1]);
                    case "out" -> {
                        held.add(new Held(i, in, Long.parseLong(w[1])));
                        report.quietly(w[2].equals("OK"), "racer " + i + " could write while admitted: " + w[2]);
                    }
                    case "busy" -> busy++;
                    case "second" -> {
                        report.quietly(w[1].equals("BUSY"), "racer " + i + ": a second open in the holding process was " + w[1]);
                        secondRefused++;
                    }
                    case "error" -> report.quietly(false, "racer " + i + ": " + line);
                    default -> { }
                }
            }
        }
        held.sort(Comparator.comparingLong(Held::in));
        int overlaps = 0;
        for (int i = 1; i < held.size(); i++) {
            if (held.get(i).in() < held.get(i - 1).out()) {
                overlaps++;
                report.quietly(false, "racers " + held.get(i - 1).racer() + " and " + held.get(i).racer() + " held the store at once");
            }
        }
        long admitted = held.stream().mapToInt(Held::racer).distinct().count();
        report.check(admitted >= 2, admitted + " of " + RACERS + " racers took turns holding the store");
        report.check(overlaps == 0 && busy > 0, held.size() + " times admitted, " + (overlaps == 0 ? "never two at once" : overlaps + " times two at once")
                + "; " + busy + " opens refused BUSY; "
                + secondRefused + " second opens in the holding process, all BUSY");
        report.end();
    }
}
