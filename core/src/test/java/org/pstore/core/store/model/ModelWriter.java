package org.pstore.core.store.model;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.store.VariableStore;

/**
 * Child JVM of the model-based crash tests: opens the store, learns what it holds, then runs random
 * operations until it is killed (or has run {@code limit} of them), printing {@code do <op>} before and
 * {@code ack <seq> <status>} after each. Args: store dir, seed, capacity KiB, reserve KiB, names per
 * namespace, first sequence number, limit (0: none), pause in microseconds after each operation.
 */
public final class ModelWriter {
    public static void main(String[] args) throws java.io.IOException {
        if (args.length == 1 && args[0].equals("--warm")) {
            args = warmThenWait();
        }
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        StoreModel.Limits limits = new StoreModel.Limits(Long.parseLong(args[2]) << 10, Long.parseLong(args[3]) << 10);
        int names = Integer.parseInt(args[4]);
        long first = Long.parseLong(args[5]);
        long limit = Long.parseLong(args[6]);
        long pauseNanos = Long.parseLong(args[7]) * 1000;
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.US_ASCII);
        VariableStore store;
        try {
            store = VariableStore.open(config(dir, limits));
        } catch (StoreException e) {
            out.println("refused " + e.status() + " " + e.getMessage());
            out.flush();
            System.exit(3);
            return;
        }
        StoreModel known = StoreModel.load(store);
        RandomOps ops = new RandomOps(new Random(seed), names, 4096, first);
        out.println("ready " + known.size());
        out.flush();
        for (long i = 0; limit == 0 || i < limit; i++) {
            Op op = ops.next(known, limits);
            out.println(op.text());
            out.flush();
            Status s = op.apply(store);
            out.println("ack " + op.seq() + " " + s);
            out.flush();
            if (s == Status.OK) {
                known.apply(op);
            }
            if (pauseNanos > 0) {
                long until = System.nanoTime() + pauseNanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        }
        store.close();
        out.println("done");
        out.flush();
    }

    /**
     * Started ahead of its round: opens a store on a scratch directory (loading Chronicle) while the previous
     * round runs, then reads its arguments from stdin (one line, space-separated).
     */
    private static String[] warmThenWait() throws java.io.IOException {
        Path scratch = java.nio.file.Files.createTempDirectory("model-warm");
        StoreModel.Limits limits = new StoreModel.Limits(64 << 10, 16 << 10);
        VariableStore.open(config(scratch.resolve("vars"), limits)).close(); // loads Chronicle, the slow part of a start
        try (var files = java.nio.file.Files.walk(scratch)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        if (line == null) {
            System.exit(0); // not needed after all
        }
        return line.split(" ");
    }

    static StoreConfig config(Path dir, StoreModel.Limits limits) {
        return StoreConfig.builder(dir).capacity(limits.capacity()).reserve(limits.reserve()).maxVariableSize(4096).build();
    }
}
