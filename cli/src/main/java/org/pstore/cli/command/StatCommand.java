package org.pstore.cli.command;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonGenerator;
import org.pstore.cli.output.RecordJson;
import org.pstore.cli.output.Table;
import org.pstore.reader.PstoreReader;
import org.pstore.reader.Space;
import org.pstore.record.PstoreRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stat", mixinStandardHelpOptions = true,
        description = {"Space, records by type, and the state of the writer.",
            "Capacity, used, free and reserve; the service the writer named, its last boot, whether it still "
                + "runs, the ops mode it used and why."},
        usageHelpAutoWidth = true)
public final class StatCommand extends StoreCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        try (PstoreReader reader = store().open()) {
            Space space = reader.space();
            Map<String, Integer> byType = new TreeMap<>();
            for (PstoreRecord r : reader.records()) {
                byType.merge(r.typeWord(), 1, Integer::sum);
            }
            Map<String, String> facts = reader.facts();
            String pid = facts.getOrDefault("pid", "");
            java.util.List<java.nio.file.Path> quarantined = reader.quarantined();
            long quarantineBytes = 0;
            for (java.nio.file.Path q : quarantined) {
                try {
                    quarantineBytes += java.nio.file.Files.size(q);
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
            java.util.List<Long> healedBoots = reader.records().stream().filter(r -> r.type() == org.pstore.record.RecordType.HEALING)
                    .map(PstoreRecord::bootNumber).distinct().sorted().toList();
            java.util.Optional<String> service = reader.service();
            boolean running = pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            if (json) {
                try (JsonGenerator g = RecordJson.generator(text(), true)) {
                    g.writeStartObject();
                    g.writeStringField("dir", store().dir().toAbsolutePath().toString());
                    g.writeNumberField("capacity", space.capacity());
                    g.writeNumberField("used", space.used());
                    g.writeNumberField("live", space.live());
                    g.writeNumberField("free", space.free());
                    g.writeNumberField("reserve", space.reserve());
                    g.writeNumberField("panicAreaBytes", space.panicArea());
                    g.writeNumberField("journalBytes", space.journal());
                    g.writeObjectFieldStart("records");
                    for (Map.Entry<String, Integer> e : byType.entrySet()) {
                        g.writeNumberField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                    g.writeNumberField("problems", reader.problems().size());
                    g.writeNumberField("quarantineFiles", quarantined.size());
                    g.writeNumberField("quarantineBytes", quarantineBytes);
                    g.writeArrayFieldStart("healedAtBoots");
                    for (long b : healedBoots) {
                        g.writeNumber(b);
                    }
                    g.writeEndArray();
                    if (service.isPresent()) {
                        g.writeStringField("service", service.get());
                    } else {
                        g.writeNullField("service");
                    }
                    numberOrNull(g, "lastBoot", facts.get("boot"));
                    numberOrNull(g, "writerPid", pid);
                    g.writeBooleanField("writerRunning", running);
                    g.writeStringField("mode", facts.getOrDefault("mode", "unknown"));
                    g.writeStringField("ops", facts.getOrDefault("ops", "unknown"));
                    g.writeStringField("opsSwitch", facts.getOrDefault("opsSwitch", "unknown"));
                    g.writeEndObject();
                }
                text().println();
            } else {
                Table t = new Table("", "").rightAligned();
                t.row("store", store().dir().toAbsolutePath());
                t.row("capacity", bytes(space.capacity()));
                t.row("used", bytes(space.used()) + " (live " + bytes(space.live()) + ")");
                t.row("free", bytes(space.free()));
                t.row("reserve", bytes(space.reserve()) + " (kept for crash records)");
                t.row("panic area", bytes(space.panicArea()));
                t.row("console journal", bytes(space.journal()));
                t.row("records", byType.isEmpty() ? "none" : byType.toString().replaceAll("[{}]", ""));
                service.ifPresent(name -> t.row("service", name));
                t.row("last boot", facts.getOrDefault("boot", "?") + ", pid " + pid + (running ? " (running)" : " (not running)"));
                t.row("mode", facts.getOrDefault("mode", "unknown"));
                t.row("ops", facts.getOrDefault("ops", "unknown") + " -> " + facts.getOrDefault("opsSwitch", "unknown"));
                t.row("quarantine", quarantined.isEmpty() && healedBoots.isEmpty() ? "empty (nothing was ever found damaged)"
                        : quarantined.size() + " files, " + bytes(quarantineBytes)
                        + (healedBoots.isEmpty() ? "" : "; healed at boot " + healedBoots.stream().map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(", ")) + " (pstore list --type healing)"));
                if (!reader.problems().isEmpty()) {
                    t.row("damaged", reader.problems().size() + " records or files skipped (warnings below)");
                }
                t.print(text());
            }
            text().flush();
            return warnings(reader);
        }
    }

    private static void numberOrNull(JsonGenerator g, String field, String value) throws IOException {
        if (value != null && value.matches("\\d{1,18}")) {
            g.writeNumberField(field, Long.parseLong(value));
        } else {
            g.writeNullField(field);
        }
    }

    private static String bytes(long n) {
        if (n < 0) {
            return "unknown";
        }
        if (n >= 10L << 20) {
            return (n >> 20) + " MiB";
        }
        if (n >= 10L << 10) {
            return (n >> 10) + " KiB";
        }
        return n + " B";
    }
}
