package org.pstore.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.PstoreException;
import org.pstore.TestStores;
import org.pstore.backend.EfiBackend;
import org.pstore.reader.ConsoleTail;

/**
 * A reader that meets a console line of a boot finds that boot named by the store's marker: the journal never
 * holds a line of a run the marker does not know yet (an incremental export would ship it as a run unknown).
 */
class BootMarkerTest {
    @TempDir
    Path dir;

    @Test
    void everyJournalLineOfABootIsPrecededByTheMarkerNamingIt() throws Exception {
        List<String> wrong = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        int[] seen = {0};
        Thread watcher = new Thread(() -> {
            ConsoleTail tail = null;
            boolean last = false;
            while (!last) {
                last = done.get(); // one more poll once the boots are over: it sees their last lines
                if (tail == null) {
                    if (!Files.isDirectory(EfiBackend.console(dir))) {
                        Thread.onSpinWait();
                        continue;
                    }
                    try {
                        tail = ConsoleTail.open(dir);
                    } catch (PstoreException e) {
                        last = false;
                        continue; // the journal is being made
                    }
                }
                tail.pollBatches(b -> {
                    String named = StoreLayout.facts(dir).get("boot"); // read after the line was seen
                    seen[0]++;
                    if (named == null || Long.parseLong(named) < b.boot()) {
                        wrong.add("a line of boot " + b.boot() + " while the marker named boot " + named + ": " + b.text().strip());
                    }
                });
            }
            tail.close();
        });
        watcher.start();
        for (int i = 0; i < 5; i++) {
            Boot.Booted b = Boot.open(TestStores.config(dir).build());
            b.close();
        }
        done.set(true);
        watcher.join(30_000);
        assertThat(wrong).isEmpty();
        assertThat(seen[0]).as("journal entries seen").isGreaterThanOrEqualTo(5);
    }
}
