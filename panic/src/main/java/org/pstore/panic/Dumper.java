package org.pstore.panic;

/**
 * A kmsg dumper (pstore's dmesg frontend), as in Linux {@code struct kmsg_dumper}. Called for a dump whose
 * reason code is at most the dumper's {@code maxReason} code. As in Linux, a {@code maxReason} of
 * {@link DumpReason#UNDEF} means the default, {@link DumpReason#OOPS}.
 *
 * <p>A panic is dumped twice, so that the record never depends on the report completing: revision
 * {@link #EARLY} right after the part of the report that needs no heap (the cause, the JVM facts, and the
 * log tail before them), then revision {@link #FULL} once the heap-hungry parts (stack traces, thread
 * dump) are printed or named as lost. A dumper that keeps both lets the second supersede the first.
 * Every other dump is made once, as revision {@link #ONCE}.
 */
@FunctionalInterface
public interface Dumper {
    int ONCE = 0;
    int EARLY = 1;
    int FULL = 2;

    void dump(DumpReason reason, int revision, PanicEvent event) throws Exception;
}
