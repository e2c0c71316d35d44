package org.pstore.core.store;

import java.util.List;

/**
 * What opening a log for writing found wrong and did about it, for the pstore layer to record: files moved
 * into the {@link Quarantine}, and repairs that lost nothing (a lock word left by a dead writer reset).
 */
public record Healing(List<Quarantine.Entry> quarantined, List<String> repaired) {
    public static final Healing NONE = new Healing(List.of(), List.of());

    public Healing {
        quarantined = List.copyOf(quarantined);
        repaired = List.copyOf(repaired);
    }

    public boolean isEmpty() {
        return quarantined.isEmpty() && repaired.isEmpty();
    }
}
