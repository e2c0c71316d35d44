package org.pstore.core.store.model;

import java.util.List;
import java.util.Random;

/**
 * The operations of the model-based test, drawn from a seeded random source: sets of new names and
 * overwrites (a small pool of names per namespace), deletes of present and absent names, crash-time
 * writes and deletes, bursts of crash-time writes (a panic dumping its parts, into the reserve), compactions. Deletes grow likelier as the store fills, so runs swing between full
 * (refusals, crash-time writes eating the reserve) and nearly empty.
 */
final class RandomOps {
    private final Random random;
    private final int names;
    private final int maxLength;
    private long seq;
    /** Crash-time writes still to come in the current burst (a panic dumping its parts). */
    private int burst;

    RandomOps(Random random, int names, int maxLength, long firstSeq) {
        this.random = random;
        this.names = names;
        this.maxLength = maxLength;
        this.seq = firstSeq;
    }

    Op next(StoreModel known, StoreModel.Limits limits) {
        long s = seq++;
        if (burst > 0 || random.nextInt(2500) == 0) {
            burst = burst > 0 ? burst - 1 : 10 + random.nextInt(50);
            return new Op(s, Op.Kind.CRASH_SET, 0, "dump-" + random.nextInt(64), 1024 + random.nextInt(maxLength - 1023));
        }
        double fill = known.live() / (double) limits.normal();
        int r = random.nextInt(1000);
        int deletes = fill > 0.95 ? 500 : fill > 0.7 ? 120 : 30;
        if (r < 10) {
            return new Op(s, Op.Kind.COMPACT, 0, "", 0);
        }
        if (r < 10 + deletes) {
            return withName(s, Op.Kind.DELETE, known, 0.9);
        }
        if (r < 10 + deletes + 20) {
            return withName(s, Op.Kind.CRASH_DELETE, known, 0.8);
        }
        if (r < 10 + deletes + 20 + 90) {
            return new Op(s, Op.Kind.CRASH_SET, random.nextInt(2), name(), length());
        }
        return new Op(s, Op.Kind.SET, random.nextInt(2), name(), length());
    }

    /** A delete of a present name with probability {@code present} (when there is one), else of any name. */
    private Op withName(long s, Op.Kind kind, StoreModel known, double present) {
        if (known.size() > 0 && random.nextDouble() < present) {
            List<String> keys = known.keys();
            String key = keys.get(random.nextInt(keys.size()));
            int slash = key.indexOf('/');
            return new Op(s, kind, Integer.parseInt(key.substring(0, slash)), key.substring(slash + 1), 0);
        }
        return new Op(s, kind, random.nextInt(2), name(), 0);
    }

    private String name() {
        int i = random.nextInt(names);
        if (i % 37 == 0) { // a few long names, up to the longest allowed
            return ("long-" + i + "-").repeat(20).substring(0, 60 + i % 69);
        }
        return "v" + i;
    }

    private int length() {
        int r = random.nextInt(100);
        int max = r < 70 ? 200 : r < 95 ? 1500 : maxLength;
        int min = r < 70 ? Values.MIN_LENGTH : r < 95 ? 200 : 1500;
        return min + random.nextInt(max - min + 1);
    }
}
