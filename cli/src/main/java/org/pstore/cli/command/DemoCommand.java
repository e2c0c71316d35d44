package org.pstore.cli.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.pstore.cli.CliException;
import org.pstore.cli.demo.CrashKind;
import org.pstore.cli.demo.DemoApp;
import org.pstore.cli.output.RecordJson;
import org.pstore.cli.output.Table;
import org.pstore.core.store.JvmFlags;
import org.pstore.panic.DumpReason;
import org.pstore.reader.ConsoleTail;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole story in one command: a real application in a child JVM boots pstore, logs, writes pmsg
 * messages, and dies; then the post-mortem reads what it left behind and says whether its last words made it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Watch an application crash, then read what it left behind.",
            "A sample application in a child JVM boots pstore, logs a numbered tick every few milliseconds, "
                + "writes pmsg messages, and dies as KIND says: panic (default), exception, oom, stackoverflow, "
                + "deadlock, stall, concurrent or kill. Then the post-mortem shows the records and says whether "
                + "the last tick logged is in the crash record."},
        usageHelpAutoWidth = true)
public final class DemoCommand extends StoreCommand implements Callable<Integer> {
    private static final int SHOWN_LINES = 24;
    /** The tick at which the "kill" demo sends SIGKILL. */
    private static final int KILL_AT_TICK = 200;

    @Option(names = "--crash", paramLabel = "KIND", defaultValue = "panic", converter = KindConverter.class,
            description = "How the application dies (default ${DEFAULT-VALUE}).")
    CrashKind kind;

    @Override
    public Integer call() throws Exception {
        Path dir = store().dir().toAbsolutePath();
        text().println("== pstore demo: the application will die of: " + kind.story());
        text().println("== store: " + dir);
        text().flush();
        Path stderr = Files.createTempFile("pstore-demo", ".err");
        Process child = start(dir, stderr);
        text().println("== application started (pid " + child.pid() + "); it logs tick 1, tick 2, ...");
        text().flush();
        int lastTick = watch(child, dir);
        int status = child.exitValue();
        text().println("== application ended: exit status " + status + (status == 137 ? " (killed by SIGKILL)" : "")
                + "; last tick it logged: " + (lastTick > 0 ? "tick " + lastTick : "none"));
        text().println();
        text().flush();
        try {
            return postMortem(dir, lastTick, stderr);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private Process start(Path dir, Path stderr) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmFlags.required());
        if (kind == CrashKind.OOM) {
            cmd.add("-Xmx64m");
        }
        if (kind == CrashKind.KILL) {
            cmd.add("-Ddemo.forever=true");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DemoApp.class.getName());
        cmd.add(kind.word());
        cmd.add(dir.toString());
        return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    }

    /**
     * Follows the child's stdout; kills it for the "kill" demo once tick {@value #KILL_AT_TICK} is in the console
     * journal. Returns the last tick it logged: for "kill", the last one it printed before SIGKILL took it (the
     * pipe still holds what it printed while the signal was on its way).
     */
    private int watch(Process child, Path dir) throws IOException, InterruptedException {
        int lastTick = 0;
        boolean killed = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("tick ")) {
                    lastTick = Integer.parseInt(line.substring(5).trim());
                    if (kind == CrashKind.KILL && !killed && lastTick == KILL_AT_TICK) {
                        // The journal trails the log by a moment: follow it, as tail -f does, until the tick is
                        // there, then kill. The application keeps logging until the signal lands.
                        boolean inJournal = awaitInJournal(dir, tickLine(lastTick));
                        text().println("== " + (inJournal ? "tick " + lastTick + " is in the console journal; " : "")
                                + "sending SIGKILL to pid " + child.pid() + " (it goes on logging until the signal lands)");
                        text().flush();
                        child.toHandle().destroyForcibly(); // SIGKILL, leaving its stdout to be read to the end
                        killed = true;
                    }
                } else if (!killed) {
                    text().println("   app: " + line);
                    text().flush();
                }
            }
        }
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            throw new CliException("the demo application did not end within 120 s; killed it");
        }
        return lastTick;
    }

    /** The console line the demo application logs for tick {@code n} (after its uptime prefix). */
    private static String tickLine(int n) {
        return "INFO demo.app: tick " + n;
    }

    /** Follows the live console journal (read-only, no lock) until a line ends with {@code line}; false after 10 s. */
    private static boolean awaitInJournal(Path dir, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean[] seen = {false};
        ConsoleTail tail = null;
        try {
            while (!seen[0] && System.nanoTime() < deadline) {
                try {
                    if (tail == null) {
                        tail = ConsoleTail.open(dir);
                    }
                    tail.poll(l -> seen[0] |= l.text().endsWith(line));
                } catch (RuntimeException notYet) {
                    // the journal may not be readable yet; try again
                }
                if (!seen[0]) {
                    Thread.sleep(20);
                }
            }
        } finally {
            if (tail != null) {
                tail.close();
            }
        }
        return seen[0];
    }

    private int postMortem(Path dir, int lastTick, Path stderr) throws IOException {
        text().println("== post-mortem: " + command("list") + " --dir " + dir);
        try (PstoreReader reader = PstoreReader.open(dir)) {
            long boot = reader.records().stream().mapToLong(PstoreRecord::bootNumber).max().orElse(0);
            List<PstoreRecord> run = reader.records().stream().filter(r -> r.bootNumber() == boot).toList();
            Table t = new Table("NAME", "TIME", "REASON", "PART", "SIZE", "WHERE").rightAligned(3, 4);
            for (PstoreRecord r : run) {
                String reason = RecordJson.reasonWord(r);
                t.row(r.name(), r.time(), reason == null ? "-" : reason + "#" + r.count(), reason == null ? "-" : r.part(),
                        r.size() + (r.compressed() ? "z" : ""), r.location().word());
            }
            t.print(text());
            text().println();
            String tick = tickLine(lastTick) + "\n";
            boolean found;
            Optional<PstoreRecord> crash = run.stream().filter(r -> r.type() == RecordType.DMESG && r.reason() == DumpReason.PANIC.code())
                    .max(Comparator.comparingInt(PstoreRecord::count));
            if (crash.isPresent()) {
                int n = crash.get().count();
                String record = dump(reader, reader.dumpParts(DumpReason.PANIC, n));
                text().println("== the crash record, Panic#" + n + " (the panic report; all of it: " + command("show --panic " + n) + " --dir " + dir + ")");
                printReport(record);
                found = record.contains(tick);
            } else {
                String console = run.stream().filter(r -> r.type() == RecordType.CONSOLE).findFirst()
                        .map(r -> text(reader.payload(r))).orElse("");
                text().println(kind == CrashKind.KILL
                        ? "== no crash record: SIGKILL gives a process no chance to write one. The console journal kept its log:"
                        : "== no crash record was found. The console journal holds:");
                List<String> lines = console.lines().toList();
                lines.subList(Math.max(0, lines.size() - 8), lines.size()).forEach(l -> text().println("   " + l));
                found = console.contains(tick);
                if (kind != CrashKind.KILL) {
                    text().println("== the application's stderr:");
                    Files.readAllLines(stderr).stream().limit(20).forEach(l -> text().println("   " + l));
                } else if (!found) {
                    int journalTick = lastTickIn(console);
                    text().println();
                    text().println("== the last tick logged, tick " + lastTick + ", is not in the console journal, which ends at "
                            + (journalTick > 0 ? "tick " + journalTick : "no tick") + ": lines reach the journal about a millisecond after "
                            + "they are logged, and SIGKILL took the last ones (README: Durability). Tick " + KILL_AT_TICK
                            + ", in the journal when SIGKILL was sent, " + (console.contains(tickLine(KILL_AT_TICK) + "\n") ? "is there." : "is NOT there."));
                    printNext(dir);
                    return console.contains(tickLine(KILL_AT_TICK) + "\n") ? 0 : 1;
                }
            }
            text().println();
            text().println(lastTick == 0 ? "== the application logged no tick"
                    : "== the last tick logged, tick " + lastTick + ", is " + (found ? "" : "NOT ") + "in the "
                    + (crash.isPresent() ? "crash record" : "console journal") + (found ? "." : "" + "; see above."));
            printNext(dir);
            boolean expected = found && (crash.isPresent() || kind == CrashKind.KILL);
            return expected ? 0 : 1;
        }
    }

    private void printNext(Path dir) {
        text().println("== next: " + command("list") + " --dir " + dir + "   |   " + command("show ID") + " --dir " + dir);
        text().flush();
    }

    /** The highest tick among the journal's lines (0 when none). */
    private static int lastTickIn(String console) {
        int last = 0;
        for (String l : console.lines().toList()) {
            int at = l.indexOf("INFO demo.app: tick ");
            if (at >= 0) {
                try {
                    last = Math.max(last, Integer.parseInt(l.substring(at + "INFO demo.app: tick ".length()).trim()));
                } catch (NumberFormatException ignored) {
                    // not a tick line after all
                }
            }
        }
        return last;
    }

    private static String dump(PstoreReader reader, List<PstoreRecord> parts) {
        StringBuilder sb = new StringBuilder();
        for (PstoreRecord p : parts) {
            sb.append(text(reader.payload(p)));
        }
        return sb.toString();
    }

    private static String text(Payload p) {
        String t = p == null ? null : p.text();
        return t == null ? "" : t;
    }

    /** The report from "cut here" on, with the thread dump cut short: the essentials fit on a screen. */
    private void printReport(String record) {
        List<String> lines = record.lines().toList();
        int cut = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("------------[ cut here ]------------")) {
                cut = i;
            }
        }
        int from = Math.max(0, cut - 3);
        int shown = 0;
        for (int i = from; i < lines.size(); i++) {
            String l = lines.get(i);
            boolean essential = i < cut || l.contains("[ cut here ]") || l.contains("panic - not syncing")
                    || l.contains("Cause:") || l.contains("Caused by") || l.contains("Deadlock") || l.contains("Threads:")
                    || l.contains("JVM:") || l.contains("---[ end");
            if (essential || shown < SHOWN_LINES) {
                text().println("   " + (l.length() > 160 ? l.substring(0, 157) + "..." : l));
                shown++;
            } else if (shown == SHOWN_LINES) {
                text().println("   [...]");
                shown++;
            }
        }
    }

    static final class KindConverter implements picocli.CommandLine.ITypeConverter<CrashKind> {
        @Override
        public CrashKind convert(String value) {
            try {
                return CrashKind.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("unknown crash kind '" + value
                        + "' (expected panic, exception, oom, stackoverflow, deadlock, stall, concurrent or kill)");
            }
        }
    }
}
