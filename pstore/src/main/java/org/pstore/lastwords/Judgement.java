package org.pstore.lastwords;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * How one run ended and why pstore says so: the payload of an {@code ending} record, and what {@code pstore
 * last} prints. Its text is {@code key: value} lines (lists repeat their key), read back by {@link #parse}
 * without trusting it: unknown keys are skipped, bad values leave the field unknown.
 *
 * @param ended      the end mark's time, or null when there was none
 * @param exitStatus the exit status when it could be learnt, else null
 */
public record Judgement(Ending ending, long boot, long pid, Instant started, Instant lastSign, Instant ended,
                        String exit, Integer exitStatus, List<String> evidence, List<String> likely, List<String> related,
                        String hsErr, List<String> headline, List<String> jfr, List<String> console, String next) {

    public Judgement {
        evidence = List.copyOf(evidence);
        likely = List.copyOf(likely);
        related = List.copyOf(related);
        headline = List.copyOf(headline);
        jfr = List.copyOf(jfr);
        console = List.copyOf(console);
    }

    /** The run's length, start to the end mark or the last sign of life; -1 when unknown. */
    public long durationMillis() {
        Instant end = ended != null ? ended : lastSign;
        return started == null || end == null ? -1 : Math.max(0, end.toEpochMilli() - started.toEpochMilli());
    }

    /** The text of the record, each value on one line, at most {@code maxBytes} (console lines go first when it must shrink). */
    public String text(int maxBytes) {
        List<String> lines = new ArrayList<>(console);
        String text = text(lines);
        while (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes && !lines.isEmpty()) {
            lines.remove(0);
            text = text(lines);
        }
        return text;
    }

    private String text(List<String> consoleLines) {
        StringBuilder sb = new StringBuilder();
        line(sb, "ending", ending.word());
        line(sb, "boot", Long.toString(boot));
        line(sb, "pid", Long.toString(pid));
        line(sb, "started", started);
        line(sb, "last-sign-of-life", lastSign);
        line(sb, "ended", ended);
        line(sb, "exit", exit);
        line(sb, "exit-status", exitStatus == null ? null : exitStatus.toString());
        evidence.forEach(v -> line(sb, "evidence", v));
        likely.forEach(v -> line(sb, "likely", v));
        related.forEach(v -> line(sb, "related", v));
        line(sb, "hs-err", hsErr);
        headline.forEach(v -> line(sb, "signal", v));
        jfr.forEach(v -> line(sb, "jfr", v));
        consoleLines.forEach(v -> line(sb, "console", v));
        line(sb, "next", next);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, Object value) {
        if (value != null) {
            String v = value.toString();
            sb.append(key).append(": ").append(v.length() > 1000 ? v.substring(0, 1000) : v.replace('\n', ' ').replace('\r', ' ')).append('\n');
        }
    }

    /** Reads a record's text back; null when it names no ending. */
    public static Judgement parse(String text) {
        Ending ending = null;
        long boot = 0;
        long pid = 0;
        Instant started = null;
        Instant lastSign = null;
        Instant ended = null;
        String exit = null;
        Integer status = null;
        String hsErr = null;
        String next = null;
        List<String> evidence = new ArrayList<>();
        List<String> likely = new ArrayList<>();
        List<String> related = new ArrayList<>();
        List<String> headline = new ArrayList<>();
        List<String> jfr = new ArrayList<>();
        List<String> console = new ArrayList<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                continue;
            }
            String v = line.substring(colon + 2);
            try {
                switch (line.substring(0, colon)) {
                    case "ending" -> ending = Ending.parse(v);
                    case "boot" -> boot = Long.parseLong(v);
                    case "pid" -> pid = Long.parseLong(v);
                    case "started" -> started = Instant.parse(v);
                    case "last-sign-of-life" -> lastSign = Instant.parse(v);
                    case "ended" -> ended = Instant.parse(v);
                    case "exit" -> exit = v;
                    case "exit-status" -> status = Integer.parseInt(v);
                    case "evidence" -> evidence.add(v);
                    case "likely" -> likely.add(v);
                    case "related" -> related.add(v);
                    case "hs-err" -> hsErr = v;
                    case "signal" -> headline.add(v);
                    case "jfr" -> jfr.add(v);
                    case "console" -> console.add(v);
                    case "next" -> next = v;
                    default -> { }
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // a bad value: that field stays unknown
            }
        }
        return ending == null ? null : new Judgement(ending, boot, pid, started, lastSign, ended, exit, status, evidence, likely,
                related, hsErr, headline, jfr, console, next);
    }
}
