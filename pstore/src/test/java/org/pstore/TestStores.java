package org.pstore;

import java.nio.file.Path;

import org.pstore.boot.Boot;
import org.pstore.compress.Compression;

/** Small stores for in-process tests: opened without touching anything process-wide. */
public final class TestStores {
    private TestStores() {
    }

    public static PstoreConfig.Builder config(Path dir) {
        return PstoreConfig.builder().dir(dir).capacity(2 << 20).reserve(512 << 10).recordSize(8 << 10)
                .kmsgBytes(32 << 10).pmsgBytes(256 << 10).journalBytes(256 << 10).compression(Compression.DEFLATE);
    }

    public static Boot.Booted open(Path dir) {
        return Boot.open(config(dir).build());
    }
}
