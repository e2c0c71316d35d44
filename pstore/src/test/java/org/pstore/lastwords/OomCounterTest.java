package org.pstore.lastwords;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OOM-kill counter over fixture cgroup files (v1 and v2), and a run judged oom-killed when it rose. */
class OomCounterTest {
    @TempDir
    Path root;

    @Test
    void cgroupV2MemoryEvents() throws Exception {
        Path events = Files.createDirectories(root.resolve("system.slice/app.service")).resolve("memory.events");
        Files.writeString(events, "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n");
        OomCounter c = OomCounter.find("0::/system.slice/app.service\n", root).orElseThrow();
        assertThat(c.file()).isEqualTo(events);
        assertThat(c.read()).contains(2L);
    }

    @Test
    void cgroupV1OomControl() throws Exception {
        Path control = Files.createDirectories(root.resolve("memory/docker/abc")).resolve("memory.oom_control");
        Files.writeString(control, "oom_kill_disable 0\nunder_oom 0\noom_kill 5\n");
        OomCounter c = OomCounter.find("5:cpu:/\n4:memory:/docker/abc\n0::/\n", root).orElseThrow();
        assertThat(c.file()).isEqualTo(control);
        assertThat(c.read()).contains(5L);
    }

    @Test
    void aContainerSeesItsCgroupAtTheRoot() throws Exception {
        Files.writeString(root.resolve("memory.events"), "oom_kill 0\n");
        assertThat(OomCounter.find("0::/kubepods/pod1/c1\n", root).orElseThrow().file()).isEqualTo(root.resolve("memory.events"));
    }

    @Test
    void noCounterAndNoEscape() throws Exception {
        assertThat(OomCounter.find("0::/nothing/here\n", root)).isEmpty();
        Files.createDirectories(root.resolve("x"));
        Files.createSymbolicLink(root.resolve("x/memory.events"), Path.of("/etc/passwd"));
        assertThat(OomCounter.find("0::/x\n", root)).as("a link is not a counter").isEmpty();
        assertThat(OomCounter.read(root.resolve("x/memory.events"))).isEmpty();
    }

    @Test
    void aRunWhoseCounterRoseWasOomKilled() throws Exception {
        Path events = root.resolve("memory.events");
        Files.writeString(events, "oom 0\noom_kill 3\n");
        RunMark.Read mark = mark(Map.of(StartMark.OOM_COUNTER, events.toString(), StartMark.OOM_KILLS, "3"));
        assertThat(Judge.judge(mark, List.of(), r -> null, false, -1, null).ending()).isEqualTo(Ending.KILLED);
        Files.writeString(events, "oom 1\noom_kill 4\n");
        Judgement j = Judge.judge(mark, List.of(), r -> null, false, -1, null);
        assertThat(j.ending()).isEqualTo(Ending.OOM_KILLED);
        assertThat(j.evidence()).contains("cgroup oom_kill 3 at the start, 4 now (" + events + ")");
        System.out.println("OOM killer (fixture counter files): " + j.ending().word() + ", " + j.evidence());
    }

    static RunMark.Read mark(Map<String, String> facts) {
        long now = System.currentTimeMillis();
        return new RunMark.Read(4, 999_999_999L, now - 10_000, now - 2_000, 10, 100, 0, RunMark.Exit.NONE, -1, StartMark.of(facts));
    }
}
