package org.pstore.panic;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Immutable panic settings. This class is the one place where the panic defaults live: pstore's
 * configuration reads its properties and builds one of these, falling back to these defaults.
 */
public final class PanicSettings {
    public static final PanicAction DEFAULT_ACTION = PanicAction.EXIT;
    /** EX_SOFTWARE from sysexits.h. */
    public static final int DEFAULT_EXIT_STATUS = 70;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_NOTIFIER_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_REPORT_BYTES = 32 * 1024;
    public static final int DEFAULT_HEAP_RESERVE_BYTES = 4 * 1024 * 1024;
    public static final Duration DEFAULT_WATCHDOG_INTERVAL = Duration.ofSeconds(1);
    /** Frames per thread in the thread dump, the panicking thread aside (it is shown in full). */
    public static final int DEFAULT_THREAD_DEPTH = 128;
    public static final int MAX_THREAD_DEPTH = 4096;

    /** Below this the report could not hold its header and JVM facts line. */
    public static final int MIN_REPORT_BYTES = 4096;
    public static final int MAX_REPORT_BYTES = 16 * 1024 * 1024;
    /** Durations are kept in nanoseconds on the panic path; a day is far beyond any sane panic. */
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    private final PanicAction action;
    private final int exitStatus;
    private final Duration timeout;
    private final Duration notifierTimeout;
    private final boolean panicOnOops;
    private final int reportBytes;
    private final int heapReserveBytes;
    private final Duration watchdogInterval;
    private final int threadDepth;
    private final Redaction redaction;
    private final List<String> ownFlags;

    private PanicSettings(Builder b) {
        this.action = b.action;
        this.exitStatus = b.exitStatus;
        this.timeout = b.timeout;
        this.notifierTimeout = b.notifierTimeout;
        this.panicOnOops = b.panicOnOops;
        this.reportBytes = b.reportBytes;
        this.heapReserveBytes = (int) Math.min(b.heapReserveBytes, heapReserveCap());
        this.watchdogInterval = b.watchdogInterval;
        this.threadDepth = b.threadDepth;
        this.redaction = b.redaction;
        this.ownFlags = List.copyOf(b.ownFlags);
    }

    public static PanicSettings defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder()
                .action(action)
                .exitStatus(exitStatus)
                .timeout(timeout)
                .notifierTimeout(notifierTimeout)
                .panicOnOops(panicOnOops)
                .reportBytes(reportBytes)
                .heapReserveBytes(heapReserveBytes)
                .watchdogInterval(watchdogInterval)
                .threadDepth(threadDepth)
                .redaction(redaction)
                .ownFlags(ownFlags);
    }

    /** Default {@link PanicAction#EXIT}. */
    public PanicAction action() {
        return action;
    }

    /** Default 70 (EX_SOFTWARE). */
    public int exitStatus() {
        return exitStatus;
    }

    /** Default 10 s: this long after the panic start the action is carried out whatever still runs. */
    public Duration timeout() {
        return timeout;
    }

    /** Default 2 s: a notifier running longer is left behind and the panic timer runs the rest. */
    public Duration notifierTimeout() {
        return notifierTimeout;
    }

    /** Default false. */
    public boolean panicOnOops() {
        return panicOnOops;
    }

    /** Default 32768: upper bound of the whole panic report printed to the console. */
    public int reportBytes() {
        return reportBytes;
    }

    /** Default 4 MiB, never more than {@code Runtime.maxMemory()/16}: released at panic start. */
    public int heapReserveBytes() {
        return heapReserveBytes;
    }

    /** Default 1 s. */
    public Duration watchdogInterval() {
        return watchdogInterval;
    }

    /** Default 128: frames per thread in the thread dump; the panicking thread is shown in full. */
    public int threadDepth() {
        return threadDepth;
    }

    /** What is masked in JVM arguments and system properties (default: {@link Redaction#DEFAULT_WORDS}). */
    public Redaction redaction() {
        return redaction;
    }

    /** JVM arguments that are pstore's own (Chronicle's flags): the report shows them as one token. */
    public List<String> ownFlags() {
        return ownFlags;
    }

    static long heapReserveCap() {
        return Runtime.getRuntime().maxMemory() / 16;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PanicSettings)) {
            return false;
        }
        PanicSettings s = (PanicSettings) o;
        return action == s.action && exitStatus == s.exitStatus && timeout.equals(s.timeout)
                && notifierTimeout.equals(s.notifierTimeout) && panicOnOops == s.panicOnOops
                && reportBytes == s.reportBytes && heapReserveBytes == s.heapReserveBytes
                && watchdogInterval.equals(s.watchdogInterval) && threadDepth == s.threadDepth
                && redaction.words().equals(s.redaction.words()) && ownFlags.equals(s.ownFlags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, exitStatus, timeout, notifierTimeout, panicOnOops, reportBytes,
                heapReserveBytes, watchdogInterval, threadDepth, redaction.words(), ownFlags);
    }

    @Override
    public String toString() {
        return "PanicSettings[action=" + action.word() + ", exitStatus=" + exitStatus + ", timeout=" + timeout
                + ", notifierTimeout=" + notifierTimeout + ", panicOnOops=" + panicOnOops
                + ", reportBytes=" + reportBytes + ", heapReserveBytes=" + heapReserveBytes
                + ", watchdogInterval=" + watchdogInterval + ", threadDepth=" + threadDepth
                + ", redact=" + redaction.words() + "]";
    }

    /** One setter per setting; {@link #build()} validates. */
    public static final class Builder {
        private PanicAction action = DEFAULT_ACTION;
        private int exitStatus = DEFAULT_EXIT_STATUS;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration notifierTimeout = DEFAULT_NOTIFIER_TIMEOUT;
        private boolean panicOnOops;
        private int reportBytes = DEFAULT_REPORT_BYTES;
        private int heapReserveBytes = DEFAULT_HEAP_RESERVE_BYTES;
        private Duration watchdogInterval = DEFAULT_WATCHDOG_INTERVAL;
        private int threadDepth = DEFAULT_THREAD_DEPTH;
        private Redaction redaction = Redaction.defaults();
        private List<String> ownFlags = List.of();

        private Builder() {
        }

        public Builder action(PanicAction action) {
            this.action = action;
            return this;
        }

        public Builder exitStatus(int exitStatus) {
            this.exitStatus = exitStatus;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder notifierTimeout(Duration notifierTimeout) {
            this.notifierTimeout = notifierTimeout;
            return this;
        }

        public Builder panicOnOops(boolean panicOnOops) {
            this.panicOnOops = panicOnOops;
            return this;
        }

        public Builder reportBytes(int reportBytes) {
            this.reportBytes = reportBytes;
            return this;
        }

        /** Capped at {@code Runtime.maxMemory()/16} by {@link #build()}. */
        public Builder heapReserveBytes(int heapReserveBytes) {
            this.heapReserveBytes = heapReserveBytes;
            return this;
        }

        public Builder watchdogInterval(Duration watchdogInterval) {
            this.watchdogInterval = watchdogInterval;
            return this;
        }

        public Builder threadDepth(int threadDepth) {
            this.threadDepth = threadDepth;
            return this;
        }

        public Builder redaction(Redaction redaction) {
            this.redaction = Objects.requireNonNull(redaction, "redaction");
            return this;
        }

        public Builder ownFlags(List<String> ownFlags) {
            this.ownFlags = Objects.requireNonNull(ownFlags, "ownFlags");
            return this;
        }

        /** @throws IllegalArgumentException one line naming the setting and the bad value */
        public PanicSettings build() {
            if (action == null) {
                throw invalid("action", "null", "one of halt, exit, continue");
            }
            if (exitStatus < 0 || exitStatus > 255) {
                throw invalid("exitStatus", exitStatus, "0..255");
            }
            positive("timeout", timeout);
            positive("notifierTimeout", notifierTimeout);
            positive("watchdogInterval", watchdogInterval);
            if (notifierTimeout.compareTo(timeout) > 0) {
                throw invalid("notifierTimeout", notifierTimeout, "at most timeout (" + timeout + ")");
            }
            if (reportBytes < MIN_REPORT_BYTES || reportBytes > MAX_REPORT_BYTES) {
                throw invalid("reportBytes", reportBytes, MIN_REPORT_BYTES + ".." + MAX_REPORT_BYTES);
            }
            if (threadDepth < 1 || threadDepth > MAX_THREAD_DEPTH) {
                throw invalid("threadDepth", threadDepth, "1.." + MAX_THREAD_DEPTH);
            }
            if (heapReserveBytes < 0) {
                throw invalid("heapReserveBytes", heapReserveBytes, "0 or more");
            }
            return new PanicSettings(this);
        }

        private static void positive(String name, Duration value) {
            if (value == null) {
                throw invalid(name, "null", "a positive duration");
            }
            if (value.isNegative() || value.isZero() || value.compareTo(MAX_DURATION) > 0) {
                throw invalid(name, value, "more than 0 and at most " + MAX_DURATION);
            }
        }

        private static IllegalArgumentException invalid(String name, Object value, String expected) {
            return new IllegalArgumentException(
                    "invalid panic setting " + name + ": " + value + " (expected " + expected + ")");
        }
    }
}
