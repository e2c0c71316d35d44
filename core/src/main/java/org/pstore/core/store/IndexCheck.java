package org.pstore.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Chronicle's index inside a cycle file, checked before Chronicle writes through it. The index is metadata
 * documents: an {@code index2index} array of the addresses of {@code index} arrays, each an array of the
 * addresses of data documents; the store header names the {@code index2index}. None of it is checksummed,
 * and Chronicle writes where it points: one flipped bit in an address makes the next append extend the file
 * by hundreds of megabytes or overwrite a document. So every address must lead to a document of the kind it
 * indexes, and every array must fit its document; else the file is damaged (its documents are still read
 * directly, without the index, and salvaged).
 */
final class IndexCheck {
    private static final byte FIELD = (byte) 0xB9;
    private static final byte PADDING = (byte) 0x8F;
    private static final byte PADDING32 = (byte) 0x8E;
    private static final byte LONG_ARRAY = (byte) 0x8D;
    private static final String INDEX2INDEX = "index2index";
    private static final String INDEX = "index";
    /** Offset of the index2Index value in the store header's body (see {@link StoreHeader}). */
    private static final int HEADER_INDEX2INDEX = 4 + 148;
    /** Chronicle's index arrays hold 2^12 to 2^17 entries here: a bound on what is read, far above that. */
    private static final int MAX_INDEX_DOCUMENT = 8 << 20;

    private IndexCheck() {
    }

    /** An index array: its name, and every entry (used or not: Chronicle may follow any of them), or what is wrong with it. */
    private record Array(String name, long[] values, String problem) {
    }

    /** What is wrong with the index of {@code file} (whose documents were all walked), or null. */
    static String problem(CycleFile file) throws IOException {
        Set<Long> data = new HashSet<>();
        Map<Long, Array> arrays = new HashMap<>();
        long at = file.dataStart();
        while (true) {
            int h = file.header(at);
            if (h == 0 || h == CycleFile.END_OF_FILE || (h & CycleFile.NOT_COMPLETE) != 0) {
                break;
            }
            int length = h & CycleFile.LENGTH_MASK;
            if (at + 4 + length > file.size()) {
                break; // the walk reports it
            }
            if ((h & CycleFile.META_DATA) == 0) {
                data.add(at);
            } else {
                Array a = array(file, at + 4, length);
                if (a != null) {
                    arrays.put(at, a);
                }
            }
            at = CycleFile.align(at + 4 + length);
        }
        long named = headerIndex2Index(file);
        if (named != 0 && !isA(arrays.get(named), INDEX2INDEX)) {
            return "Chronicle's index: the store header names an index2index at " + named + ", where there is none";
        }
        for (Map.Entry<Long, Array> e : arrays.entrySet()) {
            Array a = e.getValue();
            if (a.problem != null) {
                return "Chronicle's index: the " + a.name + " at " + e.getKey() + " " + a.problem;
            }
            for (int i = 0; i < a.values.length; i++) {
                long v = a.values[i];
                boolean good = v == 0 || (a.name.equals(INDEX2INDEX) ? isA(arrays.get(v), INDEX) : data.contains(v));
                if (!good) {
                    return "Chronicle's index: entry " + i + " of the " + a.name + " at " + e.getKey() + " holds " + v
                            + ", not the address of " + (a.name.equals(INDEX2INDEX) ? "an index" : "a document");
                }
            }
        }
        return null;
    }

    private static boolean isA(Array a, String name) {
        return a != null && a.name.equals(name);
    }

    private static long headerIndex2Index(CycleFile file) throws IOException {
        byte[] v = new byte[8];
        file.read(HEADER_INDEX2INDEX, v, 0, 8);
        return ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * The index array a metadata document holds (a field named index or index2index, padding, a long array:
     * capacity, used, the values), or null for another metadata document.
     */
    private static Array array(CycleFile file, long body, int length) throws IOException {
        if (length < 2 || length > MAX_INDEX_DOCUMENT) {
            return null;
        }
        byte[] b = new byte[length];
        file.read(body, b, 0, length);
        if (b[0] != FIELD || 2 + b[1] > length || b[1] < 0) {
            return null;
        }
        String name = new String(b, 2, b[1], StandardCharsets.US_ASCII);
        if (!name.equals(INDEX) && !name.equals(INDEX2INDEX)) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int i = 2 + b[1];
        while (i < length && (b[i] == PADDING || b[i] == PADDING32)) {
            if (b[i] == PADDING) {
                i++;
            } else {
                if (i + 5 > length) {
                    return damaged(name);
                }
                i += 5 + in.getInt(i + 1);
                if (i < 0) {
                    return damaged(name);
                }
            }
        }
        if (i + 17 > length || b[i] != LONG_ARRAY) {
            return damaged(name);
        }
        long capacity = in.getLong(i + 1);
        long used = in.getLong(i + 9);
        i += 17;
        if (capacity < 0 || capacity > (length - i) / 8 || used < 0 || used > capacity) {
            return damaged(name);
        }
        long[] values = new long[(int) capacity];
        for (int k = 0; k < values.length; k++) {
            values[k] = in.getLong(i + 8 * k);
        }
        return new Array(name, values, null);
    }

    /** An index document that does not frame its array. */
    private static Array damaged(String name) {
        return new Array(name, new long[0], "does not frame its array");
    }
}
