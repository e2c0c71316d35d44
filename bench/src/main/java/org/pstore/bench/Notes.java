package org.pstore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Facts a benchmark fork learns that JMH has no column for (how long a store took to build, how many lines
 * the journal lost, where a dump went): appended as {@code key=value} lines to the file named by the system
 * property {@value #PROPERTY}, which the runner passes to every fork and reads back for RESULTS.md.
 */
final class Notes {
    static final String PROPERTY = "pstore.bench.notes";

    private Notes() {
    }

    static synchronized void put(String key, Object value) {
        String file = System.getProperty(PROPERTY);
        String line = key + "=" + String.valueOf(value).replace('\n', ' ') + "\n";
        if (file == null) {
            System.err.print("bench note: " + line);
            return;
        }
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.print("bench note (unwritable: " + e + "): " + line);
        }
    }

    /** Every note in {@code file}; a later value of a key replaces an earlier one. */
    static Map<String, String> read(Path file) {
        Map<String, String> notes = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return notes;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    notes.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            notes.put("notes.error", e.toString());
        }
        return notes;
    }
}
