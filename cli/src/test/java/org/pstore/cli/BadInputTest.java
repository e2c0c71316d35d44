package org.pstore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.PstoreException;
import org.pstore.core.testing.Torture;

/**
 * The torture suite, part 4: bad input to the CLI and to the configuration. Unknown options and commands,
 * bad ids, paths that are files, unwritable directories, absurd sizes, invalid modes: each is one line on
 * stderr ({@code pstore: ...}), the documented status (2 for bad usage, 1 for a failure), no stack trace,
 * and the store is exactly as it was. Random garbage arguments from the seed on top.
 */
class BadInputTest {
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(|Exception in thread|\\.\\.\\. \\d+ more");

    @TempDir
    Path tmp;

    @Test
    void badInputIsOneLineWithItsStatusAndChangesNothing() throws Exception {
        Torture.Report report = Torture.start("bad-input");
        SmallStore store = SmallStore.write(tmp.resolve("store"));
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        String id = "1000000001"; // exists or not: show/erase of an id below must be well-formed either way
        Object[][] usage = { // args, status
            {new String[] {"list", "--bogus"}, 2},
            {new String[] {"frobnicate"}, 2},
            {new String[] {}, 2},
            {new String[] {"list", "--type", "nonsense"}, 2},
            {new String[] {"list", "--since", "yesterday-ish"}, 2},
            {new String[] {"tail", "-n", "-3"}, 2},
            {new String[] {"tail", "-n", "99999999999999999999"}, 2},
            {new String[] {"export", "--format", "xml"}, 2},
            {new String[] {"show"}, 2},
            {new String[] {"show", "--panic", "minus-one"}, 2},
            {new String[] {"erase"}, 2},
            {new String[] {"archive", "--keep"}, 2},
            {new String[] {"show", "12abc"}, 1},
            {new String[] {"show", "99999999999999999999999"}, 1},
            {new String[] {"show", "dmesg-efi-"}, 1},
            {new String[] {"show", "--panic", "999999"}, 1},
            {new String[] {"erase", "not-an-id"}, 1},
            {new String[] {"archive", "--keep", "--to", file.resolve("sub").toString()}, 1},
            {new String[] {"archive", "--keep", "--to", "/proc/version/x"}, 1},
            {new String[] {"export", "--out", file.resolve("x.json").toString()}, 1},
        };
        for (Object[] u : usage) {
            check(report, store, (String[]) u[0], (Integer) u[1]);
        }
        Object[][] dirs = {{file.toString(), 1}, {tmp.resolve("nowhere").toString(), 1}, {"/proc/self", 1}, {tmp.toString(), 1}};
        for (Object[] d : dirs) {
            for (String cmd : List.of("list", "stat", "tail", "export")) {
                Cli cli = Cli.run(cmd, "--dir", (String) d[0]);
                oneLine(report, cli, "pstore " + cmd + " --dir " + d[0], (Integer) d[1]);
            }
        }
        Random rnd = report.random();
        String[] words = {"list", "show", "export", "archive", "erase", "stat", "tail", "--json", "--type", "--since", "-n", "--format",
            "--to", "--keep", "--all", "--raw", "--panic", "-f", "--cursor", "--service", "\u0000", "\u001b[2J", "%n", "${env:HOME}", "-",
            "--", "''", "pmsg", "otlp", "1000000001", "--ignore-owner"};
        int garbage = Torture.scale(100, 5000);
        for (int i = 0; i < garbage; i++) {
            String[] args = new String[1 + rnd.nextInt(4)];
            for (int a = 0; a < args.length; a++) {
                args[a] = rnd.nextInt(5) == 0 ? randomText(rnd) : words[rnd.nextInt(words.length)];
            }
            if (List.of(args).contains("-f") || (List.of(args).contains("erase") || List.of(args).contains("archive") && !List.of(args).contains("--keep"))) {
                continue; // following never ends; erasing or archiving may rightly change the store: not bad input
            }
            check(report, store, args, -1);
        }
        report.say(usage.length + " bad command lines, " + dirs.length * 4 + " bad --dir, " + garbage + " random ones");
        configuration(report);
        report.end();
    }

    private static String randomText(Random rnd) {
        StringBuilder b = new StringBuilder();
        for (int i = rnd.nextInt(12); i > 0; i--) {
            b.append((char) (rnd.nextInt(3) == 0 ? rnd.nextInt(0x3000) : ' ' + rnd.nextInt(95)));
        }
        return b.toString();
    }

    /** Runs the command on the store: its status ({@code expected}, or 0, 1 or 2 when -1), one-line errors, the store as it was. */
    private static void check(Torture.Report report, SmallStore store, String[] args, int expected) throws IOException {
        Map<String, Long> before = StoreSnapshot.of(store.dir);
        Cli cli = store.pstore(args);
        String what = "pstore " + String.join(" ", args).replaceAll("\\p{Cntrl}", "?");
        if (expected >= 0 || cli.status != 0) {
            oneLine(report, cli, what, expected);
        } else {
            report.quietly(!STACK_TRACE.matcher(cli.err).find(), what + ": no stack trace: " + cli);
        }
        report.quietly(before.equals(StoreSnapshot.of(store.dir)), what + ": the store is as it was");
    }

    private static void oneLine(Torture.Report report, Cli cli, String what, int expected) {
        boolean status = expected >= 0 ? cli.status == expected : cli.status >= 0 && cli.status <= 2;
        report.quietly(status, what + ": exit status " + (expected >= 0 ? expected : "0, 1 or 2") + ", was " + cli.status);
        List<String> lines = cli.err.lines().toList();
        report.quietly(cli.status == 0 || (lines.size() >= 1 && lines.stream().allMatch(l -> l.startsWith("pstore: "))),
                what + ": one line saying what is wrong: " + cli.err);
        report.quietly(cli.status == 0 || lines.stream().filter(l -> !l.startsWith("pstore: warning: ")).count() == 1,
                what + ": exactly one error line: " + cli.err);
        report.quietly(!STACK_TRACE.matcher(cli.err).find(), what + ": no stack trace");
    }

    /** Bad settings: one line naming the setting and what it takes; boot on a path it cannot use: one line, nothing made. */
    private void configuration(Torture.Report report) throws IOException {
        Object[][] bad = {
            {"pstore.capacity", "-5"}, {"pstore.capacity", "9999999t"}, {"pstore.capacity", "1"}, {"pstore.reserve", "banana"},
            {"pstore.recordSize", "1g"}, {"pstore.kmsgBytes", "0"}, {"pstore.journalBytes", "100p"}, {"pstore.pmsgBytes", "-1"},
            {"pstore.mode", "fastest"}, {"pstore.durability", "forever"}, {"pstore.maxReason", "whenever"},
            {"pstore.opTimeout", "soon"}, {"pstore.panic.exitStatus", "x"}, {"pstore.compress", "zstd-9000"},
            {"pstore.watchdog.workerTimeout", "0s"}, {"pstore.service", "two\nlines"},
        };
        for (Object[] b : bad) {
            String name = (String) b[0];
            try {
                PstoreConfig.fromOptions(Map.of(name.substring("pstore.".length()), (String) b[1]));
                report.quietly(false, name + "=" + b[1] + ": refused");
            } catch (IllegalArgumentException e) {
                report.quietly(e.getMessage().contains(name) && !e.getMessage().contains("\n"),
                        name + "=" + b[1] + ": one line naming the setting: " + e.getMessage());
            }
        }
        Path file = tmp.resolve("a-file");
        for (Path dir : List.of(file, file.resolve("below-a-file"), Path.of("/proc/version/pstore"), Path.of("/proc/pstore-here"))) {
            try {
                Pstore.boot(PstoreConfig.builder().dir(dir).build());
                report.quietly(false, "boot with pstore.dir=" + dir + ": refused");
            } catch (PstoreException e) {
                report.quietly(e.getMessage().startsWith("pstore cannot boot: ") && !e.getMessage().contains("\n"),
                        "boot with pstore.dir=" + dir + ": one line: " + e.getMessage());
            }
            report.quietly(Pstore.current().isEmpty(), "boot with pstore.dir=" + dir + ": nothing booted");
        }
        report.quietly(Files.readString(file).equals("not a directory"), "the file given as a directory is as it was");
        report.say(bad.length + " bad settings, 4 directories boot cannot use");
    }
}
