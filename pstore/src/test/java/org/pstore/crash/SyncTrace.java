package org.pstore.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an {@code strace -f} log (openat, mmap, munmap, msync, fsync, fdatasync, write) of a process that
 * says "ack N" on stdout after each acknowledged write, and tells, for each acknowledgement, whether a
 * synchronous flush of a file in the store completed since the one before: {@code msync(MS_SYNC)} of a
 * mapping of such a file, or {@code fsync}/{@code fdatasync} of a descriptor open on one.
 */
final class SyncTrace {
    private static final Pattern CALL = Pattern.compile("^(\\d+)\\s+(.*)$");
    private static final Pattern OPENAT = Pattern.compile("^openat\\(AT_FDCWD, \"([^\"]+)\", [^)]*\\)\\s+= (\\d+)");
    private static final Pattern MMAP = Pattern.compile("^mmap\\(\\w+, (\\d+), [^,]+, MAP_SHARED[^,]*, (\\d+), \\w+\\)\\s+= (0x[0-9a-f]+)");
    private static final Pattern MSYNC = Pattern.compile("^msync\\((0x[0-9a-f]+), (\\d+), ([A-Z_|]+)\\)\\s+= 0");
    private static final Pattern FSYNC = Pattern.compile("^f(?:data)?sync\\((\\d+)\\)\\s+= 0");
    private static final Pattern WRITE = Pattern.compile("^write\\(1, \"(ack \\d+|panic)\\\\n\", \\d+\\)\\s+= \\d+");

    /** One acknowledgement (or the panic marker) and whether a synchronous flush of the store preceded it. */
    record Ack(String what, boolean synced, int asyncFlushes) {
    }

    final List<Ack> acks = new ArrayList<>();
    /** Synchronous flushes of the store after the last line said "panic". */
    int syncsAfterPanic;

    private final String storeDir;
    private final Map<Integer, String> fds = new HashMap<>();
    private final TreeMap<Long, long[]> maps = new TreeMap<>(); // address -> {length, index into paths}
    private final List<String> paths = new ArrayList<>();
    private final Map<String, String> unfinished = new HashMap<>();
    private boolean synced;
    private int async;
    private boolean panicked;

    private SyncTrace(String storeDir) {
        this.storeDir = storeDir;
    }

    static SyncTrace of(List<String> log, String storeDir) {
        SyncTrace t = new SyncTrace(storeDir);
        log.forEach(t::line);
        return t;
    }

    private void line(String raw) {
        Matcher m = CALL.matcher(raw);
        if (!m.matches()) {
            return;
        }
        String pid = m.group(1);
        String call = m.group(2);
        if (call.endsWith("<unfinished ...>")) {
            unfinished.put(pid, call.substring(0, call.length() - "<unfinished ...>".length()).stripTrailing());
            return;
        }
        if (call.startsWith("<... ")) {
            String start = unfinished.remove(pid);
            if (start == null) {
                return;
            }
            call = start + call.substring(call.indexOf("resumed>") + "resumed>".length());
        }
        call(call);
    }

    private void call(String call) {
        Matcher m;
        if ((m = OPENAT.matcher(call)).find()) {
            fds.put(Integer.parseInt(m.group(2)), m.group(1));
        } else if ((m = MMAP.matcher(call)).find()) {
            String path = fds.get(Integer.parseInt(m.group(2)));
            if (path != null) {
                paths.add(path);
                maps.put(Long.decode(m.group(3)), new long[] {Long.parseLong(m.group(1)), paths.size() - 1});
            }
        } else if ((m = MSYNC.matcher(call)).find()) {
            long at = Long.decode(m.group(1));
            var map = maps.floorEntry(at);
            boolean inStore = map != null && at + Long.parseLong(m.group(2)) <= map.getKey() + map.getValue()[0]
                    && inStore(paths.get((int) map.getValue()[1]));
            if (inStore && m.group(3).contains("MS_SYNC")) {
                flushed();
            } else if (inStore) {
                async++;
            }
        } else if ((m = FSYNC.matcher(call)).find()) {
            if (inStore(fds.get(Integer.parseInt(m.group(1))))) {
                flushed();
            }
        } else if ((m = WRITE.matcher(call)).find()) {
            acks.add(new Ack(m.group(1), synced, async));
            panicked |= m.group(1).equals("panic");
            synced = false;
            async = 0;
        }
    }

    private boolean inStore(String path) {
        return path != null && path.startsWith(storeDir) && (path.endsWith(".cq4") || path.endsWith("panic.area"));
    }

    private void flushed() {
        synced = true;
        if (panicked) {
            syncsAfterPanic++;
        }
    }
}
