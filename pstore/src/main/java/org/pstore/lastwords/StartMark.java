package org.pstore.lastwords;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a boot leaves so that its end can be judged later without it: the JVM's start, the flags that decide
 * what a death leaves behind (where an hs_err file goes, whether an OutOfMemoryError exits at once), the
 * working and temporary directories (where the JVM puts hs_err files and JFR emergency dumps by default), and
 * the cgroup's OOM-kill counter at the start. {@code key=value} lines; no secret goes here (no properties, no
 * arguments: only the values of named VM flags and two paths).
 */
public final class StartMark {
    public static final String JVM_START = "jvmStart";
    public static final String CWD = "cwd";
    public static final String TMP = "tmp";
    public static final String ERROR_FILE = "ErrorFile";
    public static final String EXIT_ON_OOM = "ExitOnOutOfMemoryError";
    public static final String CRASH_ON_OOM = "CrashOnOutOfMemoryError";
    public static final String HEAP_DUMP_ON_OOM = "HeapDumpOnOutOfMemoryError";
    public static final String HEAP_DUMP_PATH = "HeapDumpPath";
    public static final String OOM_COUNTER = "oomCounter";
    public static final String OOM_KILLS = "oomKills";
    private static final String[] FLAGS = {ERROR_FILE, EXIT_ON_OOM, CRASH_ON_OOM, HEAP_DUMP_ON_OOM, HEAP_DUMP_PATH};
    /** A value longer than this (a path) is left out rather than cut: a cut path would name another file. */
    private static final int MAX_VALUE = 4096;

    private final Map<String, String> facts;

    private StartMark(Map<String, String> facts) {
        this.facts = facts;
    }

    /** This JVM's start mark; each fact that cannot be had is left out. */
    public static StartMark ofThisJvm() {
        Map<String, String> f = new LinkedHashMap<>();
        try {
            f.put(JVM_START, Long.toString(ManagementFactory.getRuntimeMXBean().getStartTime()));
        } catch (RuntimeException | LinkageError unavailable) {
            // no start time: the reader judges by the pid alone
        }
        put(f, CWD, Path.of("").toAbsolutePath().toString());
        put(f, TMP, System.getProperty("java.io.tmpdir"));
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotspot =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            for (String flag : FLAGS) {
                try {
                    put(f, flag, hotspot.getVMOption(flag).getValue());
                } catch (IllegalArgumentException notThisVm) {
                    // a flag this VM does not have
                }
            }
        } catch (RuntimeException | LinkageError notHotSpot) {
            // another VM: the defaults are assumed
        }
        OomCounter.find().ifPresent(c -> {
            put(f, OOM_COUNTER, c.file().toString());
            c.read().ifPresent(n -> f.put(OOM_KILLS, Long.toString(n)));
        });
        return new StartMark(f);
    }

    /** For tests and the reader: a mark of these facts. */
    public static StartMark of(Map<String, String> facts) {
        return new StartMark(new LinkedHashMap<>(facts));
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null && value.length() <= MAX_VALUE && value.indexOf('\n') < 0 && value.indexOf('\0') < 0) {
            f.put(key, value);
        }
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        facts.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    static StartMark parse(String text) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                f.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new StartMark(f);
    }

    public Optional<String> get(String key) {
        String v = facts.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public boolean flag(String key) {
        return get(key).map("true"::equals).orElse(false);
    }

    public Optional<Long> number(String key) {
        return get(key).filter(v -> v.matches("-?\\d{1,18}")).map(Long::parseLong);
    }

    public Map<String, String> facts() {
        return Map.copyOf(facts);
    }
}
