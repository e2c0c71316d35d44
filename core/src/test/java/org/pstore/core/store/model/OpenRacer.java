package org.pstore.core.store.model;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import org.pstore.core.Attributes;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.store.VariableStore;

/**
 * Child JVM of the two-writers test: for a while, again and again, tries to open the store for writing.
 * Admitted, it prints {@code in <nanoTime>}, tries a second open in this process (as an agent and the
 * application would; it must be BUSY), writes, holds the store a moment, prints {@code out <nanoTime>} and
 * closes. Refused, it prints {@code busy}. It warms up first, says {@code ready} and starts at a line on
 * stdin. Args: store dir, milliseconds to race, seed.
 */
public final class OpenRacer {
    public static void main(String[] args) throws java.io.IOException {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[2]));
        Path scratch = java.nio.file.Files.createTempDirectory("racer-warm").resolve("vars");
        for (int i = 0; i < 3; i++) { // the first opens of a JVM load Chronicle: not part of the race
            VariableStore.open(config(scratch)).close();
        }
        System.out.println("ready");
        System.out.flush();
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine(); // "go"
        long end = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000;
        StoreConfig config = config(dir);
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(random.nextInt(5_000_000)); // a pause between turns, or the holder takes every one
            try (VariableStore store = VariableStore.open(config)) {
                System.out.println("in " + System.nanoTime());
                try (VariableStore second = VariableStore.open(config)) {
                    System.out.println("second ADMITTED");
                } catch (StoreException e) {
                    System.out.println("second " + e.status());
                }
                byte[] v = ("held by " + ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
                Status s = store.set(Op.NAMESPACES[0], "holder", Attributes.DEFAULT, v, 0, v.length);
                LockSupport.parkNanos(random.nextInt(20_000_000));
                System.out.println("out " + System.nanoTime() + " " + s);
            } catch (StoreException e) {
                System.out.println(e.status() == Status.BUSY ? "busy" : "error " + e.getMessage());
            }
        }
        System.out.println("done");
    }

    private static StoreConfig config(Path dir) {
        return StoreConfig.builder(dir).capacity(256 << 10).reserve(32 << 10).maxVariableSize(4096).build();
    }
}
