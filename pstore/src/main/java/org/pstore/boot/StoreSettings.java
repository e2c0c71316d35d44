package org.pstore.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.pstore.PstoreConfig;
import org.pstore.core.Durability;

/**
 * The sizes a store was made with, and its durability: kept in its marker, so that whoever opens the store
 * for writing (boot, erase, archive) opens it as it was made. Boot adopts them unless it was told new ones;
 * a store opened with other sizes would compact, refuse writes or trim what retention kept.
 *
 * @param pmsgBytes -1 when a marker does not say (it is then derived from capacity, as at boot)
 */
public record StoreSettings(long capacity, long reserve, int recordSize, long journalBytes, long pmsgBytes,
                            Durability durability) {
    private static final String CAPACITY = "capacity";
    private static final String RESERVE = "reserve";
    private static final String RECORD_SIZE = "recordSize";
    private static final String JOURNAL_BYTES = "journalBytes";
    private static final String PMSG_BYTES = "pmsgBytes";
    private static final String DURABILITY = "durability";

    public static StoreSettings of(PstoreConfig c) {
        return new StoreSettings(c.capacity(), c.reserve(), c.recordSize(), c.journalBytes(), c.pmsgBytes(), c.durability());
    }

    /** The marker's lines for these settings. */
    Map<String, String> facts() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(CAPACITY, Long.toString(capacity));
        f.put(RESERVE, Long.toString(reserve));
        f.put(RECORD_SIZE, Integer.toString(recordSize));
        f.put(JOURNAL_BYTES, Long.toString(journalBytes));
        f.put(PMSG_BYTES, Long.toString(pmsgBytes));
        f.put(DURABILITY, durability.name().toLowerCase(java.util.Locale.ROOT));
        return f;
    }

    /**
     * The settings a marker records; empty when it records no capacity and reserve (not a store this version
     * booted). Settings an older marker lacks take their defaults; a value that is not a number is absent.
     */
    static Optional<StoreSettings> from(Map<String, String> facts) {
        long capacity = number(facts.get(CAPACITY));
        long reserve = number(facts.get(RESERVE));
        if (capacity < 0 || reserve < 0) {
            return Optional.empty();
        }
        long recordSize = number(facts.get(RECORD_SIZE));
        long journal = number(facts.get(JOURNAL_BYTES));
        long pmsg = number(facts.get(PMSG_BYTES));
        Durability durability;
        try {
            durability = Durability.parse(facts.getOrDefault(DURABILITY, "process"));
        } catch (IllegalArgumentException e) {
            durability = Durability.PROCESS;
        }
        return Optional.of(new StoreSettings(capacity, reserve,
                recordSize > 0 && recordSize <= Integer.MAX_VALUE ? (int) recordSize : PstoreConfig.DEFAULT_RECORD_SIZE,
                journal > 0 ? journal : PstoreConfig.DEFAULT_JOURNAL_BYTES, pmsg, durability));
    }

    /** {@code config} with every size it was not told taken from these settings (unchanged if that is not valid). */
    PstoreConfig adoptedBy(PstoreConfig config) {
        PstoreConfig.Builder b = config.toBuilder();
        if (!config.told(CAPACITY)) {
            b.capacity(capacity);
        }
        if (!config.told(RESERVE)) {
            b.reserve(reserve);
        }
        if (!config.told(RECORD_SIZE)) {
            b.recordSize(recordSize);
        }
        if (!config.told(JOURNAL_BYTES)) {
            b.journalBytes(journalBytes);
        }
        if (!config.told(PMSG_BYTES) && pmsgBytes > 0) {
            b.pmsgBytes(pmsgBytes);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            return config; // what boot was told does not fit with what was recorded: boot as told
        }
    }

    /** These settings as a configuration for {@code dir}, to open the store with (erase, archive). */
    public PstoreConfig.Builder configFor(java.nio.file.Path dir) {
        return PstoreConfig.builder().dir(dir).capacity(capacity).reserve(reserve).recordSize(recordSize)
                .journalBytes(journalBytes).pmsgBytes(pmsgBytes > 0 ? pmsgBytes : -1).durability(durability);
    }

    private static long number(String s) {
        return s != null && s.matches("\\d{1,18}") ? Long.parseLong(s) : -1;
    }
}
