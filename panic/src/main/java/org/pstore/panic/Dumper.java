package org.pstore.panic;

/**
 * A kmsg dumper (pstore's dmesg frontend), as in Linux {@code struct kmsg_dumper}. Called for a dump whose
 * reason code is at most the dumper's {@code maxReason} code. As in Linux, a {@code maxReason} of
 * {@link DumpReason#UNDEF} means the default, {@link DumpReason#OOPS}.
 */
@FunctionalInterface
public interface Dumper {
    void dump(DumpReason reason, PanicEvent event) throws Exception;
}
