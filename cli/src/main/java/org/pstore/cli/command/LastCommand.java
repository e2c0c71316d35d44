package org.pstore.cli.command;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonGenerator;
import org.pstore.cli.CliException;
import org.pstore.cli.output.Escaping;
import org.pstore.cli.output.RecordJson;
import org.pstore.lastwords.Judgement;
import org.pstore.reader.LastRuns;
import org.pstore.reader.PstoreReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "last", mixinStandardHelpOptions = true,
        description = {"How the last run of the store's writer ended: panic, exit, native-crash, oom-killed, killed or running.",
            "With when, after how long, the evidence, the related records and the next command to run."},
        usageHelpAutoWidth = true)
public final class LastCommand extends StoreCommand implements Callable<Integer> {
    @Option(names = "--json", description = "JSON: one object (with --all, an array, oldest first).")
    boolean json;

    @Option(names = "--all", description = "Every run the store knows the ending of, one line each.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        try (PstoreReader reader = store().open()) {
            List<Judgement> runs = all ? LastRuns.all(reader) : LastRuns.last(reader).map(List::of).orElse(List.of());
            if (runs.isEmpty()) {
                throw new CliException("no run mark in " + store().dir() + ": its writer has not booted with this version of pstore");
            }
            if (json) {
                try (JsonGenerator g = RecordJson.generator(text(), true)) {
                    if (all) {
                        g.writeStartArray();
                    }
                    for (Judgement j : runs) {
                        json(g, j);
                    }
                    if (all) {
                        g.writeEndArray();
                    }
                }
                text().println();
            } else if (all) {
                for (Judgement j : runs) {
                    text().println(safe("boot " + j.boot() + "  pid " + j.pid() + "  " + j.ending().word() + "  "
                            + (j.started() == null ? "?" : j.started()) + "  " + duration(j)
                            + (j.headline().isEmpty() ? "" : "  " + j.headline().get(0))));
                }
            } else {
                screen(runs.get(0));
            }
            text().flush();
            return warnings(reader);
        }
    }

    private void screen(Judgement j) {
        text().println(safe("boot " + j.boot() + " (pid " + j.pid() + "): " + j.ending().word()));
        field("started", j.started() == null ? null : j.started().toString());
        if (j.ended() != null) {
            field("ended", j.ended() + " (end mark), after " + duration(j));
        } else {
            field(j.ending() == org.pstore.lastwords.Ending.RUNNING ? "alive at" : "last sign of life",
                    j.lastSign() + ", after " + duration(j));
        }
        field("exit", j.exit() == null || j.exitStatus() == null ? j.exit() : j.exit() + ", status " + j.exitStatus());
        j.headline().forEach(l -> field("signal", l));
        field("hs_err", j.hsErr());
        j.jfr().forEach(l -> field("jfr dump", l));
        j.evidence().forEach(l -> field("evidence", l));
        j.likely().forEach(l -> field("likely", l));
        if (!j.related().isEmpty()) {
            field("related", String.join(" ", j.related()));
        }
        if (!j.console().isEmpty()) {
            text().println("  last console lines:");
            j.console().forEach(l -> text().println("    " + safe(l)));
        }
        field("next", j.next());
    }

    private void field(String name, String value) {
        if (value != null) {
            text().println(safe(String.format("  %-17s %s", name, value)));
        }
    }

    private String safe(String s) {
        return terminal() ? Escaping.escape(s) : s;
    }

    private static String duration(Judgement j) {
        long ms = j.durationMillis();
        if (ms < 0) {
            return "?";
        }
        Duration d = Duration.ofMillis(ms);
        return d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min"
                : d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : String.format("%.1f s", ms / 1000.0);
    }

    static void json(JsonGenerator g, Judgement j) throws java.io.IOException {
        g.writeStartObject();
        g.writeStringField("ending", j.ending().word());
        g.writeNumberField("boot", j.boot());
        g.writeNumberField("pid", j.pid());
        instant(g, "started", j.started());
        instant(g, "lastSignOfLife", j.lastSign());
        instant(g, "ended", j.ended());
        g.writeNumberField("durationMillis", j.durationMillis());
        string(g, "exit", j.exit());
        if (j.exitStatus() == null) {
            g.writeNullField("exitStatus");
        } else {
            g.writeNumberField("exitStatus", j.exitStatus());
        }
        string(g, "hsErr", j.hsErr());
        array(g, "signal", j.headline());
        array(g, "jfr", j.jfr());
        array(g, "evidence", j.evidence());
        array(g, "likely", j.likely());
        array(g, "related", j.related());
        array(g, "console", j.console());
        string(g, "next", j.next());
        g.writeEndObject();
    }

    private static void instant(JsonGenerator g, String f, java.time.Instant t) throws java.io.IOException {
        string(g, f, t == null ? null : t.toString());
    }

    private static void string(JsonGenerator g, String f, String v) throws java.io.IOException {
        if (v == null) {
            g.writeNullField(f);
        } else {
            g.writeStringField(f, v);
        }
    }

    private static void array(JsonGenerator g, String f, List<String> values) throws java.io.IOException {
        g.writeArrayFieldStart(f);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
