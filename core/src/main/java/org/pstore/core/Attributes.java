package org.pstore.core;

/**
 * Variable attribute bits, numbered as in EFI. The store keeps them with the variable and returns them
 * unchanged; every variable is persisted whatever its bits say.
 */
public final class Attributes {
    public static final int NON_VOLATILE = 0x1;
    public static final int BOOTSERVICE_ACCESS = 0x2;
    public static final int RUNTIME_ACCESS = 0x4;

    /**
     * Not EFI's: pstore's mark for data that checks itself (a record frame, sealed with its own CRC32C). The
     * store then checksums the entry's header and name only, so that the data is checksummed once; damage to
     * the data is the caller's to find. Kept with the other bits.
     */
    public static final int SEALED = 0x4000_0000;

    /** What pstore's own variables carry. */
    public static final int DEFAULT = NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS;

    private Attributes() {
    }
}
