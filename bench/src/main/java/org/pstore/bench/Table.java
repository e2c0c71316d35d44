package org.pstore.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A result table, rendered as aligned plain text (stdout) or as Markdown (RESULTS.md). */
final class Table {
    final String title;
    final List<String> headers;
    final List<List<String>> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Table(String title, String... headers) {
        this.title = title;
        this.headers = Arrays.asList(headers);
    }

    Table row(String... cells) {
        rows.add(Arrays.asList(cells));
        return this;
    }

    Table note(String text) {
        notes.add(text);
        return this;
    }

    String text() {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(title).append('\n').append("-".repeat(title.length())).append('\n');
        line(out, headers, width);
        for (List<String> r : rows) {
            line(out, r, width);
        }
        for (String n : notes) {
            out.append("  * ").append(n.replace("`", "")).append('\n');
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            boolean numeric = !cell.isEmpty() && (Character.isDigit(cell.charAt(0)) || cell.startsWith("-") && cell.length() > 1
                    && Character.isDigit(cell.charAt(1)));
            out.append(c == 0 ? "" : "  ");
            String pad = " ".repeat(width[c] - cell.length());
            out.append(numeric ? pad + cell : cell + pad);
        }
        out.append('\n');
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(title).append("\n\n");
        out.append("| ").append(String.join(" | ", headers)).append(" |\n");
        out.append("|").append("---|".repeat(headers.size())).append('\n');
        for (List<String> r : rows) {
            out.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        out.append('\n');
        for (String n : notes) {
            out.append("- ").append(n).append('\n');
        }
        if (!notes.isEmpty()) {
            out.append('\n');
        }
        return out.toString();
    }
}
