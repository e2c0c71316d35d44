package org.pstore.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.pstore.core.Attributes;
import org.pstore.core.Status;
import org.pstore.core.VariableOps;
import org.pstore.record.Location;
import org.pstore.record.RecordType;

/**
 * pmsg writing and its retention, over the variable store: messages are kept within their budget by
 * erasing the oldest first, as a bounded journal does. The messages kept are remembered by id and size in a
 * ring of primitives (names are rebuilt when needed), so a write adds no garbage for the bookkeeping.
 */
final class PmsgRetention {
    private final VariableZone vars;
    private final long budget;
    private final StringBuilder oldestName = new StringBuilder(64);
    private long[] ids = new long[1024];
    private long[] costs = new long[1024];
    private int head;
    private int count;
    private long bytes;

    PmsgRetention(VariableZone vars, long budget) {
        this.vars = vars;
        this.budget = budget;
    }

    /** Learns the messages the store holds, oldest first. */
    void load() {
        List<long[]> found = new ArrayList<>();
        vars.forEach((name, data, offset, length) -> {
            VariableNaming.Parsed p = VariableNaming.parse(name);
            if (p != null && p.type() == RecordType.PMSG.code()) {
                found.add(new long[] {p.id(), length});
            }
        }, problem -> { });
        found.sort(Comparator.comparingLong(k -> k[0]));
        for (long[] k : found) {
            add(k[0], k[1]);
        }
    }

    /** Writes one message, erasing the oldest ones first as far as the budget needs. */
    synchronized Status write(RecordWrite w) {
        long cost = w.length;
        if (cost > budget) {
            return Status.INVALID;
        }
        VariableOps ops = vars.ops();
        while (count > 0 && bytes + cost > budget) {
            VariableNaming.format(oldestName, RecordType.PMSG.code(), 0, 0, ids[head], false);
            Status s = ops.set(VariableNaming.DUMP, oldestName, 0, null, 0, 0);
            if (!s.ok() && s != Status.NOT_FOUND) {
                return s;
            }
            bytes -= costs[head];
            head = (head + 1) % ids.length;
            count--;
        }
        StringBuilder name = VariableNaming.format(w.name, RecordType.PMSG.code(), 0, 0, w.id, false);
        Status s = ops.set(VariableNaming.DUMP, name, Attributes.DEFAULT, w.frame, 0, w.length);
        w.storeStatus = s;
        if (s.ok()) {
            w.placed = Location.STORE;
            add(w.id, cost);
        }
        return s;
    }

    private void add(long id, long cost) {
        if (count == ids.length) {
            long[] moreIds = new long[ids.length * 2];
            long[] moreCosts = new long[ids.length * 2];
            for (int i = 0; i < count; i++) {
                moreIds[i] = ids[(head + i) % ids.length];
                moreCosts[i] = costs[(head + i) % ids.length];
            }
            ids = moreIds;
            costs = moreCosts;
            head = 0;
        }
        int at = (head + count) % ids.length;
        ids[at] = id;
        costs[at] = cost;
        count++;
        bytes += cost;
    }

    /** An erased pmsg no longer counts; its slot stays until retention passes it (erasing it again is harmless). */
    synchronized void forget(String name) {
        VariableNaming.Parsed p = VariableNaming.parse(name);
        if (p == null) {
            return;
        }
        for (int i = 0; i < count; i++) {
            int at = (head + i) % ids.length;
            if (ids[at] == p.id() && costs[at] > 0) {
                bytes -= costs[at];
                costs[at] = 0;
                return;
            }
        }
    }
}
