package org.pstore.core.store.model;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pstore.core.Status;

/**
 * What a {@link ModelWriter} child said, read as its output file grows: the operations it tried in order,
 * each one's status once acknowledged, and the one in flight (tried, not acknowledged) when it stopped.
 */
final class ChildOps {
    private final Path file;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private final List<Op> tried = new ArrayList<>();
    private final Map<Long, Status> acked = new HashMap<>();
    private String last = "";
    private boolean ready;
    private String refused;

    ChildOps(Path file) {
        this.file = file;
    }

    /** Reads whatever the child wrote since the last call. */
    void poll() {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) {
                return;
            }
            byte[] buf = new byte[(int) (length - offset)];
            f.seek(offset);
            f.readFully(buf);
            offset = length;
            partial.append(new String(buf, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return; // not created yet
        }
        int start = 0;
        for (int nl; (nl = partial.indexOf("\n", start)) >= 0; start = nl + 1) {
            line(partial.substring(start, nl));
        }
        partial.delete(0, start);
    }

    private void line(String line) {
        last = line;
        if (line.startsWith("do ")) {
            tried.add(Op.parse(line));
        } else if (line.startsWith("ack ")) {
            String[] w = line.split(" ");
            acked.put(Long.parseLong(w[1]), Status.valueOf(w[2]));
        } else if (line.startsWith("ready")) {
            ready = true;
        } else if (line.startsWith("refused")) {
            refused = line;
        }
    }

    boolean ready() {
        return ready;
    }

    String refused() {
        return refused;
    }

    int acknowledged() {
        return acked.size();
    }

    /** Whether the last complete line announces a compaction not yet acknowledged. */
    boolean compacting() {
        return last.startsWith("do ") && last.endsWith(" compact");
    }

    List<Op> tried() {
        return tried;
    }

    /** The status of an acknowledged operation, or null for the one in flight. */
    Status status(Op op) {
        return acked.get(op.seq());
    }

    /** The operation tried and not acknowledged (the child was killed inside it), or null. */
    Op inFlight() {
        if (tried.isEmpty()) {
            return null;
        }
        Op op = tried.get(tried.size() - 1);
        return acked.containsKey(op.seq()) ? null : op;
    }

    long lastSeq() {
        return tried.isEmpty() ? -1 : tried.get(tried.size() - 1).seq();
    }
}
