package org.pstore.core.store.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import org.pstore.core.NameCursor;
import org.pstore.core.Status;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableOps;
import org.pstore.core.store.StoreView;
import org.pstore.core.store.VariableStore;

/**
 * The reference the store is checked against: a map from key to the operation whose value is current.
 * It also judges each status the store returns (a refusal must be one the store's rules allow) and
 * compares a store or a read-only view with itself, byte for byte.
 */
final class StoreModel {
    /** A live variable: the operation that wrote it and its length (the bytes follow from both). */
    record Entry(long seq, int length) {
    }

    /** The store's settings the rules depend on. */
    record Limits(long capacity, long reserve) {
        long normal() {
            return capacity - reserve;
        }
    }

    private static final long SNAPSHOT_MARKERS = 80;

    private final Map<String, Entry> vars;
    private long live;
    private long hash;

    StoreModel() {
        this(new HashMap<>(), 0, 0);
    }

    private StoreModel(Map<String, Entry> vars, long live, long hash) {
        this.vars = vars;
        this.live = live;
        this.hash = hash;
    }

    StoreModel copy() {
        return new StoreModel(new HashMap<>(vars), live, hash);
    }

    /** What a store holds, as a model (each value names the operation that wrote it). */
    static StoreModel load(VariableStore store) {
        StoreModel m = new StoreModel();
        NameCursor cursor = new NameCursor();
        VariableBuffer buf = new VariableBuffer(256);
        while (store.nextName(cursor) == Status.OK) {
            if (store.get(cursor.namespace(), cursor.name(), buf) == Status.OK) {
                int ns = namespace(cursor.namespace());
                m.apply(new Op(Values.seqOf(buf.data(), 0, buf.length()), Op.Kind.SET, ns, cursor.nameString(), buf.length()));
            }
        }
        return m;
    }

    /** Applies an operation the store acknowledged. */
    void apply(Op op) {
        if (op.kind().writes()) {
            remove(op.key());
            vars.put(op.key(), new Entry(op.seq(), op.length()));
            live += op.cost();
            hash += mix(op.key(), op.seq(), op.length());
        } else if (op.kind().deletes()) {
            remove(op.key());
        }
    }

    private void remove(String key) {
        Entry old = vars.remove(key);
        if (old != null) {
            live -= Op.cost(key.length() - key.indexOf('/') - 1, old.length());
            hash -= mix(key, old.seq(), old.length());
        }
    }

    boolean contains(String key) {
        return vars.containsKey(key);
    }

    Entry get(String key) {
        return vars.get(key);
    }

    List<String> keys() {
        return new ArrayList<>(vars.keySet());
    }

    int size() {
        return vars.size();
    }

    long live() {
        return live;
    }

    /** Order-independent digest of the whole state: equal states, equal digests. */
    long digest() {
        return hash;
    }

    static long mix(String key, long seq, int length) {
        long h = key.hashCode() * 0x9E3779B97F4A7C15L ^ seq * 0xC2B2AE3D27D4EB4FL ^ length;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ h >>> 29;
    }

    /**
     * Judges the store's answer to {@code op} and applies it when acknowledged. Returns null when the answer
     * is one the rules allow, else what is wrong. {@code used} is the store's log size, asked only to judge
     * a crash-time refusal.
     */
    String judge(Op op, Status status, Limits limits, LongSupplier used) {
        boolean present = contains(op.key());
        switch (op.kind()) {
            case COMPACT:
                return status == Status.OK ? null : "compaction failed: " + status;
            case SET:
                if (status == Status.OUT_OF_RESOURCES) {
                    // the new value is appended before the old one is dropped, after a compaction: live + entry + markers
                    return live + op.cost() + SNAPSHOT_MARKERS > limits.normal() ? null
                            : "refused with " + live + " live bytes of " + limits.normal();
                }
                break;
            case CRASH_SET:
                if (status == Status.OUT_OF_RESOURCES) {
                    // no compaction at crash time: the log itself must be full, or the index (for a new name)
                    return !present || used.getAsLong() + op.cost() > limits.capacity() ? null
                            : "crash-time write refused with " + used.getAsLong() + " of " + limits.capacity() + " used";
                }
                break;
            case DELETE:
                if (!present) {
                    return status == Status.NOT_FOUND ? null : "delete of an absent variable: " + status;
                }
                break; // a normal delete is never refused for room: it is how space comes back
            case CRASH_DELETE:
                if (!present) {
                    return status == Status.NOT_FOUND ? null : "delete of an absent variable: " + status;
                }
                if (status == Status.OUT_OF_RESOURCES) { // no compaction at crash time: only a full log refuses
                    return used.getAsLong() + op.cost() > limits.capacity() ? null
                            : "crash-time delete refused with " + used.getAsLong() + " of " + limits.capacity() + " used";
                }
                break;
            default:
                throw new AssertionError(op);
        }
        if (status != Status.OK) {
            return "unexpected " + status;
        }
        apply(op);
        return null;
    }

    /** What differs between the store and the model (null: nothing), byte for byte. */
    String differences(VariableStore store) {
        return differences(store::nextName, store::get);
    }

    /** As {@link #differences(VariableStore)}, through an ops table. */
    String differences(VariableOps ops) {
        return differences(ops::nextName, ops::get);
    }

    private interface Names {
        Status next(NameCursor cursor);
    }

    private interface Lookup {
        Status get(org.pstore.core.Namespace ns, CharSequence name, VariableBuffer out);
    }

    private String differences(Names names, Lookup values) {
        Map<String, byte[]> found = new HashMap<>();
        NameCursor cursor = new NameCursor();
        VariableBuffer buf = new VariableBuffer(256);
        for (Status s; (s = names.next(cursor)) != Status.NOT_FOUND; ) {
            if (s != Status.OK) {
                return "nextName: " + s;
            }
            int ns = namespace(cursor.namespace());
            String key = Op.key(ns, cursor.name());
            Status g = values.get(cursor.namespace(), cursor.name(), buf);
            if (g != Status.OK) {
                return "get " + key + " (listed): " + g;
            }
            if (found.put(key, buf.toByteArray()) != null) {
                return key + " listed twice";
            }
        }
        return differences(found);
    }

    /** What differs between a read-only view and the model (null: nothing). */
    String differences(StoreView view) {
        Map<String, byte[]> found = read(view);
        long unreadable = found.remove(UNREADABLE) == null ? 0 : 1;
        if (unreadable > 0) {
            return "the view could not read every variable";
        }
        return differences(found);
    }

    private static final String UNREADABLE = "\0unreadable";

    /** Everything a view shows, by key (values copied). */
    static Map<String, byte[]> read(StoreView view) {
        Map<String, byte[]> found = new HashMap<>();
        long unreadable = view.forEach(new StoreView.Visitor() {
            @Override
            public void visit(org.pstore.core.Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length) {
                found.put(Op.key(namespace(namespace), name), java.util.Arrays.copyOfRange(data, offset, offset + length));
            }

            @Override
            public void restart() {
                found.clear();
            }
        });
        if (unreadable > 0) {
            found.put(UNREADABLE, new byte[0]);
        }
        return found;
    }

    private String differences(Map<String, byte[]> found) {
        List<String> wrong = new ArrayList<>();
        for (String key : new TreeSet<>(vars.keySet())) {
            byte[] v = found.get(key);
            Entry e = vars.get(key);
            if (v == null) {
                wrong.add(key + " missing (op " + e.seq() + ")");
            } else if (v.length != e.length() || !Values.matches(e.seq(), key, v, 0, v.length)) {
                wrong.add(key + " holds " + v.length + " bytes of op " + Values.seqOf(v, 0, v.length) + ", not " + e.length() + " of op " + e.seq());
            }
        }
        for (String key : new TreeSet<>(found.keySet())) {
            if (!vars.containsKey(key)) {
                byte[] v = found.get(key);
                wrong.add(key + " present but deleted or never written (" + v.length + " bytes of op " + Values.seqOf(v, 0, v.length) + ")");
            }
        }
        return wrong.isEmpty() ? null : wrong.size() + " differences: " + String.join("; ", wrong.subList(0, Math.min(8, wrong.size())));
    }

    static int namespace(org.pstore.core.Namespace ns) {
        for (int i = 0; i < Op.NAMESPACES.length; i++) {
            if (Op.NAMESPACES[i].equals(ns)) {
                return i;
            }
        }
        return -1;
    }
}
