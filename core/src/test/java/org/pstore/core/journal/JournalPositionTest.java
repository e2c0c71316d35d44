package org.pstore.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Durability;

/** A journal entry keeps its position while the journal is trimmed and reopened: readers can resume by it. */
class JournalPositionTest {
    @TempDir
    Path dir;

    @Test
    void positionsGrowAndStayWhenOldSegmentsAreDeletedOrTheJournalReopened() throws Exception {
        Map<String, Long> first = new LinkedHashMap<>();
        try (Journal j = Journal.openWritable(dir, 64 << 10, Durability.PROCESS)) {
            for (int i = 0; i < 40; i++) {
                append(j, "entry " + i);
            }
            first.putAll(read());
        }
        assertThat(first).hasSize(40);
        assertThat(java.util.List.copyOf(first.values())).isSorted().doesNotHaveDuplicates();

        try (Journal j = Journal.openWritable(dir, 64 << 10, Durability.PROCESS)) { // a new run
            for (int i = 40; i < 2000; i++) {
                append(j, "entry " + i + " " + "x".repeat(200)); // far past the bound: old segments go
            }
        }
        Map<String, Long> later = read();
        assertThat(later).doesNotContainKey("entry 0").as("trimmed, newest kept").containsKey("entry 1999 " + "x".repeat(200));
        assertThat(java.util.List.copyOf(later.values())).isSorted().doesNotHaveDuplicates();
        assertThat(later.values().iterator().next()).as("what is left comes after what was read before")
                .isGreaterThan(first.get("entry 39"));
    }

    private static void append(Journal j, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        j.append(b, 0, b.length);
    }

    private Map<String, Long> read() {
        Map<String, Long> seen = new LinkedHashMap<>();
        try (Journal.Reader r = Journal.openReadOnly(dir)) {
            assertThat(r.position()).isEqualTo(-1);
            byte[][] buf = {new byte[64]};
            for (int n; (n = r.next(buf)) >= 0; ) {
                seen.put(new String(buf[0], 0, n, StandardCharsets.UTF_8), r.position());
            }
        }
        return seen;
    }
}
