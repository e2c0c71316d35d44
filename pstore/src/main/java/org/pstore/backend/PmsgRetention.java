package org.pstore.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.pstore.core.NameBatch;
import org.pstore.core.Status;
import org.pstore.record.Location;
import org.pstore.record.RecordType;

/**
 * pmsg writing and its retention, over the variable store: messages are kept within their budget by
 * erasing the oldest first, as a bounded journal does. The messages kept are remembered by id and size in a
 * ring of primitives (names are rebuilt when needed), so a write adds no garbage for the bookkeeping.
 */
final class PmsgRetention {
    /** A writer's own batch of oldest messages to erase, with their ids and sizes in case they go back. */
    private static final class Claim {
        final NameBatch names = new NameBatch();
        final long[] ids = new long[NameBatch.MAX_NAMES];
        final long[] costs = new long[NameBatch.MAX_NAMES];
    }

    private final VariableZone vars;
    private final long budget;
    private final ThreadLocal<Claim> claims = ThreadLocal.withInitial(Claim::new);
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

    /**
     * Writes one message. Once the budget is full, the oldest are erased in a batch (as many as free a
     * sixteenth of the budget, at most {@link NameBatch#MAX_NAMES}): one erase entry in the store for them all,
     * made in the same store operation as the message's own write. They are claimed under the monitor and the
     * store is called outside it, so that concurrent writers reach the ops table together and the worker
     * stores them as one group.
     */
    Status write(RecordWrite w) {
        long cost = w.length;
        if (cost > budget) {
            return Status.INVALID;
        }
        Claim claim = claims.get();
        NameBatch erase = claim.names.clear();
        synchronized (this) {
            if (count > 0 && bytes + cost > budget) {
                long target = budget - budget / 16;
                while (count > 0 && erase.count() < NameBatch.MAX_NAMES && bytes + cost > target) {
                    erase.add(VariableNaming.format(w.name, RecordType.PMSG.code(), 0, 0, ids[head], false));
                    claim.ids[erase.count() - 1] = ids[head];
                    claim.costs[erase.count() - 1] = costs[head];
                    bytes -= costs[head];
                    head = (head + 1) % ids.length;
                    count--;
                }
            }
            bytes += cost; // claimed: concurrent writers see it
        }
        StringBuilder name = VariableNaming.format(w.name, RecordType.PMSG.code(), 0, 0, w.id, false);
        Status s = vars.ops().set(VariableNaming.DUMP, name, VariableZone.FRAME, w.frame, 0, w.length, erase);
        w.storeStatus = s;
        synchronized (this) {
            bytes -= cost;
            if (s.ok()) {
                add(w.id, cost);
            } else {
                for (int i = erase.count() - 1; i >= 0; i--) {
                    putBackOldest(claim.ids[i], claim.costs[i]); // erased or not: a second erase skips it
                }
            }
        }
        if (s.ok()) {
            w.placed = Location.STORE;
        }
        return s;
    }

    /** An oldest message whose erase failed is the oldest again. */
    private void putBackOldest(long id, long cost) {
        growWhenFull();
        head = (head - 1 + ids.length) % ids.length;
        ids[head] = id;
        costs[head] = cost;
        count++;
        bytes += cost;
    }

    private void add(long id, long cost) {
        growWhenFull();
        int at = (head + count) % ids.length;
        ids[at] = id;
        costs[at] = cost;
        count++;
        bytes += cost;
    }

    private void growWhenFull() {
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
