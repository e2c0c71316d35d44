package org.pstore.panic;

import java.util.ArrayList;
import java.util.List;

/** A console for tests that keeps every line (allocating: not for allocation tests). */
public final class RecordingConsole implements PanicConsole {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void println(CharSequence line) {
        lines.add(line.toString());
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    public synchronized long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    public synchronized boolean has(String prefix) {
        return count(prefix) > 0;
    }

    public synchronized int indexOf(String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** Bytes the report took: UTF-8 plus one line terminator per line. */
    public synchronized long bytes() {
        long total = 0;
        for (String line : lines) {
            total += line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        }
        return total;
    }
}
