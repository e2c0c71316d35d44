package org.pstore.lastwords;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.pstore.panic.DumpReason;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * Judges how a run ended from what it left: its run mark (start, heartbeat, end mark), the records of its boot,
 * an hs_err file of its pid, and the cgroup's OOM-kill counter. In this order, the first that holds: a crash
 * record (panic), an end mark (exit), an hs_err file (native-crash), a risen OOM-kill counter (oom-killed);
 * else killed. Used by the next boot, which records the judgement, and by the reader for the last boot.
 */
public final class Judge {
    static final int CONSOLE_LINES = 10;
    private static final int MAX_LINE = 300;
    /** A heap this full at the last heartbeat is named as a likely cause. */
    private static final double HEAP_NEAR_MAX = 0.9;

    private Judge() {
    }

    /**
     * @param records  every record of the store (those of the mark's boot are looked at)
     * @param payload  a record's payload, decompressed (null when gone)
     * @param alive    whether the writer of the mark is still running
     * @param ownerUid the store's owner, whom an hs_err file must belong to (-1: unchecked)
     * @param hsErrNow the hs_err file's bytes when the caller has just read it (boot ingests it), else null
     */
    public static Judgement judge(RunMark.Read mark, List<PstoreRecord> records, Function<PstoreRecord, byte[]> payload,
                                  boolean alive, int ownerUid, byte[] hsErrNow) {
        List<String> evidence = new ArrayList<>();
        List<String> likely = new ArrayList<>();
        List<String> related = new ArrayList<>();
        List<String> headline = new ArrayList<>();
        String next = null;
        Ending ending = null;

        PstoreRecord panic = null;
        PstoreRecord console = null;
        List<PstoreRecord> hsErrParts = new ArrayList<>();
        int oopses = 0;
        for (PstoreRecord r : records) {
            if (r.type() == RecordType.HSERR && r.count() == (int) mark.boot()) {
                hsErrParts.add(r);
            }
            if (r.bootNumber() != mark.boot()) {
                continue;
            }
            if (r.type() == RecordType.CONSOLE) {
                console = r;
            } else if (r.type() == RecordType.DMESG && r.reason() == DumpReason.PANIC.code()) {
                if (panic == null || r.part() == 1 && panic.part() != 1) {
                    panic = r;
                }
            } else if (r.type() == RecordType.DMESG && r.reason() == DumpReason.OOPS.code() && r.part() == 1) {
                oopses++;
            }
        }
        hsErrParts.sort(java.util.Comparator.comparingInt(PstoreRecord::part));

        if (alive) {
            ending = Ending.RUNNING;
            evidence.add("process " + mark.pid() + " is alive, started at " + Instant.ofEpochMilli(mark.startMillis()));
            next = "pstore tail";
        }
        if (ending == null && panic != null) {
            ending = Ending.PANIC;
            evidence.add("crash record Panic#" + panic.count() + " (" + panic.name() + ")");
            next = "pstore show --panic " + panic.count();
        }
        if (oopses > 0) {
            evidence.add(oopses + " oops record" + (oopses == 1 ? "" : "s") + " in that run");
        }
        if (ending == null && mark.ended()) {
            ending = Ending.EXIT;
            evidence.add("end mark at " + Instant.ofEpochMilli(mark.endMillis()) + ": the shutdown hooks ran");
        } else if (!alive && !mark.ended()) {
            evidence.add("no end mark: the shutdown hooks did not run");
        }

        // hs_err: ingested already, or a file of that pid, written since the run started
        String hsErr = null;
        if (!hsErrParts.isEmpty()) {
            hsErr = hsErrParts.get(0).name();
            byte[] first = payload.apply(hsErrParts.get(0));
            if (first != null) {
                headline.addAll(HsErrFiles.headline(first));
            }
            hsErrParts.forEach(p -> related.add(p.name()));
        } else {
            Optional<Path> file = freshHsErr(mark);
            if (file.isPresent()) {
                hsErr = file.get().toString();
                byte[] bytes = hsErrNow;
                if (bytes == null) {
                    try {
                        bytes = HsErrFiles.read(file.get(), ownerUid);
                    } catch (IOException e) {
                        evidence.add("hs_err file not read: " + e.getMessage());
                    }
                }
                if (bytes != null) {
                    headline.addAll(HsErrFiles.headline(bytes));
                }
            }
        }
        if (hsErr != null) {
            evidence.add("hs_err file of pid " + mark.pid() + ": " + hsErr);
            if (ending == null) {
                ending = Ending.NATIVE_CRASH;
                next = hsErr.startsWith("/") ? "less " + hsErr : "pstore show " + hsErr;
            }
        } else if (!alive && ending != Ending.EXIT && ending != Ending.PANIC) {
            evidence.add("no hs_err_pid" + mark.pid() + ".log in " + dirsOf(HsErrFiles.candidates(mark.start(), mark.pid())));
        }
        List<String> jfr = new ArrayList<>();
        HsErrFiles.jfrDumps(mark.start(), mark.pid()).forEach(p -> jfr.add(p.toString()));

        // the OOM killer
        Optional<Long> before = mark.start().number(StartMark.OOM_KILLS);
        Optional<String> counter = mark.start().get(StartMark.OOM_COUNTER);
        if (counter.isPresent() && before.isPresent() && !alive) {
            Optional<Long> now = OomCounter.read(Path.of(counter.get()));
            if (now.isPresent()) {
                evidence.add("cgroup oom_kill " + before.get() + " at the start, " + now.get() + " now (" + counter.get() + ")");
                if (ending == null && now.get() > before.get()) {
                    ending = Ending.OOM_KILLED;
                    likely.add("the kernel's OOM killer (the cgroup's memory limit was reached)");
                }
            } else {
                evidence.add("the cgroup's OOM-kill counter is gone (" + counter.get() + "): the cgroup was removed");
            }
        } else if (counter.isEmpty() && !alive && ending != Ending.EXIT) {
            evidence.add("no cgroup OOM-kill counter where the run started");
        }

        if (ending == null) {
            ending = Ending.KILLED;
            if (mark.start().flag(StartMark.EXIT_ON_OOM)) {
                likely.add("-XX:+ExitOnOutOfMemoryError was set: an OutOfMemoryError ends the JVM at once (status 3), running no Java code");
            }
            if (mark.heapMax() > 0 && mark.heapUsed() >= HEAP_NEAR_MAX * mark.heapMax()) {
                likely.add(String.format("the heap was %d%% full at the last heartbeat (%d of %d MiB)",
                        Math.round(100.0 * mark.heapUsed() / mark.heapMax()), mark.heapUsed() >> 20, mark.heapMax() >> 20));
            }
            likely.add("SIGKILL (an operator, a deploy tool, a container runtime past its grace period) or a power loss");
        }

        if (panic != null) {
            for (PstoreRecord r : records) {
                if (r.bootNumber() == mark.boot() && r.type() == RecordType.DMESG && related.size() < 12) {
                    related.add(r.name());
                }
            }
        }
        List<String> lines = new ArrayList<>();
        if (console != null) {
            related.add(console.name());
            byte[] text = payload.apply(console);
            if (text != null) {
                lines = lastLines(new String(text, StandardCharsets.UTF_8));
            }
            if (next == null) {
                next = "pstore show " + console.name();
            }
        }
        if (next == null) {
            next = "pstore list";
        }
        String exit = null;
        Integer status = null;
        if (mark.ended()) {
            exit = mark.exit().description();
            status = mark.status() >= 0 ? mark.status() : null;
            if (status == null) {
                exit += ", status unknown";
            }
        }
        Instant ended = mark.ended() ? Instant.ofEpochMilli(mark.endMillis()) : null;
        return new Judgement(ending, mark.boot(), mark.pid(), Instant.ofEpochMilli(mark.startMillis()), Instant.ofEpochMilli(mark.beatMillis()),
                ended, exit, status, evidence, likely, related, hsErr, headline, jfr, lines, next);
    }

    /** The hs_err file of the mark's pid that the JVM would have written, if it exists and is not older than the run. */
    static Optional<Path> freshHsErr(RunMark.Read mark) {
        for (Path p : HsErrFiles.candidates(mark.start(), mark.pid())) {
            try {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() >= mark.startMillis() - 2000) {
                    return Optional.of(p);
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return Optional.empty();
    }

    private static String dirsOf(List<Path> candidates) {
        List<String> dirs = new ArrayList<>();
        for (Path p : candidates) {
            String d = p.getParent() == null ? p.toString() : p.getParent().toString();
            if (!dirs.contains(d)) {
                dirs.add(d);
            }
        }
        return String.join(", ", dirs);
    }

    static List<String> lastLines(String text) {
        String[] all = text.split("\n");
        List<String> out = new ArrayList<>();
        for (int i = Math.max(0, all.length - CONSOLE_LINES); i < all.length; i++) {
            String l = all[i].strip();
            if (!l.isEmpty()) {
                out.add(l.length() > MAX_LINE ? l.substring(0, MAX_LINE) : l);
            }
        }
        return out;
    }
}
