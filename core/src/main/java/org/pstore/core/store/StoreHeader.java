package org.pstore.core.store;

import java.io.IOException;
import java.util.HexFormat;

/**
 * The header documents Chronicle Queue writes at the start of its files, as this version (pinned by the BOM)
 * writes them for the queues built by {@link LogFiles#builder}: byte for byte, but for the fields that change
 * as the file is written. A file whose header differs was damaged: Chronicle would fail to parse it (retrying
 * for ten seconds) or misread it. Another Chronicle version writing another header makes every store test
 * fail at once, which is when these move with it.
 */
final class StoreHeader {
    /** A cycle file's store header ("SCQStore": write position, indexing, data format). */
    private static final byte[] CYCLE = HexFormat.of().parseHex(
            "b906686561646572b60853435153746f726582aa000000cd7772697465506f736974696f6e8e01000000008d02000000000000000200000000"
                    + "000000" + "00".repeat(16) + "c8696e646578696e67b60c53435153496e646578696e67824c000000ca696e646578436f756e74a50010"
                    + "cc696e64657853706163696e67a50001cb696e64657832496e6465788fa7" + "00".repeat(8) + "c96c617374496e6465788e00000000a7"
                    + "00".repeat(8) + "ca64617461466f726d6174a101");
    /** Where the cycle header's values are: write position and sequence, index2index, last index. */
    private static final int[][] CYCLE_VALUES = {{60, 76}, {148, 156}, {172, 180}};
    /** The metadata file's table-store header ("STStore": wire type, roll cycle, epoch, source id): no values change. */
    static final byte[] METADATA = HexFormat.of().parseHex(
            "b906686561646572b607535453746f7265827e000000c87769726554797065b6085769726554797065ec42494e4152595f4c49474854c86d65"
                    + "746164617461b6075343514d6574618246000000c4726f6c6cb60853435153526f6c6c8227000000c66c656e677468a6005c2605c666"
                    + "6f726d6174eb797979794d4d6464274627c565706f6368a100c8736f757263654964a1008f");

    private StoreHeader() {
    }

    /** Whether the store header of {@code file}, {@code length} bytes from offset 4, is one Chronicle wrote. */
    static boolean matches(CycleFile file, int length) throws IOException {
        if (length != CYCLE.length) {
            return false;
        }
        byte[] body = new byte[length];
        file.read(4, body, 0, length);
        int from = 0;
        for (int[] value : CYCLE_VALUES) {
            if (!java.util.Arrays.equals(body, from, value[0], CYCLE, from, value[0])) {
                return false;
            }
            from = value[1];
        }
        return java.util.Arrays.equals(body, from, length, CYCLE, from, length);
    }

    /** Whether a metadata file's first document body is the one Chronicle writes. */
    static boolean matchesMetadata(byte[] file, int offset, int length) {
        return length == METADATA.length && java.util.Arrays.equals(file, offset, offset + length, METADATA, 0, length);
    }
}
