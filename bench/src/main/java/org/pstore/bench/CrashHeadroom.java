package org.pstore.bench;

import java.util.UUID;

import org.pstore.core.Attributes;
import org.pstore.core.NameCursor;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.VariableOps;

/**
 * Room for many crash-time writes in one store. A crash-time write never grows the store's index (that
 * would allocate), so a fresh store takes only a few hundred crash records before they go to the panic
 * area — plenty for a real crash, not for a benchmark that dumps thousands of times. This grows the index
 * through normal writes of throw-away variables, deletes them, and goes on with single write-and-delete
 * pairs until the index has been rebuilt once more (its epoch, seen through a name cursor, moves): the
 * rebuilt index keeps its size but drops the deleted names, so crash-time writes find it nearly empty.
 */
final class CrashHeadroom {
    private static final Namespace FILLER = Namespace.of(UUID.fromString("6c1b2f1e-4f0e-4d53-9c55-6a9e3c2b1d00"), "bench-filler");
    private static final byte[] ONE = {1};

    private CrashHeadroom() {
    }

    /** Makes room for about {@code names} crash-time variables of up to ~40 characters; returns a description. */
    static String prepare(VariableOps ops, int names) {
        long start = System.nanoTime();
        StringBuilder name = new StringBuilder(64);
        for (int i = 0; i < names; i++) {
            check(ops.set(FILLER, filler(name, "fill", i), Attributes.DEFAULT, ONE, 0, 1), name);
        }
        for (int i = 0; i < names; i++) {
            check(ops.set(FILLER, filler(name, "fill", i), 0, null, 0, 0), name);
        }
        long epoch = epoch(ops);
        int spins = 0;
        // reading the epoch scans the index from its first slot: look every 256 pairs (overshoot costs nothing)
        while ((spins & 255) != 0 || epoch(ops) == epoch) {
            if (spins > 4 * names) {
                throw new IllegalStateException("the store index was not rebuilt after " + spins + " writes");
            }
            filler(name, "spin", spins++);
            check(ops.set(FILLER, name, Attributes.DEFAULT, ONE, 0, 1), name);
            check(ops.set(FILLER, name, 0, null, 0, 0), name);
        }
        return names + " fillers + " + spins + " write/delete pairs in " + (System.nanoTime() - start) / 1_000_000 + " ms";
    }

    private static StringBuilder filler(StringBuilder out, String kind, int i) {
        out.setLength(0);
        out.append("bench-").append(kind).append('-').append(i).append("-padding-to-forty-chars");
        return out;
    }

    private static long epoch(VariableOps ops) {
        NameCursor cursor = new NameCursor();
        Status s = ops.nextName(cursor);
        if (s != Status.OK) {
            throw new IllegalStateException("store has no variable to read the index epoch from: " + s);
        }
        return cursor.epoch();
    }

    private static void check(Status s, CharSequence name) {
        if (!s.ok()) {
            throw new IllegalStateException("filler " + name + ": " + s);
        }
    }
}
