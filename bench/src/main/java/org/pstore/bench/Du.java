package org.pstore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The bytes a directory holds, two ways: apparent (the sum of file sizes) and allocated (disk blocks, from
 * GNU {@code du -s -B1}; -1 when du is not there). Chronicle's files are sparse, so the two differ a lot.
 */
record Du(long apparent, long allocated, long files) {

    static Du of(Path dir) {
        long apparent = 0;
        long files = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p)) {
                    apparent += Files.size(p);
                    files++;
                }
            }
        } catch (IOException e) {
            apparent = -1;
        }
        return new Du(apparent, allocated(dir), files);
    }

    private static long allocated(Path dir) {
        try {
            Process p = new ProcessBuilder("du", "-s", "-B1", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return -1;
            }
            return Long.parseLong(out.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String describe() {
        return files + " files, " + Report.bytes(apparent) + " apparent, "
                + (allocated < 0 ? "allocated unknown (no du)" : Report.bytes(allocated) + " allocated");
    }
}
