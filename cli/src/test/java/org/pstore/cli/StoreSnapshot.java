package org.pstore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** What a store directory holds, to tell that nothing changed on disk: every directory, and every file's size and checksum. */
final class StoreSnapshot {
    private StoreSnapshot() {
    }

    static Map<String, Long> of(Path store) throws IOException {
        Map<String, Long> s = new TreeMap<>();
        try (Stream<Path> all = Files.walk(store)) {
            for (Path p : all.sorted().toList()) {
                String rel = store.relativize(p).toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    s.put(rel + "/", 0L);
                } else {
                    CRC32C crc = new CRC32C();
                    crc.update(Files.readAllBytes(p));
                    s.put(rel, crc.getValue() ^ (Files.size(p) << 32));
                }
            }
        }
        return s;
    }
}
