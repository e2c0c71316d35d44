package org.pstore.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.TestStores;
import org.pstore.boot.Boot;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * pmsg retention: once the budget is full the oldest messages are erased in batches, one erase entry for many,
 * so a pmsg costs about one log entry; the newest stay within the budget, across a restart too.
 */
class PmsgRetentionTest {
    static final long BUDGET = 64 << 10;

    @TempDir
    Path dir;

    @Test
    void onceTheBudgetIsFullAPmsgCostsAboutOneLogEntryAndTheNewestAreKept() {
        long perPmsg;
        Boot.Booted b = Boot.open(TestStores.config(dir).pmsgBytes(BUDGET).build());
        try {
            for (int i = 0; i < 2_000; i++) {
                write(b, i); // fills the budget several times over
            }
            long before = b.services().logEntries();
            for (int i = 2_000; i < 4_000; i++) {
                write(b, i);
            }
            perPmsg = b.services().logEntries() - before;
        } finally {
            b.close();
        }
        System.out.println("PmsgRetentionTest: 2000 pmsgs past a full budget added " + perPmsg + " log entries");
        // 2 000 messages, one erase entry per twenty or so of them (a sixteenth of this small budget), and the pads
        // that keep Chronicle's indexed positions away from crash-time writes (about one entry in seven): one delete
        // per message would make it over 4 000.
        assertThat(perPmsg).as("log entries for 2 000 pmsgs").isBetween(2_000L, 2_600L);
        assertKeptNewestWithinBudget();

        Boot.Booted again = Boot.open(TestStores.config(dir).pmsgBytes(BUDGET).build()); // retention reloads what is kept
        try {
            for (int i = 4_000; i < 4_500; i++) {
                write(again, i);
            }
        } finally {
            again.close();
        }
        assertKeptNewestWithinBudget();
    }

    private void assertKeptNewestWithinBudget() {
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.problems()).isEmpty();
            List<PstoreRecord> pmsg = r.records().stream().filter(x -> x.type() == RecordType.PMSG).toList();
            assertThat(pmsg).as("every message listed reads back").allMatch(x -> r.stored(x) != null);
            int newest = pmsg.stream().mapToInt(x -> number(r.payload(x).text())).max().orElseThrow();
            int oldest = pmsg.stream().mapToInt(x -> number(r.payload(x).text())).min().orElseThrow();
            assertThat(pmsg.size()).as("messages kept: the newest, without a gap").isEqualTo(newest - oldest + 1);
            // a frame is its header and ~100 B (about 200 B): the 64 KiB budget holds some 300, of which at
            // least fifteen sixteenths are kept
            assertThat(pmsg.size()).isGreaterThan(250);
        }
    }

    private static long write(Boot.Booted b, int i) {
        byte[] m = ("message " + i + " " + "-".repeat(90)).getBytes(StandardCharsets.UTF_8);
        return b.pmsg().write(m, 0, m.length);
    }

    private static int number(String text) {
        return Integer.parseInt(text.substring("message ".length(), text.indexOf(' ', "message ".length())));
    }
}
