package org.pstore.crash;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;

/**
 * Boots pstore as a plain application does (the default mode) and writes pmsg messages from several threads
 * at once as fast as they can; after each acknowledged write it prints "ack T N", until it is killed. Thread 0
 * also prints the worker's group figures every few hundred messages. Args: store dir, threads, seed.
 */
public final class GroupCommitApp {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        Pstore p = Pstore.boot(PstoreConfig.builder().dir(Path.of(args[0])).capacity(64 << 20).reserve(1 << 20)
                .pmsgBytes(24 << 20).build());
        System.out.println("mode " + p.mode());
        System.out.flush();
        for (int t = 0; t < threads; t++) {
            int id = t;
            SplittableRandom random = new SplittableRandom(seed + t);
            Thread w = new Thread(() -> {
                for (long n = 0; ; n++) {
                    Pstore.pmsg(message(id, n, random.nextInt(400)));
                    System.out.println("ack " + id + " " + n);
                    if (id == 0 && n % 200 == 0) {
                        long[] g = p.internals().services().workerGroups();
                        System.out.println("groups " + g[0] + " requests " + g[1]);
                    }
                }
            }, "writer-" + t);
            w.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    static String message(int thread, long n, int padding) {
        return "m-" + thread + "-" + n + "-" + "p".repeat(padding);
    }
}
