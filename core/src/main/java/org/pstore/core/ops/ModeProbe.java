package org.pstore.core.ops;

import java.util.Arrays;
import java.util.UUID;

import org.pstore.core.Attributes;
import org.pstore.core.Mode;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.store.VariableStore;

/**
 * Decides the mode at runtime. AUTO picks the interruptible worker, the design's normal operation: a store
 * that is fast at boot can still stall later (a failing disk, page faults on the mapped file under memory
 * pressure, a network file system), and the worker adds only its hand-off to a call (a microsecond or two:
 * bench/RESULTS.md, item 1a). AUTO first writes
 * a few probe variables with the configured durability, which warms the write path before anything depends
 * on it, and says what their median latency was. (The caller falls back to the legacy ops only when the
 * worker's thread cannot start.)
 */
final class ModeProbe {
    static final Namespace PROBE = Namespace.of(UUID.fromString("6b1e8f4a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"), "pstore-probe");
    private static final String NAME = "mode-probe";
    private static final int WRITES = 9;
    private static final int SIZE = 512;

    private ModeProbe() {
    }

    static ModeDecision decide(StoreConfig config, VariableStore store) {
        if (config.mode() != Mode.AUTO) {
            return new ModeDecision(config.mode(), "configured (pstore.mode=" + config.mode().word() + ")", -1);
        }
        long threshold = config.stallThreshold().toNanos() / 1000;
        long[] micros = new long[WRITES];
        byte[] data = new byte[SIZE];
        for (int i = 0; i < WRITES; i++) {
            data[0] = (byte) i;
            long t0 = System.nanoTime();
            Status s = store.set(PROBE, NAME, Attributes.DEFAULT, data, 0, data.length);
            micros[i] = (System.nanoTime() - t0) / 1000;
            if (!s.ok()) {
                return new ModeDecision(Mode.INTERRUPTIBLE, "probe write failed (" + s.description()
                        + "): the worker keeps callers away from a failing store", -1);
            }
        }
        store.set(PROBE, NAME, Attributes.DEFAULT, data, 0, 0);
        Arrays.sort(micros);
        long median = micros[WRITES / 2];
        if (median > threshold) {
            return new ModeDecision(Mode.INTERRUPTIBLE, "probe write median " + median + " us exceeds "
                    + threshold + " us: writes can stall the caller", median);
        }
        return new ModeDecision(Mode.INTERRUPTIBLE, "probe write median " + median + " us is within "
                + threshold + " us: the worker keeps callers away from a store that stalls later", median);
    }
}
