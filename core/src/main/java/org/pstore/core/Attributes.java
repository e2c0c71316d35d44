package org.pstore.core;

/**
 * Variable attribute bits, numbered as in EFI. The store keeps them with the variable and returns them
 * unchanged; every variable is persisted whatever its bits say.
 */
public final class Attributes {
    public static final int NON_VOLATILE = 0x1;
    public static final int BOOTSERVICE_ACCESS = 0x2;
    public static final int RUNTIME_ACCESS = 0x4;

    /** What pstore's own variables carry. */
    public static final int DEFAULT = NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS;

    private Attributes() {
    }
}
