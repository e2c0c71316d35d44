package org.pstore.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.VariableBuffer;

/** The read-only view: what a post-mortem reader sees, whatever state a writer left the files in. */
class StoreViewTest {
    private static final Namespace NS = VariableStoreTest.NS;

    @TempDir
    Path dir;

    private StoreConfig config() {
        return StoreConfig.builder(dir.resolve("vars")).capacity(256 << 10).reserve(32 << 10).maxVariableSize(16 << 10).build();
    }

    @Test
    void aViewAfterAKillBetweenDeletingTheOldGenerationAndUpdatingTheListingSeesEverything() throws IOException {
        try (VariableStore store = VariableStore.open(config())) {
            for (int i = 0; i < 64; i++) {
                VariableStoreTest.set(store, NS, "v" + i, "value " + i);
            }
            assertThat(store.compact()).isEqualTo(Status.OK);
        }
        // What a SIGKILL right after a compaction deleted generation 0 leaves: Chronicle's file list (in
        // metadata.cq4t) still starts at the deleted file, since it is updated only after the delete.
        assertThat(Files.exists(LogFiles.cycleFile(dir.resolve("vars"), 0))).isFalse();
        setMetadataValue(dir.resolve("vars").resolve(LogFiles.METADATA), "listing.lowestCycle", 0);

        try (StoreView view = StoreView.open(dir.resolve("vars"))) {
            Map<String, String> seen = new HashMap<>();
            long unreadable = view.forEach((ns, name, attrs, data, off, len) ->
                    seen.put(name.toString(), new String(data, off, len, StandardCharsets.UTF_8)));
            assertThat(unreadable).isZero();
            assertThat(seen).hasSize(64).containsEntry("v0", "value 0").containsEntry("v63", "value 63");
            VariableBuffer out = new VariableBuffer(16);
            assertThat(view.get(NS, "v17", out)).isEqualTo(Status.OK);
            assertThat(out.toUtf8()).isEqualTo("value 17");
        }
    }

    /** Sets one of Chronicle's table-store values (a named int64) in place, as the writer would have left it. */
    static void setMetadataValue(Path metadata, String key, long value) throws IOException {
        byte[] bytes = Files.readAllBytes(metadata);
        byte[] name = key.getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, name);
        int int64 = at + name.length;
        while ((bytes[int64] & 0xFF) != 0xA7) { // padding, then the int64 marker
            int64++;
        }
        try (FileChannel ch = FileChannel.open(metadata, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), int64 + 1);
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found: " + new String(needle, StandardCharsets.US_ASCII));
    }
}
