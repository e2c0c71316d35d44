package org.pstore.core.store.model;

import org.pstore.core.Attributes;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.VariableOps;
import org.pstore.core.ops.LegacyOps;
import org.pstore.core.store.VariableStore;

/**
 * One operation of the model-based test, with a one-line text form (what a child writer prints before it
 * runs the operation, so its parent knows every operation tried, the one in flight at a kill included).
 */
record Op(long seq, Kind kind, int ns, String name, int length) {
    enum Kind {
        SET("set"), DELETE("del"), CRASH_SET("cset"), CRASH_DELETE("cdel"), COMPACT("compact");

        final String word;

        Kind(String word) {
            this.word = word;
        }

        static Kind of(String word) {
            for (Kind k : values()) {
                if (k.word.equals(word)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no operation " + word);
        }

        boolean writes() {
            return this == SET || this == CRASH_SET;
        }

        boolean deletes() {
            return this == DELETE || this == CRASH_DELETE;
        }

        boolean crashTime() {
            return this == CRASH_SET || this == CRASH_DELETE;
        }
    }

    static final Namespace[] NAMESPACES = {
            Namespace.of(java.util.UUID.fromString("6b1d8f0e-3c2a-4e5f-9a8b-7c6d5e4f3a2b"), "model-a"),
            Namespace.of(java.util.UUID.fromString("1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"), "model-b"),
    };

    /** The model's key: namespace number and name. */
    String key() {
        return key(ns, name);
    }

    static String key(int ns, CharSequence name) {
        return ns + "/" + name;
    }

    byte[] value() {
        return Values.of(seq, key(), length);
    }

    /** What this entry costs in the store's accounting (name, data and 40 bytes of framing). */
    long cost() {
        return cost(name.length(), kind.writes() ? length : 0);
    }

    static long cost(int nameLength, int dataLength) {
        return 40L + nameLength + dataLength;
    }

    Status apply(VariableStore store) {
        Namespace n = NAMESPACES[ns];
        switch (kind) {
            case SET: {
                byte[] v = value();
                return store.set(n, name, Attributes.DEFAULT, v, 0, v.length);
            }
            case CRASH_SET: {
                byte[] v = value();
                return store.setNonBlocking(n, name, Attributes.DEFAULT, v, 0, v.length);
            }
            case DELETE:
                return store.set(n, name, 0, null, 0, 0);
            case CRASH_DELETE:
                return store.setNonBlocking(n, name, 0, null, 0, 0);
            case COMPACT:
                return store.compact();
            default:
                throw new AssertionError(kind);
        }
    }

    /** Through an ops table; a compaction through the legacy ops (the table offers none). */
    Status apply(VariableOps ops, LegacyOps legacy) {
        Namespace n = NAMESPACES[ns];
        switch (kind) {
            case SET: {
                byte[] v = value();
                return ops.set(n, name, Attributes.DEFAULT, v, 0, v.length);
            }
            case CRASH_SET: {
                byte[] v = value();
                return legacy.setNonBlocking(n, name, Attributes.DEFAULT, v, 0, v.length);
            }
            case DELETE:
                return ops.set(n, name, 0, null, 0, 0);
            case CRASH_DELETE:
                return legacy.setNonBlocking(n, name, 0, null, 0, 0);
            case COMPACT:
                return legacy.compact();
            default:
                throw new AssertionError(kind);
        }
    }

    String text() {
        return "do " + seq + " " + kind.word + (kind == Kind.COMPACT ? "" : " " + ns + " " + name + (kind.writes() ? " " + length : ""));
    }

    /** Parses {@link #text()}. */
    static Op parse(String line) {
        String[] w = line.split(" ");
        long seq = Long.parseLong(w[1]);
        Kind kind = Kind.of(w[2]);
        if (kind == Kind.COMPACT) {
            return new Op(seq, kind, 0, "", 0);
        }
        return new Op(seq, kind, Integer.parseInt(w[3]), w[4], kind.writes() ? Integer.parseInt(w[5]) : 0);
    }

    @Override
    public String toString() {
        return text();
    }
}
