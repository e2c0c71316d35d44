package org.pstore.cli.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cause of a crash as its report printed it (the panic module's report: "Cause: CLASS: MESSAGE", later
 * "Stack trace: CLASS: MESSAGE" and its frames), read back from the dump's text, never from stored objects:
 * OpenTelemetry's {@code exception.type}, {@code exception.message} and {@code exception.stacktrace}.
 * Only the last report in the text counts (the tail may hold an earlier oops's), and a report whose cause is
 * "none" (a deadlock, a panic without a throwable) has no cause.
 *
 * @param type       the throwable's class name, or null when the report could not tell it
 * @param message    its message, or null
 * @param stacktrace as {@code printStackTrace} prints it (tabs before frames), or null when the report has none
 * @param part       which of the texts given to {@link #of} holds the "Cause:" line
 */
public record CrashCause(String type, String message, String stacktrace, int part) {
    static final String CUT_HERE = "------------[ cut here ]------------";
    /** A stack trace longer than this is cut (a report holds at most 16 throwables of 128 frames). */
    static final int MAX_STACKTRACE = 256 << 10;
    private static final Pattern UPTIME = Pattern.compile("^\\[\\s*\\d{1,9}\\.\\d{6}\\] ");
    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");
    private static final Pattern TRACE_LINE = Pattern.compile(
            "^( +at .*| +\\.\\.\\. \\d+ (more|frames omitted)| *Caused by: .*| +Suppressed: .*| *\\[(CIRCULAR REFERENCE: |further throwables omitted|[a-z ]+ lost: ).*)$");

    /** The cause in the texts of a dump's parts, oldest part first; empty when no report there names one. */
    public static Optional<CrashCause> of(List<String> parts) {
        List<String> lines = new ArrayList<>();
        List<Integer> partOf = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            for (String line : parts.get(p).split("\n", -1)) {
                lines.add(UPTIME.matcher(line).replaceFirst(""));
                partOf.add(p);
            }
        }
        int report = lines.lastIndexOf(CUT_HERE);
        if (report < 0) {
            return Optional.empty();
        }
        int cause = -1;
        int trace = -1;
        for (int i = report + 1; i < lines.size() && (cause < 0 || trace < 0); i++) {
            String l = lines.get(i);
            if (cause < 0 && l.startsWith("Cause: ")) {
                cause = i;
            } else if (trace < 0 && l.startsWith("Stack trace: ")) {
                trace = i;
            }
        }
        if (cause < 0 || lines.get(cause).equals("Cause: none")) {
            return Optional.empty();
        }
        String headline = lines.get(cause).substring("Cause: ".length());
        String type = null;
        String message = headline;
        int colon = headline.indexOf(": ");
        String head = colon < 0 ? headline : headline.substring(0, colon);
        if (CLASS_NAME.matcher(head).matches()) {
            type = head;
            message = colon < 0 ? null : headline.substring(colon + 2);
        }
        if (message != null && message.isEmpty()) {
            message = null;
        }
        return Optional.of(new CrashCause(type, message, trace < 0 ? null : stacktrace(lines, trace), partOf.get(cause)));
    }

    private static String stacktrace(List<String> lines, int from) {
        StringBuilder sb = new StringBuilder(lines.get(from).substring("Stack trace: ".length()));
        for (int i = from + 1; i < lines.size() && TRACE_LINE.matcher(lines.get(i)).matches(); i++) {
            String l = lines.get(i);
            int spaces = 0;
            while (spaces < l.length() && l.charAt(spaces) == ' ') {
                spaces++;
            }
            sb.append('\n').append("\t".repeat(spaces / 4)).append(l, spaces - spaces % 4, l.length());
            if (sb.length() > MAX_STACKTRACE) {
                sb.setLength(MAX_STACKTRACE);
                sb.append("\n\t[cut at ").append(MAX_STACKTRACE >> 10).append(" KiB]");
                break;
            }
        }
        return sb.toString();
    }

    /** OpenTelemetry's exception attributes (semantic conventions for exceptions in logs). */
    public List<Attribute> attributes() {
        List<Attribute> a = new ArrayList<>(3);
        if (type != null) {
            a.add(Attribute.of("exception.type", type));
        }
        if (message != null) {
            a.add(Attribute.of("exception.message", message));
        }
        if (stacktrace != null) {
            a.add(Attribute.of("exception.stacktrace", stacktrace));
        }
        return a;
    }
}
