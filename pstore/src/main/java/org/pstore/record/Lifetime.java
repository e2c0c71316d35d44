package org.pstore.record;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.pstore.core.Attributes;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableOps;
import org.pstore.panic.DumpReason;

/**
 * Counters that outlive every run: the boot number (which record ids are built from) and, per dump reason,
 * how many dumps there have been (the N of "Panic#N"). Kept as one small text variable, {@code key=value}
 * lines, never deserialised into objects. A crash-time dump only increments in memory; its record carries
 * the count, and the next boot (or an erase) takes the maximum of what it finds, so counts never go back.
 */
public final class Lifetime {
    static final Namespace META = Namespace.of(UUID.fromString("5e1f0a4b-7c3d-4b2a-9e8f-a1b2c3d4e5f6"), "pstore-meta");
    static final String NAME = "lifetime";

    private long boot;
    private final AtomicIntegerArray counts = new AtomicIntegerArray(DumpReason.values().length);

    /** Reads the counters (absent: a new store starts at zero). */
    public static Lifetime load(VariableOps ops) {
        Lifetime l = new Lifetime();
        VariableBuffer buf = new VariableBuffer(256);
        Status s = ops.get(META, NAME, buf);
        if (s == Status.OK) {
            for (String line : buf.toUtf8().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(eq + 1).matches("\\d{1,18}")) {
                    l.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
                }
            }
        } else if (s != Status.NOT_FOUND && s != Status.DEVICE_ERROR) {
            // DEVICE_ERROR: the stored counters are damaged; boot raises them again from every record it
            // finds (absorb) and saves them anew, so a damaged value never stops a boot
            throw new StoreException(s, "cannot read the lifetime counters: " + s.description());
        }
        return l;
    }

    private void put(String key, long value) {
        if (key.equals("boot")) {
            boot = value;
            return;
        }
        for (DumpReason r : DumpReason.values()) {
            if (r.word().equals(key)) {
                counts.set(r.ordinal(), (int) Math.min(Integer.MAX_VALUE, value));
            }
        }
    }

    /** Raises the counters to what a record already holds (records outlive a lost counter update). */
    public void absorb(PstoreRecord r) {
        if (r.reason() > 0 && r.reason() < DumpReason.values().length) {
            counts.accumulateAndGet(DumpReason.ofCode(r.reason()).ordinal(), r.count(), Math::max);
        }
        boot = Math.max(boot, r.bootNumber());
    }

    /** Starts a new boot: the boot number moves on. */
    public long nextBoot() {
        return ++boot;
    }

    public long boot() {
        return boot;
    }

    /** The count for a new dump of {@code reason}. One atomic increment: usable at crash time. */
    public int next(DumpReason reason) {
        return counts.incrementAndGet(reason.ordinal());
    }

    /**
     * At boot: makes the increment {@link #next} does once, adding nothing. Its VarHandle access mode is
     * linked the first time it runs, which allocates, and must not be at crash time.
     */
    public void rehearse() {
        counts.getAndAdd(DumpReason.PANIC.ordinal(), 0);
    }

    public int count(DumpReason reason) {
        return counts.get(reason.ordinal());
    }

    /** Writes the counters (normal path). */
    public Status save(VariableOps ops) {
        StringBuilder sb = new StringBuilder("boot=").append(boot).append('\n');
        for (DumpReason r : DumpReason.values()) {
            sb.append(r.word()).append('=').append(counts.get(r.ordinal())).append('\n');
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
        return ops.set(META, NAME, Attributes.DEFAULT, b, 0, b.length);
    }
}
