package org.pstore.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the variable store and its runtime services. The one place where their defaults live;
 * {@link Builder#build()} validates and says, in one line, which setting is wrong and why.
 */
public final class StoreConfig {
    public static final long DEFAULT_CAPACITY = 8L << 20;
    /** Sized for a crash record: a compressed 64 KiB log tail with its thread dump, twice over. EFI keeps 5 KiB. */
    public static final long DEFAULT_RESERVE = 256L << 10;
    public static final int DEFAULT_MAX_VARIABLE_SIZE = 64 << 10;
    public static final Duration DEFAULT_OP_TIMEOUT = Duration.ofSeconds(10);
    /** A probe write slower than this (median) can stall a caller: AUTO then picks the worker. */
    public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofMillis(1);

    public static final long MIN_CAPACITY = 64L << 10;
    public static final long MAX_CAPACITY = 1L << 30;
    public static final long MIN_RESERVE = 5L << 10;

    private final Path dir;
    private final long capacity;
    private final long reserve;
    private final int maxVariableSize;
    private final Durability durability;
    private final Mode mode;
    private final Duration opTimeout;
    private final Duration stallThreshold;
    private final FaultInjection faultInjection;

    private StoreConfig(Builder b) {
        this.dir = b.dir;
        this.capacity = b.capacity;
        this.reserve = b.reserve;
        this.maxVariableSize = b.maxVariableSize;
        this.durability = b.durability;
        this.mode = b.mode;
        this.opTimeout = b.opTimeout;
        this.stallThreshold = b.stallThreshold;
        this.faultInjection = b.faultInjection;
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    public Path dir() {
        return dir;
    }

    public long capacity() {
        return capacity;
    }

    public long reserve() {
        return reserve;
    }

    public int maxVariableSize() {
        return maxVariableSize;
    }

    public Durability durability() {
        return durability;
    }

    public Mode mode() {
        return mode;
    }

    public Duration opTimeout() {
        return opTimeout;
    }

    public Duration stallThreshold() {
        return stallThreshold;
    }

    public FaultInjection faultInjection() {
        return faultInjection;
    }

    public Builder toBuilder() {
        return new Builder(dir).capacity(capacity).reserve(reserve).maxVariableSize(maxVariableSize)
                .durability(durability).mode(mode).opTimeout(opTimeout).stallThreshold(stallThreshold)
                .faultInjection(faultInjection);
    }

    public static final class Builder {
        private final Path dir;
        private long capacity = DEFAULT_CAPACITY;
        private long reserve = DEFAULT_RESERVE;
        private int maxVariableSize = DEFAULT_MAX_VARIABLE_SIZE;
        private Durability durability = Durability.PROCESS;
        private Mode mode = Mode.AUTO;
        private Duration opTimeout = DEFAULT_OP_TIMEOUT;
        private Duration stallThreshold = DEFAULT_STALL_THRESHOLD;
        private FaultInjection faultInjection = FaultInjection.NONE;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        public Builder capacity(long bytes) {
            this.capacity = bytes;
            return this;
        }

        public Builder reserve(long bytes) {
            this.reserve = bytes;
            return this;
        }

        public Builder maxVariableSize(int bytes) {
            this.maxVariableSize = bytes;
            return this;
        }

        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder opTimeout(Duration timeout) {
            this.opTimeout = Objects.requireNonNull(timeout, "opTimeout");
            return this;
        }

        public Builder stallThreshold(Duration threshold) {
            this.stallThreshold = Objects.requireNonNull(threshold, "stallThreshold");
            return this;
        }

        public Builder faultInjection(FaultInjection faultInjection) {
            this.faultInjection = Objects.requireNonNull(faultInjection, "faultInjection");
            return this;
        }

        public StoreConfig build() {
            if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
                throw new IllegalArgumentException("capacity " + capacity + " is outside " + MIN_CAPACITY + ".." + MAX_CAPACITY + " bytes");
            }
            if (reserve < MIN_RESERVE || reserve > capacity / 2) {
                throw new IllegalArgumentException("reserve " + reserve + " must be between " + MIN_RESERVE + " bytes and half the capacity (" + capacity / 2 + ")");
            }
            if (maxVariableSize < 1024 || maxVariableSize > capacity - reserve - 4096) {
                throw new IllegalArgumentException("maxVariableSize " + maxVariableSize + " must be between 1024 bytes and capacity minus reserve minus 4096 (" + (capacity - reserve - 4096) + ")");
            }
            if (opTimeout.isNegative() || opTimeout.isZero()) {
                throw new IllegalArgumentException("opTimeout must be positive, not " + opTimeout);
            }
            if (stallThreshold.isNegative()) {
                throw new IllegalArgumentException("stallThreshold must not be negative");
            }
            return new StoreConfig(this);
        }
    }
}
